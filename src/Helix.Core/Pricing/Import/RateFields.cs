namespace Helix.Core.Pricing.Import;

/// <summary>The per-meter fields of <see cref="PriceRates"/>, by their JSON names, for comparing and overlaying rates.</summary>
internal static class RateFields
{
    /// <summary>Every field, in the order <see cref="PriceRates"/> declares them.</summary>
    public static IReadOnlyList<RateField> All { get; } =
    [
        new("input", r => r.Input, (r, v) => r with { Input = v }),
        new("cacheRead", r => r.CacheRead, (r, v) => r with { CacheRead = v }),
        new("cacheWrite5m", r => r.CacheWrite5m, (r, v) => r with { CacheWrite5m = v }),
        new("cacheWrite1h", r => r.CacheWrite1h, (r, v) => r with { CacheWrite1h = v }),
        new("inputAudio", r => r.InputAudio, (r, v) => r with { InputAudio = v }),
        new("cacheReadAudio", r => r.CacheReadAudio, (r, v) => r with { CacheReadAudio = v }),
        new("inputImage", r => r.InputImage, (r, v) => r with { InputImage = v }),
        new("inputVideo", r => r.InputVideo, (r, v) => r with { InputVideo = v }),
        new("toolPrompt", r => r.ToolPrompt ?? r.Input, (r, v) => r with { ToolPrompt = v }, r => r.ToolPrompt),
        new("output", r => r.Output, (r, v) => r with { Output = v }),
        new("reasoning", r => r.Reasoning ?? r.Output, (r, v) => r with { Reasoning = v }, r => r.Reasoning),
        new("outputAudio", r => r.OutputAudio, (r, v) => r with { OutputAudio = v }),
        new("audioPerMinute", r => r.AudioPerMinute, (r, v) => r with { AudioPerMinute = v }),
        new("charactersPerMillion", r => r.CharactersPerMillion, (r, v) => r with { CharactersPerMillion = v }),
        new("perRequest", r => r.PerRequest, (r, v) => r with { PerRequest = v }),
        new("webSearchPerThousand", r => r.WebSearchPerThousand, (r, v) => r with { WebSearchPerThousand = v }),
        new("cacheStoragePerMillionTokenHours", r => r.CacheStoragePerMillionTokenHours,
            (r, v) => r with { CacheStoragePerMillionTokenHours = v }),
    ];

    /// <summary><paramref name="baseRates"/> with every field <paramref name="top"/> sets replacing its own.</summary>
    public static PriceRates Overlay(PriceRates baseRates, PriceRates top)
    {
        var result = baseRates;
        foreach (var field in All)
        {
            if (field.Declared(top) is { } value)
            {
                result = field.Set(result, value);
            }
        }

        return result;
    }

    /// <summary>Whether no field is set.</summary>
    public static bool IsEmpty(PriceRates rates)
    {
        foreach (var field in All)
        {
            if (field.Declared(rates) is not null)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>One field of <see cref="PriceRates"/>.</summary>
/// <param name="Name">The field's JSON name.</param>
/// <param name="Effective">The rate the calculator applies (reasoning falls back to output, tool prompts to input).</param>
/// <param name="Set">A copy of the rates with the field set.</param>
/// <param name="DeclaredOrNull">The value as declared, when it differs from <paramref name="Effective"/>; <see langword="null"/> to use it.</param>
internal sealed record RateField(
    string Name,
    Func<PriceRates, decimal?> Effective,
    Func<PriceRates, decimal?, PriceRates> Set,
    Func<PriceRates, decimal?>? DeclaredOrNull = null)
{
    /// <summary>The value as declared on the rates, without fallbacks.</summary>
    public decimal? Declared(PriceRates rates) => (DeclaredOrNull ?? Effective)(rates);
}
