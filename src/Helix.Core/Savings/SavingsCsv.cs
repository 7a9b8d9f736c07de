using System.Globalization;
using System.Text;

namespace Helix.Core.Savings;

/// <summary>A <see cref="SavingsReport"/> as CSV: one row for the total, one per day, one per operation; money exact and unrounded.</summary>
/// <remarks>The admin API (<c>?format=csv</c>) and the dashboard's download write the same text. Pure; thread-safe.</remarks>
public static class SavingsCsv
{
    /// <summary>The header row's columns.</summary>
    public const string Header = "scope,key,calls,repriced_calls,unpriced_calls,current_cost_usd,candidate_cost_usd,savings_usd";

    // decimal keeps at most 28 fractional digits, so this format never rounds.
    private const string Exact = "0.############################";

    /// <summary>Writes the report: the header, the total, each day (oldest first), each operation (in the plan's order).</summary>
    public static string Write(SavingsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new StringBuilder(Header).Append('\n');
        Row(csv, "total", "all", report.Totals);
        foreach (var day in report.Days)
        {
            Row(csv, "day", day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.Totals);
        }

        foreach (var operation in report.Operations)
        {
            Row(csv, "operation", operation.Operation, operation.Totals);
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, string scope, string key, SavingsTotals totals) =>
        csv.Append(scope).Append(',').Append(Field(key)).Append(',')
            .Append(totals.Calls.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(totals.RepricedCalls.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(totals.UnpricedCalls.ToString(CultureInfo.InvariantCulture)).Append(',')
            .Append(totals.CurrentCostUsd.ToString(Exact, CultureInfo.InvariantCulture)).Append(',')
            .Append(totals.CandidateCostUsd.ToString(Exact, CultureInfo.InvariantCulture)).Append(',')
            .Append(totals.SavingsUsd.ToString(Exact, CultureInfo.InvariantCulture)).Append('\n');

    // RFC 4180: a field with a comma, quote or line break is quoted, its quotes doubled.
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
