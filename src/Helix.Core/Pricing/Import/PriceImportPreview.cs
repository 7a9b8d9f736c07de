namespace Helix.Core.Pricing.Import;

/// <summary>What importing a LiteLLM price map would do, or did: the plan and the imported prices left out of it, each with why.</summary>
/// <param name="Plan">Per model: added, changed, unchanged, retired, with each rate before and after.</param>
/// <param name="Refused">The imported prices out of bounds, left out of the plan.</param>
/// <param name="Applied">Whether the plan's prices are now overrides in force.</param>
public sealed record PriceImportPreview(PriceImportPlan Plan, IReadOnlyList<string> Refused, bool Applied);
