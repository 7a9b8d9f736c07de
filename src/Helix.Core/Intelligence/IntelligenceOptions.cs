namespace Helix.Core.Intelligence;

/// <summary>How often experiments are evaluated and recommendations recomputed, off the request path.</summary>
public sealed class IntelligenceOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix:Intelligence";

    /// <summary>How often running experiments are evaluated (and stopped when decided).</summary>
    public TimeSpan ExperimentEvaluationInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often recommendations are recomputed from the log.</summary>
    public TimeSpan RecommendationRefreshInterval { get; set; } = TimeSpan.FromHours(6);
}
