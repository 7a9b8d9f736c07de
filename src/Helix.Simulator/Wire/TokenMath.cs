namespace Helix.Simulator.Wire;

/// <summary>The simulator's deterministic token rules.</summary>
internal static class TokenMath
{
    /// <summary>A token per 4 characters, rounded up.</summary>
    public static long FromCharacters(long characters) => (characters + 3) / 4;

    /// <summary>The input tokens of a call: the behaviour's fixed count, else a token per 4 characters (at least 1).</summary>
    public static int Prompt(SimulatorBehavior behavior, long characters) =>
        behavior.PromptTokens is { } fixedCount
            ? Math.Max(0, fixedCount)
            : (int)Math.Clamp(FromCharacters(characters), 1, int.MaxValue);

    /// <summary>
    /// The reply's tokens: the behaviour's count capped by the request's max tokens; <paramref name="capped"/> says
    /// whether the cap cut the reply short (finish reason "length").
    /// </summary>
    public static int Reply(SimulatorBehavior behavior, long? maxTokens, out bool capped)
    {
        var wanted = Math.Max(0, behavior.CompletionTokens);
        capped = maxTokens is { } max && max < wanted;
        return capped ? (int)Math.Max(0, maxTokens!.Value) : wanted;
    }

    /// <summary>The reasoning tokens of a call where thinking is a request switch.</summary>
    public static int SwitchedReasoning(SimulatorBehavior behavior, bool thinking, int reply, long? budget) =>
        !thinking ? 0 : (int)Math.Min(behavior.ReasoningTokens > 0 ? behavior.ReasoningTokens : reply, budget ?? long.MaxValue);
}
