namespace Helix.Core.Insights;

/// <summary>The latency buckets of the hourly rollup, and percentiles read from them.</summary>
/// <remarks>
/// Buckets step 1, 1.5, 2, 3, 5, 7 per decade from 1 ms to 120 s, then one open bucket: a percentile is the upper
/// bound of the bucket it falls in, so it is exact to within that step (at most 50 % above the true value, usually
/// far less). The store's rollup trigger uses the same bounds (a test holds them together).
/// </remarks>
public static class LatencyHistogram
{
    /// <summary>The upper bound (inclusive) of each bucket, in milliseconds; the last is <see cref="double.PositiveInfinity"/>.</summary>
    public static IReadOnlyList<double> UpperBoundsMs { get; } =
    [
        1, 1.5, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700,
        1_000, 1_500, 2_000, 3_000, 5_000, 7_000, 10_000, 15_000, 20_000, 30_000, 50_000, 70_000, 120_000,
        double.PositiveInfinity,
    ];

    /// <summary>The bucket of <paramref name="latencyMs"/>.</summary>
    public static int BucketOf(double latencyMs)
    {
        for (var i = 0; i < UpperBoundsMs.Count; i++)
        {
            if (latencyMs <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Count - 1;
    }

    /// <summary>The <paramref name="quantile"/> (0 to 1) of the counts per bucket, as a bucket's upper bound; <see langword="null"/> with no counts.</summary>
    /// <param name="counts">Counts indexed by bucket (shorter than the bucket list is fine).</param>
    /// <param name="quantile">0.5 for the median, 0.95 for p95.</param>
    /// <returns>The bound; the open bucket answers its lower bound, 120 s.</returns>
    public static double? Percentile(IReadOnlyList<long> counts, double quantile)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        long total = 0;
        foreach (var count in counts)
        {
            total += count;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < counts.Count; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return double.IsPositiveInfinity(UpperBoundsMs[i]) ? UpperBoundsMs[i - 1] : UpperBoundsMs[i];
            }
        }

        return UpperBoundsMs[^2];
    }
}
