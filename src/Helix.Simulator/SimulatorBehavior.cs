namespace Helix.Simulator;

/// <summary>How the simulated provider answers the calls a behaviour applies to: timing, usage and faults.</summary>
/// <remarks>
/// An immutable value. Token rules: prompt tokens are <c>ceil(characters of the request's text / 4)</c> (at least 1)
/// unless <see cref="PromptTokens"/> fixes them; the reply is <c>min(max tokens of the request, CompletionTokens)</c>
/// words, one token each.
/// </remarks>
public sealed record SimulatorBehavior
{
    /// <summary>Time before the first byte of the answer (real time). A non-streamed answer also waits the chunk delays a stream would.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>Time between two streamed chunks (real time); <see langword="null"/> sends them back to back.</summary>
    public TimeSpan? ChunkDelay { get; init; }

    /// <summary>Input tokens of every call, whatever its text; <see langword="null"/> counts a token per 4 characters.</summary>
    public int? PromptTokens { get; init; }

    /// <summary>Reply tokens (words) when the request's max tokens allows; 24 by default.</summary>
    public int CompletionTokens { get; init; } = 24;

    /// <summary>Input tokens read from the provider's cache (capped at the prompt tokens).</summary>
    public int CachedTokens { get; init; }

    /// <summary>
    /// Input tokens written to the provider's cache (Anthropic only, where writes are billed): 1-hour writes when
    /// the request has a <c>cache_control</c> with <c>ttl:"1h"</c>, 5-minute writes otherwise.
    /// </summary>
    public int CacheWriteTokens { get; init; }

    /// <summary>
    /// Reasoning tokens, counted in the output on top of the reply. Where thinking is a request switch (DeepSeek
    /// <c>thinking</c> or a <c>*reasoner</c> model, Anthropic <c>thinking</c>) the model reasons only when it is on,
    /// and then 0 means "as many as the reply"; Gemini's <c>thinkingBudget</c> caps it.
    /// </summary>
    public int ReasoningTokens { get; init; }

    /// <summary>Audio duration of every transcription, in seconds; <see langword="null"/> derives it from the audio bytes.</summary>
    public double? AudioSeconds { get; init; }

    /// <summary>The model id the response reports (a dated snapshot, say); <see langword="null"/> echoes the requested one.</summary>
    public string? ReportedModel { get; init; }

    /// <summary>The failure to produce instead of a normal answer.</summary>
    public SimulatorFault Fault { get; init; }

    /// <summary>How many matching calls fail with <see cref="Fault"/> before calls succeed again; <see langword="null"/> fails them all.</summary>
    public int? FaultCount { get; init; }

    /// <summary>The delay a <see cref="SimulatorFault.RateLimited"/> answer asks for, in seconds (1 by default).</summary>
    public int RetryAfterSeconds { get; init; } = 1;
}
