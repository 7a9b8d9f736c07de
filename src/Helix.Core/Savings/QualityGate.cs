using System.Globalization;

namespace Helix.Core.Savings;

/// <summary>When feedback forbids a cheaper model: its answers rated worse than the current models' by more than a margin, on enough ratings on both sides.</summary>
/// <remarks>
/// Both sides are the feedback on the −1..1 scale received in the replayed window (<see cref="ModelEvidence.MeanScore"/>);
/// the current side pools the operation's current models, each weighted by its ratings. With fewer than
/// <see cref="MinRatedCalls"/> ratings on either side, quality decides nothing, as in an experiment. Pure and thread-safe.
/// </remarks>
public static class QualityGate
{
    /// <summary>The fewest rated calls each side needs before quality decides anything; the experiments' quality guardrail uses the same number per arm.</summary>
    public const int MinRatedCalls = 20;

    /// <summary>How far below the current models' mean feedback score a candidate's may fall (−1..1 scale); the experiments' default quality guardrail.</summary>
    public const decimal MaxScoreDecrease = 0.1m;

    /// <summary>Why <paramref name="candidate"/> is held back for its quality, or <see langword="null"/> when feedback does not forbid it.</summary>
    /// <param name="current">The models that served the operation, with their feedback.</param>
    /// <param name="candidate">The cheaper model, with its feedback.</param>
    public static string? WhyBlocked(IEnumerable<ModelEvidence> current, ModelEvidence candidate)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(candidate);
        if (candidate.MeanScore is not { } candidateScore || candidate.Ratings < MinRatedCalls)
        {
            return null;
        }

        var rated = current.Where(m => m.MeanScore is not null && m.Ratings > 0 && !string.Equals(m.Model, candidate.Model, StringComparison.OrdinalIgnoreCase)).ToArray();
        var ratings = rated.Sum(m => m.Ratings);
        if (ratings < MinRatedCalls)
        {
            return null;
        }

        var currentScore = rated.Sum(m => m.MeanScore!.Value * m.Ratings) / ratings;
        var decrease = currentScore - candidateScore;
        return decrease > MaxScoreDecrease
            ? string.Create(CultureInfo.InvariantCulture,
                $"rated {candidateScore:0.###} on average over {candidate.Ratings} feedback ratings against {decimal.Round(currentScore, 4):0.###} over {ratings} for the current models: {decimal.Round(decrease, 4):0.###} lower, more than the {MaxScoreDecrease} allowed (-1..1 scale, at least {MinRatedCalls} ratings on each side)")
            : null;
    }
}
