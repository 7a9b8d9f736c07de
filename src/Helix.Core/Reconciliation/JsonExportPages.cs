using System.Text.Json;

namespace Helix.Core.Reconciliation;

/// <summary>Reads one item of a JSON export: adds its lines and says which days it covers.</summary>
internal delegate (DateOnly First, DateOnly Last) ExportItemReader(JsonElement item, string path, List<BilledLine> lines);

/// <summary>The reading the paged JSON exports share: one page or a JSON array of pages, each holding an array of items.</summary>
/// <remarks>
/// The export covers the days from the first any item covers to the last; errors name the format and the JSON path,
/// as <see cref="ExportJson"/> writes them. Stateless and thread-safe.
/// </remarks>
internal static class JsonExportPages
{
    /// <summary>Reads the array <paramref name="itemsName"/> of every page, item by item.</summary>
    /// <exception cref="BillingExportFormatException">The export is malformed.</exception>
    public static BillingExport Read(string content, string provider, string format, string itemsName, ExportItemReader readItem)
    {
        using var document = ExportJson.Parse(content, format);
        List<BilledLine> lines = [];
        DateOnly? from = null;
        DateOnly? to = null;
        foreach (var (page, pagePath) in ExportJson.Pages(document.RootElement, format))
        {
            foreach (var (item, path) in ExportJson.Array(page, itemsName, pagePath, format))
            {
                var (first, last) = readItem(item, path, lines);
                from = from is null || first < from ? first : from;
                to = to is null || last > to ? last : to;
            }
        }

        return new BillingExport(provider, lines, from, to);
    }

    /// <summary>Reads a cost report: the <c>data</c> buckets of every page, each covering [start, end) and billing its <c>results</c> to the day it starts.</summary>
    /// <remarks><paramref name="endName"/> is the bucket's end field, which an end at or before the start is reported on.</remarks>
    /// <exception cref="BillingExportFormatException">The export is malformed.</exception>
    public static BillingExport ReadCostBuckets(
        string content,
        string provider,
        string format,
        string endName,
        Func<JsonElement, string, (DateTimeOffset Start, DateTimeOffset End)> readSpan,
        Func<JsonElement, string, DateOnly, BilledLine> readResult) =>
        Read(content, provider, format, "data", (bucket, path, lines) =>
        {
            var (start, end) = readSpan(bucket, path);
            if (end <= start)
            {
                throw ExportJson.Error(format, $"{path}.{endName}", "ends before it starts");
            }

            var day = DateOnly.FromDateTime(start.UtcDateTime);
            foreach (var (result, resultPath) in ExportJson.Array(bucket, "results", path, format, required: false))
            {
                lines.Add(readResult(result, resultPath, day));
            }

            return (day, DateOnly.FromDateTime(end.AddTicks(-1).UtcDateTime));
        });
}
