using Helix.Core.Experiments;
using Xunit;

namespace Helix.Core.Tests.Experiments;

public sealed class ConfidenceSequenceTests
{
    [Fact]
    public void HalfWidth_KnownInputs_MatchesTheFormula()
    {
        // sqrt(2(tρ²+1)/(t²ρ²) · ln(sqrt(tρ²+1)/α)) with t = t* = 100, α = 0.05, σ = 1, computed independently.
        Assert.Equal(0.3035208990376253, ConfidenceSequence.HalfWidth(100, 1, 0.05, 100), 12);
        Assert.Equal(2 * 0.3035208990376253, ConfidenceSequence.HalfWidth(100, 2, 0.05, 100), 12);
        Assert.True(double.IsPositiveInfinity(ConfidenceSequence.HalfWidth(0, 1, 0.05, 100)));
    }

    [Fact]
    public void HalfWidth_MoreObservations_Narrower()
    {
        var widths = new[] { 50, 100, 1_000, 10_000 }.Select(n => ConfidenceSequence.HalfWidth(n, 1, 0.05, 100)).ToArray();

        Assert.True(widths.Zip(widths.Skip(1)).All(p => p.First > p.Second));
    }

    [Fact]
    public void Sequence_CheckedAfterEveryObservation_RarelyExcludesTheTrueMean_WhereAFixedSampleIntervalOftenDoes()
    {
        var random = new Random(20261204);
        int sequenceMisses = 0, fixedMisses = 0;
        const int Runs = 300;
        for (var run = 0; run < Runs; run++)
        {
            var successes = 0;
            bool sequenceMissed = false, fixedMissed = false;
            for (var n = 1; n <= 1000; n++)
            {
                successes += random.NextDouble() < 0.3 ? 1 : 0;
                if (n < 30)
                {
                    continue;
                }

                var mean = (double)successes / n;
                var sd = Math.Sqrt(mean * (1 - mean) * n / (n - 1));
                sequenceMissed |= Math.Abs(mean - 0.3) > ConfidenceSequence.HalfWidth(n, sd, 0.05, 100);
                fixedMissed |= Math.Abs(mean - 0.3) > 1.96 * sd / Math.Sqrt(n);
            }

            sequenceMisses += sequenceMissed ? 1 : 0;
            fixedMisses += fixedMissed ? 1 : 0;
        }

        Assert.InRange((double)sequenceMisses / Runs, 0, 0.08);
        Assert.True((double)fixedMisses / Runs > 0.2, $"a fixed-sample interval peeked at 970 times missed in {fixedMisses} of {Runs} runs");
    }

    [Fact]
    public void Difference_IsTheArmsIntervalsAtHalfAlphaCombined()
    {
        var d = ConfidenceSequence.Difference(0.2, 0.4, 200, 0.3, 0.5, 100, 0.05, 100);

        Assert.Equal(-0.1, d.Estimate, 12);
        var width = ConfidenceSequence.HalfWidth(200, 0.4, 0.025, 100) + ConfidenceSequence.HalfWidth(100, 0.5, 0.025, 100);
        Assert.Equal(-0.1 - width, d.Lower, 12);
        Assert.Equal(-0.1 + width, d.Upper, 12);
    }
}
