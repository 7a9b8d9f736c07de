namespace Helix.Core.Reconciliation;

/// <summary>One row of the table that maps Cloud Billing SKU descriptions to Gemini model ids.</summary>
/// <param name="Pattern">Words the SKU description contains, such as <c>"Gemini 2.5 Flash Lite"</c>; case, hyphens and repeated spaces are ignored.</param>
/// <param name="Model">The model id charges of matching SKUs are for, such as <c>gemini-2.5-flash-lite</c>.</param>
public sealed record GeminiSkuPattern(string Pattern, string Model);
