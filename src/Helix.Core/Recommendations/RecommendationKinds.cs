namespace Helix.Core.Recommendations;

/// <summary>The kinds of recommendation, as the API spells them.</summary>
public static class RecommendationKinds
{
    /// <summary>Serve an operation with a cheaper model.</summary>
    public const string ModelChange = "model_change";

    /// <summary>Run an operation in a cheaper service tier (batch, flex) of its model.</summary>
    public const string Batch = "batch";

    /// <summary>Take a model whose price is unknown or rising out of a route.</summary>
    public const string Retire = "retire";

    /// <summary>Cache repeated prompt prefixes (derived from the log's prompt-prefix hashes; applied in the callers).</summary>
    public const string Cache = "cache";

    /// <summary>Cap output tokens (derived from the log's requested caps and used output; applied as the route's output cap).</summary>
    public const string Cap = "cap";

    /// <summary>Move calls into a cheaper time-of-day window of the price (derived from the price book's time windows and the log; applied in the callers).</summary>
    public const string PriceWindow = "price_window";

    /// <summary>Every kind a proposal may name.</summary>
    public static IReadOnlyList<string> All { get; } = [ModelChange, Batch, Retire, Cache, Cap, PriceWindow];

    /// <summary>Whether <paramref name="kind"/> is one of <see cref="All"/>.</summary>
    public static bool IsKnown(string? kind) => kind is not null && All.Contains(kind, StringComparer.Ordinal);
}
