namespace Helix.Core.Reconciliation;

/// <summary>A call matched to the bill on the provider's request id whose cost differs beyond the tolerance.</summary>
/// <param name="RequestId">The provider's id of the request.</param>
/// <param name="Day">The UTC day the bill puts the request on.</param>
/// <param name="Model">The canonical model id the bill names.</param>
/// <param name="OursUsd">Our cost of the request.</param>
/// <param name="TheirsUsd">The billed amount of the request.</param>
/// <param name="DifferenceUsd">Ours minus theirs.</param>
public sealed record RequestMismatch(string RequestId, DateOnly Day, string Model, decimal OursUsd, decimal TheirsUsd, decimal DifferenceUsd);
