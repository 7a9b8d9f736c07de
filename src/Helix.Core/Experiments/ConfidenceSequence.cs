namespace Helix.Core.Experiments;

/// <summary>Always-valid confidence sequences for a mean: intervals that hold at every sample size at once, so an experiment may be checked after every call and stopped whenever one decides.</summary>
/// <remarks>
/// <para>
/// The asymptotic confidence sequence of Waudby-Smith, Arbour, Sinha, Kennedy and Ramdas, "Time-uniform central limit
/// theory and asymptotic confidence sequences" (Annals of Statistics, 2024; arXiv:2103.06476), with the normal-mixture
/// boundary of Robbins: after <c>t</c> observations with mean <c>μ̂</c> and standard deviation <c>σ̂</c>,
/// <c>μ̂ ± σ̂ · sqrt(2(tρ² + 1) / (t²ρ²) · ln(sqrt(tρ² + 1) / α))</c>, where
/// <c>ρ² = (−2 ln α + ln(−2 ln α + 1)) / t*</c> makes the sequence tightest near <c>t*</c> observations.
/// </para>
/// <para>
/// A difference between two independent arms is bounded by each arm's sequence at <c>α/2</c> (a union bound), which is
/// conservative and needs no pairing of calls. Pure; thread-safe.
/// </para>
/// </remarks>
public static class ConfidenceSequence
{
    /// <summary>The half-width of the sequence after <paramref name="count"/> observations.</summary>
    /// <param name="count">Observations so far.</param>
    /// <param name="standardDeviation">Their standard deviation.</param>
    /// <param name="alpha">The error level, in (0, 1).</param>
    /// <param name="tunedFor">The sample size the boundary is tightest at (the planned calls per arm).</param>
    /// <returns>The half-width; infinite with no observation.</returns>
    public static double HalfWidth(long count, double standardDeviation, double alpha, double tunedFor)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(alpha);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1);
        if (count <= 0)
        {
            return double.PositiveInfinity;
        }

        var rho2 = (-2 * Math.Log(alpha) + Math.Log(-2 * Math.Log(alpha) + 1)) / Math.Max(1, tunedFor);
        double t = count;
        var trho = t * rho2;
        return standardDeviation * Math.Sqrt(2 * (trho + 1) / (t * t * rho2) * Math.Log(Math.Sqrt(trho + 1) / alpha));
    }

    /// <summary>The interval of the difference <c>treatment − control</c> of two independent means, each arm's sequence at <c>α/2</c>.</summary>
    public static ConfidenceInterval Difference(
        double treatmentMean, double treatmentSd, long treatmentCount,
        double controlMean, double controlSd, long controlCount,
        double alpha, double tunedFor)
    {
        var t = HalfWidth(treatmentCount, treatmentSd, alpha / 2, tunedFor);
        var c = HalfWidth(controlCount, controlSd, alpha / 2, tunedFor);
        return new ConfidenceInterval(treatmentMean - controlMean, treatmentMean - controlMean - t - c, treatmentMean - controlMean + t + c);
    }
}
