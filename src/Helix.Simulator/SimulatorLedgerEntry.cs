namespace Helix.Simulator;

/// <summary>One call the simulated provider billed: what a provider's usage export would count for it.</summary>
/// <remarks>
/// Token counts follow one rule for every provider, whatever its wire shape: <paramref name="PromptTokens"/> is every
/// input token (cache reads and cache writes included), <paramref name="CachedTokens"/>,
/// <paramref name="CacheWrite5mTokens"/> and <paramref name="CacheWrite1hTokens"/> are subsets of it;
/// <paramref name="CompletionTokens"/> is every output token and <paramref name="ReasoningTokens"/> a subset of it.
/// An immutable value.
/// </remarks>
/// <param name="At">When the call was billed, from the simulator's <see cref="TimeProvider"/>.</param>
/// <param name="Provider">One of <see cref="SimulatorProviders"/>.</param>
/// <param name="Model">The model the response reported (the behaviour's <see cref="SimulatorBehavior.ReportedModel"/>, else the requested one).</param>
/// <param name="RequestId">The provider's request id: <c>x-request-id</c> (OpenAI, DeepSeek), <c>request-id</c> (Anthropic), <c>responseId</c> (Gemini), <c>metadata.request_id</c> (Deepgram).</param>
/// <param name="PromptTokens">Every input token.</param>
/// <param name="CachedTokens">Input tokens read from a cache.</param>
/// <param name="CompletionTokens">Every output token, reasoning included; for a cut stream only what was sent.</param>
/// <param name="ReasoningTokens">Reasoning or thinking tokens.</param>
/// <param name="AudioSeconds">Seconds of audio billed (Deepgram: duration times channels when multichannel).</param>
/// <param name="Characters">Characters billed (text-to-speech input).</param>
/// <param name="Streamed">Whether the answer was streamed.</param>
/// <param name="CacheWrite5mTokens">Input tokens written to a 5-minute cache (Anthropic).</param>
/// <param name="CacheWrite1hTokens">Input tokens written to a 1-hour cache (Anthropic).</param>
public sealed record SimulatorLedgerEntry(
    DateTimeOffset At,
    string Provider,
    string Model,
    string RequestId,
    long PromptTokens,
    long CachedTokens,
    long CompletionTokens,
    long ReasoningTokens,
    double AudioSeconds,
    long Characters,
    bool Streamed,
    long CacheWrite5mTokens = 0,
    long CacheWrite1hTokens = 0);
