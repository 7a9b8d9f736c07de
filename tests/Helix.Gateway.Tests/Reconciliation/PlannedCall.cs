using Helix.Simulator;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>One call of the generated month: when, for which operation and model, how it is made, and how the provider answers it.</summary>
/// <param name="At">The clock reading the call is made at.</param>
/// <param name="Operation">The operation named in the log.</param>
/// <param name="Provider">The simulated provider.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Kind">How the call is made.</param>
/// <param name="Prompt">The user message.</param>
/// <param name="MaxOutputTokens">The request's output cap, above anything the behaviour produces.</param>
/// <param name="Behavior">Usage the simulated provider reports for the call: reply, cache and reasoning tokens, audio seconds.</param>
/// <param name="Thinking">Whether the request turns thinking on (DeepSeek, Anthropic).</param>
/// <param name="OneHourCache">Whether the request asks for the 1-hour cache TTL (Anthropic), so its cache writes are 1-hour writes.</param>
internal sealed record PlannedCall(
    DateTimeOffset At,
    string Operation,
    string Provider,
    string Model,
    CallKind Kind,
    string Prompt,
    int MaxOutputTokens,
    SimulatorBehavior Behavior,
    bool Thinking = false,
    bool OneHourCache = false);
