using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Helix.Core.Pipeline;
using Helix.Simulator;
using Microsoft.Extensions.AI;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>A generated month of traffic (30 UTC days of November 2026) and the runner that sends it through Helix and the simulator.</summary>
/// <remarks>
/// Every day has the same mix of calls per operation at random times: prompts of 500 to 20,000 tokens and replies of
/// 500 to 1,500, about a third streamed, cache reads on roughly half the calls, reasoning on o4-mini and on some Gemini 2.5 Flash, DeepSeek and
/// Claude Sonnet calls, Anthropic cache writes with both TTLs, and Deepgram recordings of 5 s to 15 min. The plan is
/// a pure function of its seed, so two runs of one seed bill the same usage.
/// </remarks>
internal static class MonthOfTraffic
{
    public const int Days = 30;

    private const int MaxOutputTokens = 4096;

    private static readonly string[] s_words =
    [
        "customer", "invoice", "refund", "shipment", "summary", "meeting", "contract", "renewal", "ticket", "priority",
        "the", "and", "of", "please", "review", "attached", "notes", "budget", "quarter", "forecast", "delay", "support",
    ];

    // Operation, provider, model, calls a day.
    private static readonly (string Operation, string Provider, string Model, int PerDay)[] s_day =
    [
        ("chat", SimulatorProviders.OpenAI, "gpt-4o-mini", 3),
        ("summarise", SimulatorProviders.OpenAI, "gpt-4.1-mini", 2),
        ("agent", SimulatorProviders.OpenAI, "o4-mini", 2),
        ("memory-synthesis", SimulatorProviders.Gemini, "gemini-2.5-flash", 3),
        ("sentiment-analysis", SimulatorProviders.Gemini, "gemini-2.5-flash-lite", 2),
        ("email-drafting", SimulatorProviders.DeepSeek, "deepseek-v4-flash", 2),
        ("support-agent", SimulatorProviders.Anthropic, "claude-sonnet-4-5", 2),
        ("ticket-triage", SimulatorProviders.Anthropic, "claude-haiku-4-5", 1),
        ("audio-transcription", SimulatorProviders.Deepgram, "nova-3", 2),
    ];

    // The dated snapshots the providers name in their responses, as real APIs do; both sides must fold them into one model.
    private static readonly Dictionary<string, string> s_snapshots = new(StringComparer.Ordinal)
    {
        ["gpt-4o-mini"] = "gpt-4o-mini-2024-07-18",
        ["gpt-4.1-mini"] = "gpt-4.1-mini-2025-04-14",
        ["o4-mini"] = "o4-mini-2025-04-16",
        ["claude-sonnet-4-5"] = "claude-sonnet-4-5-20250929",
        ["claude-haiku-4-5"] = "claude-haiku-4-5-20251001",
    };

    /// <summary>The first UTC day of the month.</summary>
    public static DateOnly FirstDay { get; } = new(2026, 11, 1);

    /// <summary>The last UTC day of the month.</summary>
    public static DateOnly LastDay => FirstDay.AddDays(Days - 1);

    /// <summary>The calls of a whole month, in clock order.</summary>
    public static IReadOnlyList<PlannedCall> Plan(int seed)
    {
        var random = new Random(seed);
        List<PlannedCall> plan = [];
        for (var day = 0; day < Days; day++)
        {
            var midnight = new DateTimeOffset(FirstDay.AddDays(day).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            var slots = s_day.SelectMany(s => Enumerable.Repeat(s, s.PerDay)).ToArray();
            random.Shuffle(slots);

            // Between 00:05 and 23:55 UTC: no call sits on a day boundary, where a bill and a log could disagree about its day.
            var seconds = Enumerable.Range(0, slots.Length).Select(_ => random.Next(300, 86_100)).Order().ToArray();
            for (var i = 0; i < slots.Length; i++)
            {
                var (operation, provider, model, _) = slots[i];
                plan.Add(Call(random, midnight.AddSeconds(seconds[i]), operation, provider, model, plan.Count));
            }
        }

        return plan;
    }

    /// <summary>Makes every call of <paramref name="plan"/>, moving the shared clock to each call's time first.</summary>
    /// <exception cref="InvalidOperationException">A call failed; every call of the month is expected to succeed.</exception>
    public static async Task RunAsync(SimulatedHelix helix, IReadOnlyList<PlannedCall> plan, CancellationToken cancellationToken)
    {
        var billed = helix.Simulator.State.Ledger.Count;
        foreach (var call in plan)
        {
            helix.Time.SetUtcNow(call.At);
            helix.Simulator.State.SetBehavior(call.Provider, call.Model, call.Behavior);
            switch (call.Kind)
            {
                case CallKind.HelixChat:
                    await helix.ChatClient(call.Operation).GetResponseAsync(
                        [new ChatMessage(ChatRole.User, call.Prompt)], new ChatOptions { MaxOutputTokens = call.MaxOutputTokens }, cancellationToken);
                    break;
                case CallKind.HelixStream:
                    await foreach (var update in helix.ChatClient(call.Operation).GetStreamingResponseAsync(
                        [new ChatMessage(ChatRole.User, call.Prompt)], new ChatOptions { MaxOutputTokens = call.MaxOutputTokens }, cancellationToken))
                    {
                        _ = update;
                    }

                    break;
                case CallKind.PipelineBody:
                    await CompleteThroughPipelineAsync(helix, call, cancellationToken);
                    break;
                case CallKind.AnthropicMessage:
                case CallKind.AnthropicStream:
                    await DirectProviderCalls.AnthropicAsync(helix, call, cancellationToken);
                    break;
                case CallKind.DeepgramListen:
                    await DirectProviderCalls.DeepgramAsync(helix, call, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException($"No way to make a {call.Kind} call.");
            }

            await WaitUntilBilledAsync(helix.Simulator.State, ++billed, call, cancellationToken);
        }
    }

    /// <summary>Waits until the simulator's ledger holds <paramref name="count"/> calls.</summary>
    /// <remarks>
    /// The simulator bills a stream after its last byte is sent, so the caller can hold the whole answer before the call
    /// is on the ledger. Moving the clock then would stamp the bill with the next call's time, maybe on the next day.
    /// </remarks>
    private static async Task WaitUntilBilledAsync(SimulatorState state, int count, PlannedCall call, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (state.Ledger.Count < count)
        {
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1), timeout.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The simulator never billed the {call.Operation} call at {call.At:O}.");
            }
        }
    }

