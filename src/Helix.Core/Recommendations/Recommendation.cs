namespace Helix.Core.Recommendations;

/// <summary>A proposed change with its evidence and projected savings; it changes nothing by itself.</summary>
/// <remarks>Immutable; a dismissal or a refresh is a new value.</remarks>
public sealed record Recommendation
{
    /// <summary>The store's id (0 until stored).</summary>
    public long Id { get; init; }

    /// <summary>One of <see cref="RecommendationKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The operation it concerns.</summary>
    public required string Operation { get; init; }

    /// <summary>The model it proposes (or retires), when it names one.</summary>
    public string? Model { get; init; }

    /// <summary>The service tier it proposes, when it names one.</summary>
    public string? ServiceTier { get; init; }

    /// <summary>Its evidence, a JSON object.</summary>
    public required string Evidence { get; init; }

    /// <summary>The savings over 30 days computed by the savings calculator for this very change, unrounded; <see langword="null"/> when not computed.</summary>
    public decimal? ProjectedMonthlySavingsUsd { get; init; }

    /// <summary><c>helix</c> when Helix computed it, <c>proposal</c> when a principal proposed it.</summary>
    public required string Source { get; init; }

    /// <summary>Who proposed it (a principal id, or <c>helix</c>).</summary>
    public required string ProposedBy { get; init; }

    /// <summary>Where it stands.</summary>
    public RecommendationStatus Status { get; init; } = RecommendationStatus.Open;

    /// <summary>When it was first made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its evidence was last computed or it last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Who dismissed it.</summary>
    public string? DismissedBy { get; init; }

    /// <summary>Why it was dismissed.</summary>
    public string? DismissReason { get; init; }

    /// <summary>The approval asked for to apply it (the latest), if it was asked to be applied.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>When the approved change was applied, if it was.</summary>
    public DateTimeOffset? AppliedAt { get; init; }

    /// <summary>Who approved the change that was applied (a principal id).</summary>
    public string? AppliedBy { get; init; }
}
