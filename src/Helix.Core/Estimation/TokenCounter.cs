using Microsoft.ML.Tokenizers;

namespace Helix.Core.Estimation;

/// <summary>Counts tokens with a real BPE tokenizer (o200k_base, as GPT-4o and later use).</summary>
/// <remarks>
/// Other providers' tokenizers differ by a few percent; the count feeds estimates and budget reservations, never
/// the billed cost, which always comes from the provider's usage. Thread-safe; the tokenizer loads once.
/// </remarks>
public static class TokenCounter
{
    private static readonly Lazy<Tokenizer> s_tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>The number of tokens of <paramref name="text"/>.</summary>
    public static int Count(string? text) => string.IsNullOrEmpty(text) ? 0 : s_tokenizer.Value.CountTokens(text);

    /// <summary>The number of tokens of <paramref name="text"/>.</summary>
    public static int Count(ReadOnlySpan<char> text) => text.IsEmpty ? 0 : s_tokenizer.Value.CountTokens(text);
}
