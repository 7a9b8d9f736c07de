using System.Globalization;
using System.Text.Json;
using Helix.Core.Recommendations;
using Helix.Dashboard.Components.Controls;

namespace Helix.Dashboard.Model;

/// <summary>A recommendation's evidence said in a few sentences, for the kinds whose JSON is hard to read at a glance.</summary>
/// <remarks>
/// Reads the fields <see cref="RecommendationEngine"/> writes: a price window's windows, rates, share of calls outside
/// and streamed calls; a rising price's old and new rates, dates, monthly increase and replacement; a model change's
/// candidates held back for their feedback. Fields a proposal left out are left out of the sentences; the raw JSON is
/// shown beside them. Pure and thread-safe.
/// </remarks>
public static class RecommendationEvidence
{
    /// <summary>The sentences for <paramref name="recommendation"/>; empty when its kind has none or its evidence says nothing they read.</summary>
    public static IReadOnlyList<string> Summarize(Recommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(recommendation.Evidence);
        }
        catch (JsonException)
        {
            return [];
        }

        using (document)
        {
            var evidence = document.RootElement;
            if (evidence.ValueKind != JsonValueKind.Object)
            {
                return [];
            }

            List<string> lines = [];
            switch (recommendation.Kind)
            {
                case RecommendationKinds.PriceWindow:
                    PriceWindow(evidence, lines);
                    Latency(evidence, lines);
                    break;
                case RecommendationKinds.Batch:
                    Latency(evidence, lines);
                    break;
                case RecommendationKinds.Retire when Text(evidence, "trigger") == "price_rising":
                    RisingPrice(evidence, lines);
                    break;
                case RecommendationKinds.ModelChange:
                    HeldBack(evidence, lines);
                    break;
            }

            return lines;
        }
    }

    private static void PriceWindow(JsonElement evidence, List<string> lines)
    {
        var baseRates = evidence.TryGetProperty("baseRates", out var b) && b.ValueKind == JsonValueKind.Object ? b : default;
        if (evidence.TryGetProperty("windows", out var windows) && windows.ValueKind == JsonValueKind.Array)
        {
            foreach (var window in windows.EnumerateArray().Where(w => w.ValueKind == JsonValueKind.Object))
            {
                var rates = window.TryGetProperty("rates", out var r) && r.ValueKind == JsonValueKind.Object ? r : default;
                lines.Add($"Cheaper window {Text(window, "startUtc") ?? "?"}–{Text(window, "endUtc") ?? "?"} UTC: {RateChanges(baseRates, rates)} USD per 1M tokens");
            }
        }

        if (Number(evidence, "callsOutsideWindow") is { } outside && Number(evidence, "repricedCalls") is { } calls)
        {
            var share = Decimal(evidence, "shareOutsideWindow") is { } s ? $" ({(s * 100m).ToString("0.#", CultureInfo.InvariantCulture)}%)" : "";
            lines.Add($"{outside} of {calls} calls{share} ran outside it; sending them inside would save {Usd.Format(Decimal(evidence, "savingsUsd"))} over {Number(evidence, "windowDays") ?? 30} days");
        }
    }

    private static void Latency(JsonElement evidence, List<string> lines)
    {
        if (Number(evidence, "streamedCalls") is { } streamed)
        {
            lines.Add(streamed == 0
                ? "Not latency-bound: none of its calls in the window was streamed; confirm the callers can wait"
                : $"Latency-bound: {streamed} of its calls were streamed");
        }
    }

    private static void RisingPrice(JsonElement evidence, List<string> lines)
    {
        var old = evidence.TryGetProperty("oldPrice", out var o) && o.ValueKind == JsonValueKind.Object ? o : default;
        var risen = evidence.TryGetProperty("newPrice", out var n) && n.ValueKind == JsonValueKind.Object ? n : default;
        var scheduled = evidence.TryGetProperty("scheduled", out var s) && s.ValueKind == JsonValueKind.True;
        var on = risen.ValueKind == JsonValueKind.Object && Text(risen, "effectiveFrom") is { } from && DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)
            : "?";
        var oldRates = old.ValueKind == JsonValueKind.Object && old.TryGetProperty("rates", out var or) ? or : default;
        var newRates = risen.ValueKind == JsonValueKind.Object && risen.TryGetProperty("rates", out var nr) ? nr : default;
        lines.Add($"Price {(scheduled ? "rises" : "rose")} on {on}: {RateChanges(oldRates, newRates)} USD per 1M tokens");
        if (Decimal(evidence, "projectedMonthlyCostIncreaseUsd") is { } increase)
        {
            lines.Add($"+{Usd.Format(increase)} a month on this operation's calls of the last {Number(evidence, "windowDays") ?? 30} days ({Number(evidence, "repricedCalls") ?? 0} calls)");
        }

        if (evidence.TryGetProperty("replacement", out var replacement) && replacement.ValueKind == JsonValueKind.Object && Text(replacement, "model") is { } model)
        {
            lines.Add($"Cheaper replacement: {model}, {Usd.Format(Decimal(replacement, "projectedMonthlySavingsVsNewPriceUsd"))} a month below the new price");
        }
    }

    private static void HeldBack(JsonElement evidence, List<string> lines)
    {
        if (Text(evidence, RecommendationApplier.QualityBlockedField) is { } blocked)
        {
            lines.Add($"Held back for quality, never applied: {blocked}");
        }

        if (evidence.TryGetProperty("heldBackForQuality", out var held) && held.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in held.EnumerateArray().Where(h => h.ValueKind == JsonValueKind.Object))
            {
                lines.Add($"Held back for quality: {Text(item, "model") ?? "?"} ({Usd.Format(Decimal(item, "projectedMonthlySavingsUsd"))} a month) {Text(item, "reason")}");
            }
        }
    }

    // "input 0.3 → 0.15, output 2.5 → 1.25": each rate the second set names, beside the first set's.
    private static string RateChanges(JsonElement from, JsonElement to)
    {
        if (to.ValueKind != JsonValueKind.Object)
        {
            return "rates not given";
        }

        return string.Join(", ", to.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p =>
            from.ValueKind == JsonValueKind.Object && Text(from, p.Name) is { } before
                ? $"{p.Name} {before} → {p.Value.GetString()}"
                : $"{p.Name} {p.Value.GetString()}"));
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : null;

    private static decimal? Decimal(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && decimal.TryParse(value.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number : null;
}
