namespace Helix.Core.Savings;

/// <summary>How a replay carries a call's token counts over to a candidate model, said plainly in every result.</summary>
/// <remarks>
/// Helix keeps no sourced table of token ratios between tokenizers, so it does not invent one: counts are carried over
/// unchanged. Within a provider's own family the tokenizer is shared or close, and that is said; across families the
/// same counts are an assumption, and the result says so (the candidate's cost is then an estimate whose error is the
/// tokenizers' difference on the operation's text). Audio seconds and characters do not depend on a tokenizer.
/// </remarks>
public static class TokenCountConversion
{
    /// <summary>The counts are the candidate's own family's: carried over as logged.</summary>
    public const string SameFamily = "same-family";

    /// <summary>The counts come from another tokenizer family and are assumed equal.</summary>
    public const string AssumedEqual = "assumed-equal";

    /// <summary>Describes how counts logged on <paramref name="fromProviders"/> are carried over to <paramref name="toProvider"/>.</summary>
    /// <param name="fromProviders">The providers whose calls are replayed.</param>
    /// <param name="toProvider">The candidate's provider.</param>
    /// <returns><see cref="SameFamily"/> or <see cref="AssumedEqual"/>, followed by a sentence.</returns>
    public static string Describe(IEnumerable<string> fromProviders, string toProvider)
    {
        ArgumentNullException.ThrowIfNull(fromProviders);
        ArgumentNullException.ThrowIfNull(toProvider);
        var others = fromProviders.Where(p => !string.Equals(p, toProvider, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToArray();
        return others.Length == 0
            ? $"{SameFamily}: token counts carried over as logged ({toProvider} tokenizer on both sides)"
            : $"{AssumedEqual}: token counts carried over unchanged from {string.Join(", ", others)} to {toProvider}; tokenizers differ and no sourced ratio is applied, so the candidate's cost is an estimate";
    }
}
