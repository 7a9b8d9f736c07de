namespace Helix.LoadGenerator;

/// <summary>Nearest-rank percentiles of a sorted sample (NaN for an empty one).</summary>
internal static class Percentiles
{
    public static double Of(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
