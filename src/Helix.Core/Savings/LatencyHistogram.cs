namespace Helix.Core.Savings;

/// <summary>Latencies counted in buckets 5% wide, so percentiles over millions of calls take a few kilobytes.</summary>
/// <remarks>A percentile is the geometric middle of its bucket: within 2.5% of the exact value. Not thread-safe.</remarks>
public sealed class LatencyHistogram
{
    private const double Growth = 1.05;
    private const int Buckets = 512;
    private static readonly double s_logGrowth = Math.Log(Growth);
    private readonly long[] _counts = new long[Buckets];

    /// <summary>How many latencies were added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one latency in milliseconds.</summary>
    public void Add(double milliseconds)
    {
        var index = milliseconds <= 1 ? 0 : Math.Min(Buckets - 1, 1 + (int)(Math.Log(milliseconds) / s_logGrowth));
        _counts[index]++;
        Count++;
    }

    /// <summary>The latency under which <paramref name="fraction"/> of the added ones fall, or <see langword="null"/> when none were added.</summary>
    /// <param name="fraction">From 0 to 1 (0.95 for p95).</param>
    public double? Percentile(double fraction)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = (long)Math.Ceiling(Math.Clamp(fraction, 0, 1) * Count);
        var seen = 0L;
        for (var i = 0; i < Buckets; i++)
        {
            seen += _counts[i];
            if (seen >= Math.Max(rank, 1))
            {
                return i == 0 ? 1 : Math.Round(Math.Pow(Growth, i - 0.5), 3);
            }
        }

        return Math.Round(Math.Pow(Growth, Buckets - 1), 3);
    }
}
