namespace Helix.Core.Reconciliation;

/// <summary>One normalised line of a provider's bill: an amount charged for a model on a UTC day.</summary>
/// <remarks>An immutable value produced by an <see cref="IBillingExportParser"/>; safe to share.</remarks>
/// <param name="Provider">The Helix provider id (<c>openai</c>, <c>anthropic</c>, <c>gemini</c>, <c>deepgram</c>).</param>
/// <param name="Day">The UTC day the charge belongs to.</param>
/// <param name="Model">The provider's model id, lower-case, without provider prefix or dated-snapshot suffix (see <see cref="BilledModelNames"/>).</param>
/// <param name="TokenClass">What was charged (see <see cref="TokenClasses"/>), when the export says.</param>
/// <param name="Project">The provider's project or workspace the charge is attributed to, when the export says.</param>
/// <param name="AmountUsd">The net amount in USD, unrounded (credits already subtracted).</param>
/// <param name="Quantity">The number of tokens charged, when the export gives a token count.</param>
/// <param name="RequestId">The provider's id of the request, when the export is per request.</param>
public sealed record BilledLine(
    string Provider,
    DateOnly Day,
    string Model,
    string? TokenClass,
    string? Project,
    decimal AmountUsd,
    long? Quantity,
    string? RequestId);
