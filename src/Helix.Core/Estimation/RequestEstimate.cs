namespace Helix.Core.Estimation;

/// <summary>What a request will use at most, known before it is sent.</summary>
/// <param name="InputTokens">Text input tokens, counted with a tokenizer (message framing included).</param>
/// <param name="ImageParts">Image or other media parts, priced as a typical image each.</param>
/// <param name="MaxOutputTokens">The output cap the request sets, or the model's default cap.</param>
public readonly record struct RequestEstimate(int InputTokens, int ImageParts, int? MaxOutputTokens);
