namespace Helix.Core.Pricing;

/// <summary>Unit prices in USD for each meter; <see langword="null"/> means the provider publishes no price for it.</summary>
/// <remarks>
/// Token prices are per million tokens, as providers publish them. A meter that has usage but no price makes the
/// call <see cref="CostStatus.Unpriced"/>, never free. Two defaults are deliberate and documented by every provider
/// we support: tool-result prompt tokens are billed as input, reasoning tokens as output.
/// </remarks>
public sealed record PriceRates
{
    /// <summary>Uncached text input, per 1M tokens.</summary>
    public decimal? Input { get; init; }

    /// <summary>Cached text input read, per 1M tokens.</summary>
    public decimal? CacheRead { get; init; }

    /// <summary>5-minute cache write, per 1M tokens.</summary>
    public decimal? CacheWrite5m { get; init; }

    /// <summary>1-hour cache write, per 1M tokens.</summary>
    public decimal? CacheWrite1h { get; init; }

    /// <summary>Uncached audio input, per 1M tokens.</summary>
    public decimal? InputAudio { get; init; }

    /// <summary>Cached audio input read, per 1M tokens.</summary>
    public decimal? CacheReadAudio { get; init; }

    /// <summary>Image input, per 1M tokens.</summary>
    public decimal? InputImage { get; init; }

    /// <summary>Video input, per 1M tokens.</summary>
    public decimal? InputVideo { get; init; }

    /// <summary>Tool-result prompt tokens, per 1M tokens; the input price when not set.</summary>
    public decimal? ToolPrompt { get; init; }

    /// <summary>Text output, per 1M tokens.</summary>
    public decimal? Output { get; init; }

    /// <summary>Reasoning output, per 1M tokens; the output price when not set.</summary>
    public decimal? Reasoning { get; init; }

    /// <summary>Audio output, per 1M tokens.</summary>
    public decimal? OutputAudio { get; init; }

    /// <summary>Audio, per minute (billed on seconds).</summary>
    public decimal? AudioPerMinute { get; init; }

    /// <summary>Characters, per 1M characters.</summary>
    public decimal? CharactersPerMillion { get; init; }

    /// <summary>Per billable request.</summary>
    public decimal? PerRequest { get; init; }

    /// <summary>Web search or grounding, per 1,000 requests.</summary>
    public decimal? WebSearchPerThousand { get; init; }

    /// <summary>Explicit context-cache storage, per 1M token-hours.</summary>
    public decimal? CacheStoragePerMillionTokenHours { get; init; }
}
