namespace Helix.Core.Metering;

/// <summary>The billable quantities of one provider call, each counted once.</summary>
/// <remarks>
/// Meters are disjoint: no meter is a subset of another, so a cost is the sum of each meter times its rate.
/// Provider usage that reports subsets (OpenAI's cached tokens inside prompt tokens, reasoning inside completion
/// tokens, Gemini's cached tokens inside the prompt count) is split by the adapter before it lands here.
/// An immutable value; safe to share.
/// </remarks>
public readonly record struct UsageMeters
{
    /// <summary>Uncached text input tokens.</summary>
    public long InputTokens { get; init; }

    /// <summary>Text input tokens read from a provider cache.</summary>
    public long CacheReadTokens { get; init; }

    /// <summary>Tokens written to a 5-minute cache (Anthropic ephemeral default).</summary>
    public long CacheWrite5mTokens { get; init; }

    /// <summary>Tokens written to a 1-hour cache (Anthropic extended TTL).</summary>
    public long CacheWrite1hTokens { get; init; }

    /// <summary>Uncached audio input tokens.</summary>
    public long InputAudioTokens { get; init; }

    /// <summary>Audio input tokens read from a provider cache.</summary>
    public long CacheReadAudioTokens { get; init; }

    /// <summary>Image and document input tokens.</summary>
    public long InputImageTokens { get; init; }

    /// <summary>Video input tokens.</summary>
    public long InputVideoTokens { get; init; }

    /// <summary>Tokens of tool or grounding results fed back as input (Gemini <c>toolUsePromptTokenCount</c>), billed as input.</summary>
    public long ToolPromptTokens { get; init; }

    /// <summary>Text output tokens, not counting reasoning or audio output.</summary>
    public long OutputTokens { get; init; }

    /// <summary>Reasoning or thinking tokens, billed as output unless a price says otherwise.</summary>
    public long ReasoningTokens { get; init; }

    /// <summary>Audio output tokens.</summary>
    public long OutputAudioTokens { get; init; }

    /// <summary>Seconds of audio billed (duration times channels where the provider bills per channel).</summary>
    public decimal AudioSeconds { get; init; }

    /// <summary>Characters of text billed (text-to-speech).</summary>
    public long Characters { get; init; }

    /// <summary>Billable requests (per-request prices); 0 when the call is not billed per request.</summary>
    public long Requests { get; init; }

    /// <summary>Web search or grounding requests made by the provider on the call's behalf.</summary>
    public long WebSearchRequests { get; init; }

    /// <summary>Token-hours of explicit context-cache storage.</summary>
    public decimal CacheStorageTokenHours { get; init; }

    /// <summary>Every input token of the request (uncached, cached and written, all modalities), as long-context tiers count them.</summary>
    public long PromptTokens =>
        InputTokens + CacheReadTokens + CacheWrite5mTokens + CacheWrite1hTokens
        + InputAudioTokens + CacheReadAudioTokens + InputImageTokens + InputVideoTokens;

    /// <summary>Every output token (text, reasoning and audio).</summary>
    public long CompletionTokens => OutputTokens + ReasoningTokens + OutputAudioTokens;

    /// <summary>Whether nothing at all was metered.</summary>
    public bool IsEmpty => this == default;

    /// <summary>Adds two sets of meters.</summary>
    public static UsageMeters operator +(UsageMeters left, UsageMeters right) => new()
    {
        InputTokens = left.InputTokens + right.InputTokens,
        CacheReadTokens = left.CacheReadTokens + right.CacheReadTokens,
        CacheWrite5mTokens = left.CacheWrite5mTokens + right.CacheWrite5mTokens,
        CacheWrite1hTokens = left.CacheWrite1hTokens + right.CacheWrite1hTokens,
        InputAudioTokens = left.InputAudioTokens + right.InputAudioTokens,
        CacheReadAudioTokens = left.CacheReadAudioTokens + right.CacheReadAudioTokens,
        InputImageTokens = left.InputImageTokens + right.InputImageTokens,
        InputVideoTokens = left.InputVideoTokens + right.InputVideoTokens,
        ToolPromptTokens = left.ToolPromptTokens + right.ToolPromptTokens,
        OutputTokens = left.OutputTokens + right.OutputTokens,
        ReasoningTokens = left.ReasoningTokens + right.ReasoningTokens,
        OutputAudioTokens = left.OutputAudioTokens + right.OutputAudioTokens,
        AudioSeconds = left.AudioSeconds + right.AudioSeconds,
        Characters = left.Characters + right.Characters,
        Requests = left.Requests + right.Requests,
        WebSearchRequests = left.WebSearchRequests + right.WebSearchRequests,
        CacheStorageTokenHours = left.CacheStorageTokenHours + right.CacheStorageTokenHours,
    };

    /// <summary>Adds two sets of meters.</summary>
    public static UsageMeters Add(UsageMeters left, UsageMeters right) => left + right;
}
