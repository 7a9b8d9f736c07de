namespace Helix.Core.Recommendations;

/// <summary>Where a recommendation stands.</summary>
public enum RecommendationStatus
{
    /// <summary>Proposed and not yet acted on.</summary>
    Open,

    /// <summary>Dismissed with a reason; Helix does not propose the same change again.</summary>
    Dismissed,

    /// <summary>Applied, once, after a human approved it (<see cref="Recommendation.AppliedAt"/>).</summary>
    Applied,
}
