namespace Helix.Core.Reconciliation;

/// <summary>One compared bucket of a reconciliation: a UTC day and a model, our cost against the billed amount.</summary>
/// <remarks>Immutable. Amounts are unrounded sums.</remarks>
public sealed record ReconciliationBucket
{
    /// <summary>The UTC day.</summary>
    public required DateOnly Day { get; init; }

    /// <summary>The canonical model id.</summary>
    public required string Model { get; init; }

    /// <summary>The provider project of the bucket; <see langword="null"/> while the operation log has no projects to attribute calls to.</summary>
    public string? Project { get; init; }

    /// <summary>Which sides have the bucket.</summary>
    public required BucketPresence Presence { get; init; }

    /// <summary>Our cost in USD.</summary>
    public required decimal OursUsd { get; init; }

    /// <summary>The billed amount in USD.</summary>
    public required decimal TheirsUsd { get; init; }

    /// <summary>Ours minus theirs, in USD.</summary>
    public required decimal DifferenceUsd { get; init; }

    /// <summary>The difference relative to theirs, in percent, rounded to 4 places (100 when theirs is 0 and ours is not).</summary>
    public required decimal DifferencePercent { get; init; }

    /// <summary>Whether the difference is within the relative tolerance or the absolute floor.</summary>
    public required bool WithinTolerance { get; init; }

    /// <summary>Our calls counted in the bucket.</summary>
    public int OurCalls { get; init; }

    /// <summary>Our calls in the bucket that have no price (they add nothing to <see cref="OursUsd"/>).</summary>
    public int UnpricedCalls { get; init; }

    /// <summary>The bill's lines in the bucket.</summary>
    public int BilledLines { get; init; }

    /// <summary>Calls matched to the bill one by one on the provider's request id.</summary>
    public int MatchedRequests { get; init; }

    /// <summary>Every token we logged in the bucket (input of all kinds, tool prompts, output, reasoning).</summary>
    public long OurTokens { get; init; }

    /// <summary>The tokens the bill charges, when every token line of the bucket gives a quantity.</summary>
    public long? BilledTokens { get; init; }

    /// <summary>What the difference most likely is, for a bucket out of tolerance or found on one side only.</summary>
    public string? Explanation { get; init; }
}
