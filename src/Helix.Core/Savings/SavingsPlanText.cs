using System.Globalization;

namespace Helix.Core.Savings;

/// <summary>Reads a savings plan's options from text, and says what is wrong with one in the words every front end uses.</summary>
/// <remarks>The admin API and the dashboard both read options through this type, so a bad value gets the same message in either. Thread-safe.</remarks>
public static class SavingsPlanText
{
    /// <summary>What is wrong with a window that is not a whole number from 1 to <see cref="SavingsPlan.MaxDays"/>.</summary>
    public static string DaysProblem { get; } = $"'days' must be a whole number from 1 to {SavingsPlan.MaxDays}.";

    /// <summary>What is wrong with an <see cref="PlannedChange.InPriceWindow"/> that is not a boolean.</summary>
    public const string InPriceWindowProblem = "'inPriceWindow' is true or false.";

    /// <summary>What is wrong with a <see cref="PlannedChange.PricesAsOf"/> that is not an instant.</summary>
    public const string PricesAsOfProblem = "'pricesAsOf' is an ISO 8601 instant with its offset (2026-12-01T00:00:00Z).";

    /// <summary>Whether <paramref name="days"/> is a window that may be replayed (1 to <see cref="SavingsPlan.MaxDays"/>).</summary>
    public static bool IsValidDays(int days) => days is >= 1 and <= SavingsPlan.MaxDays;

    /// <summary>Reads a window of days: digits only, 1 to <see cref="SavingsPlan.MaxDays"/>.</summary>
    public static bool TryParseDays(string? text, out int days) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out days) && IsValidDays(days);

    /// <summary>Reads an instant for <see cref="PlannedChange.PricesAsOf"/>; one without an offset is read as UTC, never in the server's zone.</summary>
    public static bool TryParseInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        return !string.IsNullOrWhiteSpace(text)
            && DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out instant);
    }
}
