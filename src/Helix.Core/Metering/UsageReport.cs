namespace Helix.Core.Metering;

/// <summary>What a provider reported about one call: the meters, and whether the report was complete.</summary>
/// <remarks>
/// <see cref="IsKnown"/> is <see langword="false"/> when the provider never sent usage (a stream cut before its
/// usage chunk, or a stream the caller asked without usage): the call was still billed, so it is priced from an
/// estimate and flagged, never recorded as free.
/// </remarks>
/// <param name="Meters">The metered quantities.</param>
/// <param name="IsKnown">Whether the provider reported usage.</param>
/// <param name="ReportedModel">The model the response names (a dated snapshot, say); priced in preference to the requested one.</param>
/// <param name="ServiceTier">The service tier the provider says it used (<c>default</c>, <c>flex</c>, <c>priority</c>, <c>batch</c>).</param>
/// <param name="ProviderRequestId">The provider's id for the call, kept for reconciliation.</param>
public readonly record struct UsageReport(
    UsageMeters Meters,
    bool IsKnown,
    string? ReportedModel = null,
    string? ServiceTier = null,
    string? ProviderRequestId = null)
{
    /// <summary>A report for a call whose usage never arrived.</summary>
    public static UsageReport Unknown(string? reportedModel = null, string? providerRequestId = null) =>
        new(default, IsKnown: false, reportedModel, ProviderRequestId: providerRequestId);
}
