namespace Helix.Core.Reconciliation;

/// <summary>The token classes of <see cref="BilledLine.TokenClass"/>, one vocabulary across every provider's export.</summary>
/// <remarks>
/// A class charged at a long-context rate carries the <see cref="LongContextSuffix"/>. Charges that are not tokens
/// (web search, code execution) keep the provider's own lower-case name.
/// </remarks>
public static class TokenClasses
{
    /// <summary>Uncached text input.</summary>
    public const string Input = "input";

    /// <summary>Input read from a provider cache.</summary>
    public const string CachedInput = "cached_input";

    /// <summary>Input written to a 5-minute cache.</summary>
    public const string CacheWrite5m = "cache_write_5m";

    /// <summary>Input written to a 1-hour cache.</summary>
    public const string CacheWrite1h = "cache_write_1h";

    /// <summary>Audio input.</summary>
    public const string InputAudio = "input_audio";

    /// <summary>Audio input read from a provider cache.</summary>
    public const string CachedInputAudio = "cached_input_audio";

    /// <summary>Image input.</summary>
    public const string InputImage = "input_image";

    /// <summary>Video input.</summary>
    public const string InputVideo = "input_video";

    /// <summary>Text output.</summary>
    public const string Output = "output";

    /// <summary>Reasoning or thinking output.</summary>
    public const string Reasoning = "reasoning";

    /// <summary>Audio output.</summary>
    public const string OutputAudio = "output_audio";

    /// <summary>Image output.</summary>
    public const string OutputImage = "output_image";

    /// <summary>Explicit context-cache storage, billed in token-hours rather than tokens.</summary>
    public const string CacheStorage = "cache_storage";

    /// <summary>Appended to a class charged at a long-context rate.</summary>
    public const string LongContextSuffix = "_long_context";

    /// <summary>Whether a class counts tokens, so that its quantity can be compared with the tokens we logged.</summary>
    public static bool IsTokenCount(string? tokenClass)
    {
        if (tokenClass is null)
        {
            return false;
        }

        var baseClass = tokenClass.EndsWith(LongContextSuffix, StringComparison.Ordinal)
            ? tokenClass[..^LongContextSuffix.Length]
            : tokenClass;
        return baseClass is Input or CachedInput or CacheWrite5m or CacheWrite1h or InputAudio or CachedInputAudio
            or InputImage or InputVideo or Output or Reasoning or OutputAudio or OutputImage;
    }

    /// <summary>Reads a token class from free text such as <c>"cached input"</c> or <c>"Gemini 2.5 Pro Output Tokens (long context)"</c>.</summary>
    /// <returns>The class, or <see langword="null"/> when the text names none.</returns>
    public static string? FromWords(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var t = " " + string.Join(' ', string.Concat(lower.Select(c => char.IsLetterOrDigit(c) ? c : ' '))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)) + " ";
        var longContext = t.Contains(" long context ", StringComparison.Ordinal)
            || lower.Replace(" ", string.Empty, StringComparison.Ordinal).Contains(">200k", StringComparison.Ordinal)
            || t.Contains(" 200k 1m ", StringComparison.Ordinal);
        var audio = Has(t, "audio");
        var image = Has(t, "image");
        var video = Has(t, "video");

        string? baseClass;
        if (Has(t, "storage"))
        {
            baseClass = CacheStorage;
        }
        else if (t.Contains(" cache write", StringComparison.Ordinal) || t.Contains(" cache creation ", StringComparison.Ordinal))
        {
            baseClass = Has(t, "1h") || t.Contains("1 hour", StringComparison.Ordinal) ? CacheWrite1h : CacheWrite5m;
        }
        else if (Has(t, "cached") || Has(t, "caching") || t.Contains(" cache read ", StringComparison.Ordinal)
            || t.Contains(" cache hit ", StringComparison.Ordinal))
        {
            baseClass = audio ? CachedInputAudio : CachedInput;
        }
        else if (Has(t, "thinking") || Has(t, "reasoning"))
        {
            baseClass = Reasoning;
        }
        else if (Has(t, "output") || Has(t, "completion") || Has(t, "generated"))
        {
            baseClass = audio ? OutputAudio : image ? OutputImage : Output;
        }
        else if (Has(t, "input") || Has(t, "prompt"))
        {
            baseClass = audio ? InputAudio : image ? InputImage : video ? InputVideo : Input;
        }
        else
        {
            return null;
        }

        return longContext && baseClass != CacheStorage ? baseClass + LongContextSuffix : baseClass;
    }

    /// <summary>A provider's own name for a charge, lower-case with spaces as underscores, for charges outside the vocabulary.</summary>
    public static string Slug(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Join('_', text.Trim().ToLowerInvariant().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
    }

    private static bool Has(string paddedWords, string word) =>
        paddedWords.Contains(" " + word + " ", StringComparison.Ordinal)
        || paddedWords.Contains(" " + word + "s ", StringComparison.Ordinal);
}
