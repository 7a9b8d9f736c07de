using Helix.Core.Experiments;
using Helix.Core.Savings;
using Xunit;

namespace Helix.Core.Tests.Savings;

public sealed class QualityGateTests
{
    private static ModelEvidence Rated(string model, long ratings, decimal? score) => new(model, 100, 0, 10, 20, ratings, score);

    [Fact]
    public void WhyBlocked_WorseByMoreThanTheMarginOnEnoughRatings_SaysWhy()
    {
        var why = QualityGate.WhyBlocked([Rated("a/current", 20, 0.8m)], Rated("b/cheap", 20, 0.6m));

        Assert.NotNull(why);
        Assert.StartsWith("rated 0.6 on average over 20 feedback ratings against 0.8 over 20", why, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(19, 20, 0.0)]   // too few ratings on the candidate
    [InlineData(20, 19, 0.0)]   // too few on the current models
    [InlineData(20, 20, 0.7)]   // exactly the margin below: allowed
    [InlineData(50, 50, 0.9)]   // better
    public void WhyBlocked_TooFewRatingsOrWithinTheMargin_Null(long candidateRatings, long currentRatings, double candidateScore)
    {
        Assert.Null(QualityGate.WhyBlocked([Rated("a/current", currentRatings, 0.8m)], Rated("b/cheap", candidateRatings, (decimal)candidateScore)));
    }

    [Fact]
    public void WhyBlocked_CurrentModelsPooledByTheirRatings()
    {
        // (30 × 1 + 10 × −1) / 40 = 0.5: a candidate at 0.45 is within the margin, at 0.35 it is not.
        ModelEvidence[] current = [Rated("a/one", 30, 1m), Rated("a/two", 10, -1m), Rated("a/unrated", 0, null)];

        Assert.Null(QualityGate.WhyBlocked(current, Rated("b/cheap", 25, 0.45m)));
        Assert.NotNull(QualityGate.WhyBlocked(current, Rated("b/cheap", 25, 0.35m)));
        Assert.Null(QualityGate.WhyBlocked(current, Rated("b/cheap", 25, null)));
    }

    [Fact]
    public void Constants_SharedWithTheExperimentsQualityGuardrail()
    {
        Assert.Equal(QualityGate.MinRatedCalls, ExperimentEvaluator.MinScoredCallsPerArm);
        Assert.Equal(QualityGate.MaxScoreDecrease, new ExperimentGuardrails().MaxQualityDecrease);
    }
}
