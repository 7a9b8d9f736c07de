using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helix.Core.Reconciliation;

/// <summary>The outcome of comparing a provider's bill with the operation log over a period of UTC days.</summary>
/// <remarks>Immutable. <see cref="Id"/> is 0 until a store saves the report and returns it with its id.</remarks>
public sealed record ReconciliationReport
{
    /// <summary>
    /// Serializer options of the report's JSON form (camelCase, enums as strings, decimals as exact decimal strings;
    /// reports stored with JSON numbers still read).
    /// </summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), Pricing.DecimalStringJsonConverter.Instance },
    };

    /// <summary>The store's id; 0 until saved.</summary>
    public long Id { get; init; }

    /// <summary>The Helix provider id.</summary>
    public required string Provider { get; init; }

    /// <summary>The first UTC day compared.</summary>
    public required DateOnly From { get; init; }

    /// <summary>The last UTC day compared (inclusive).</summary>
    public required DateOnly To { get; init; }

    /// <summary>When the reconciliation ran.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Whether the totals and every bucket are within tolerance and no matched request differs.</summary>
    public required bool Passed { get; init; }

    /// <summary>The relative tolerance used (0.01 is 1%).</summary>
    public required decimal Tolerance { get; init; }

    /// <summary>The absolute floor used, in USD.</summary>
    public required decimal AbsoluteToleranceUsd { get; init; }

    /// <summary>The sums over every bucket.</summary>
    public required ReconciliationTotals Totals { get; init; }

    /// <summary>Every bucket, by day then model.</summary>
    public required IReadOnlyList<ReconciliationBucket> Buckets { get; init; }

    /// <summary>The models of the buckets found on both sides that are out of tolerance, or that have a differing matched request.</summary>
    public required IReadOnlyList<string> MispricedModels { get; init; }

    /// <summary>Calls matched on the provider's request id whose cost differs beyond the tolerance.</summary>
    public IReadOnlyList<RequestMismatch> RequestMismatches { get; init; } = [];

    /// <summary>What the reader should know about how the comparison was made.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Buckets we logged that the bill lacks.</summary>
    [JsonIgnore]
    public IEnumerable<ReconciliationBucket> MissingFromBill => Buckets.Where(b => b.Presence == BucketPresence.OnlyInLog);

    /// <summary>Billed buckets we never logged.</summary>
    [JsonIgnore]
    public IEnumerable<ReconciliationBucket> MissingFromLog => Buckets.Where(b => b.Presence == BucketPresence.OnlyInBill);

    /// <summary>The report as JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    /// <exception cref="JsonException">The JSON is not a report.</exception>
    public static ReconciliationReport FromJson(string json) =>
        JsonSerializer.Deserialize<ReconciliationReport>(json, SerializerOptions) ?? throw new JsonException("The reconciliation report is empty.");
}
