using Helix.Core.Resilience;
using Xunit;

namespace Helix.Core.Tests.Resilience;

public sealed class BackoffTests
{
    private static readonly TimeSpan s_base = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(5);

    [Theory]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    [InlineData(5, 3200)]
    [InlineData(6, 5000)]
    [InlineData(60, 5000)]
    [InlineData(10_000, 5000)]
    public void Delay_AnyRetry_JittersBetweenHalfCeilingAndCeiling(int retry, double ceilingMs)
    {
        var delays = Enumerable.Range(0, 500).Select(_ => Backoff.Delay(retry, s_base, s_max).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, ceilingMs / 2, ceilingMs));
        Assert.True(delays.Distinct().Count() > 1, "The delays are not jittered.");
    }

    [Fact]
    public void Delay_LaterRetry_WaitsLongerUntilTheCap()
    {
        var first = Enumerable.Range(0, 200).Max(_ => Backoff.Delay(1, s_base, s_max));
        var third = Enumerable.Range(0, 200).Min(_ => Backoff.Delay(3, s_base, s_max));
        var capped = Enumerable.Range(0, 200).Max(_ => Backoff.Delay(40, s_base, s_max));

        Assert.True(third > first);
        Assert.True(capped <= s_max);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void Delay_RetryBelowOne_UsesTheBaseDelay(int retry)
    {
        Assert.InRange(Backoff.Delay(retry, s_base, s_max).TotalMilliseconds, 100, 200);
    }

    [Fact]
    public void Delay_ZeroBase_IsZero()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.Delay(4, TimeSpan.Zero, s_max));
    }
}