    private static async Task CompleteThroughPipelineAsync(SimulatedHelix helix, PlannedCall call, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = call.Prompt }),
            ["max_tokens"] = call.MaxOutputTokens,
        };
        if (call.Thinking)
        {
            body["thinking"] = new JsonObject { ["type"] = "enabled" };
        }

        var request = new OperationRequest
        {
            Operation = call.Operation,
            RequestId = $"req_{Guid.NewGuid():N}",
            Principal = Helix.Core.Principals.Principal.Application(SimulatedHelix.Principal),
        };
        var result = await helix.Pipeline.CompleteChatAsync(request, Helix.Core.Providers.ChatRequest.FromJsonObject(body), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"The {call.Operation} call at {call.At:O} failed: {result.Error.Code}: {result.Error.Message}");
        }
    }

    private static PlannedCall Call(Random random, DateTimeOffset at, string operation, string provider, string model, int number)
    {
        if (provider == SimulatorProviders.Deepgram)
        {
            // A URL request: the simulator takes the recording's length from the behaviour, so no audio travels.
            var seconds = random.Next(50, 9_000) / 10.0;
            return new PlannedCall(at, operation, provider, model, CallKind.DeepgramListen,
                $"https://recordings.example.com/calls/{number.ToString(CultureInfo.InvariantCulture)}.wav", MaxOutputTokens,
                new SimulatorBehavior { AudioSeconds = seconds, CompletionTokens = random.Next(20, 400) });
        }

        // Prompts of 500 to 20,000 tokens (the simulator counts a token per 4 characters) and replies of at least 500
        // tokens: output is then at least 17% of a Gemini 2.5 Flash call's list price, so an output price 10% off moves
        // every daily bucket by more than 1% and by more than the reconciliation's $0.0001 absolute floor.
        var characters = random.Next(2_000, 80_000);
        var promptTokens = (characters + 3) / 4;
        var cached = random.Next(2) == 0 ? 0 : promptTokens * random.Next(10, 80) / 100;
        var behavior = new SimulatorBehavior
        {
            CompletionTokens = random.Next(500, 1_500),
            CachedTokens = cached,
            ReportedModel = s_snapshots.GetValueOrDefault(model),
        };
        var streamed = random.Next(3) == 0;
        var thinking = false;
        var oneHour = false;
        CallKind kind;
        switch (provider)
        {
            case SimulatorProviders.Anthropic:
                kind = streamed ? CallKind.AnthropicStream : CallKind.AnthropicMessage;
                if (random.Next(10) < 3)
                {
                    behavior = behavior with { CacheWriteTokens = (promptTokens - cached) * random.Next(20, 90) / 100 };
                    oneHour = random.Next(2) == 0;
                }

                if (model == "claude-sonnet-4-5" && random.Next(2) == 0)
                {
                    thinking = true;
                    behavior = behavior with { ReasoningTokens = random.Next(64, 1_500) };
                }

                break;
            case SimulatorProviders.DeepSeek when random.Next(2) == 0:
                kind = CallKind.PipelineBody;
                thinking = true;
                behavior = behavior with { ReasoningTokens = random.Next(40, 600) };
                break;
            default:
                kind = streamed ? CallKind.HelixStream : CallKind.HelixChat;
                if (model == "o4-mini" || (model == "gemini-2.5-flash" && random.Next(2) == 0))
                {
                    behavior = behavior with { ReasoningTokens = random.Next(32, 1_500) };
                }

                break;
        }

        return new PlannedCall(at, operation, provider, model, kind, Prompt(random, characters), MaxOutputTokens, behavior, thinking, oneHour);
    }

    private static string Prompt(Random random, int characters)
    {
        var text = new StringBuilder(characters + 16);
        while (text.Length < characters)
        {
            text.Append(s_words[random.Next(s_words.Length)]).Append(' ');
        }

        text.Length = characters;
        return text.ToString();
    }
}
