using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Providers.Anthropic;
using Helix.Providers.Deepgram;
using Helix.Simulator;

namespace Helix.Gateway.Tests.Reconciliation;

/// <summary>
/// Anthropic and Deepgram traffic for providers the gateway has no chat or transcription adapter for yet: each call goes
/// straight to the simulator's wire API, is metered with the provider's usage parser, priced with the
/// <see cref="CostEngine"/> and written to the operation log through the same group-commit writer as the pipeline.
/// </summary>
/// <remarks>
/// The row is what an adapter in the pipeline would log for a successful first attempt: the catalog model, the model
/// the response reported, the meters, the cost with its price source, and the provider's request id. Only the
/// choice of route is skipped, as these operations have one model each.
/// </remarks>
internal static class DirectProviderCalls
{
    private const string AnthropicVersion = "2023-06-01";
    private const int ThinkingBudget = 2048;

    /// <summary>Calls <c>POST anthropic/v1/messages</c>, streamed or not as <paramref name="call"/> says, and logs it.</summary>
    public static async Task AnthropicAsync(SimulatedHelix helix, PlannedCall call, CancellationToken cancellationToken)
    {
        var streamed = call.Kind == CallKind.AnthropicStream;
        var system = new JsonObject { ["type"] = "text", ["text"] = "You are the support desk's assistant." };
        if (call.OneHourCache)
        {
            system["cache_control"] = new JsonObject { ["type"] = "ephemeral", ["ttl"] = "1h" };
        }

        var body = new JsonObject
        {
            ["model"] = call.Model,
            ["max_tokens"] = call.MaxOutputTokens,
            ["system"] = new JsonArray(system),
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = call.Prompt }),
            ["stream"] = streamed,
        };
        if (call.Thinking)
        {
            body["thinking"] = new JsonObject { ["type"] = "enabled", ["budget_tokens"] = ThinkingBudget };
        }

        var started = helix.Time.GetUtcNow();
        var startedTicks = helix.Time.GetTimestamp();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(helix.Simulator.GetProviderBaseAddress(SimulatorProviders.Anthropic), "v1/messages"))
        {
            Content = JsonContent.Create(body),
        };
        request.Headers.Add("x-api-key", "sk-ant-simulated");
        request.Headers.Add("anthropic-version", AnthropicVersion);
        using var response = await helix.Http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, call, cancellationToken);
        var usage = streamed
            ? AnthropicStreamUsage.ParseSseTranscript(await response.Content.ReadAsStringAsync(cancellationToken))
            : AnthropicUsage.ParseMessage(await response.Content.ReadAsByteArrayAsync(cancellationToken));

        await LogAsync(helix, call, usage, started, helix.Time.GetElapsedTime(startedTicks), streamed);
    }

    /// <summary>Calls <c>POST deepgram/v1/listen</c> with a recording's URL and logs it.</summary>
    public static async Task DeepgramAsync(SimulatedHelix helix, PlannedCall call, CancellationToken cancellationToken)
    {
        var started = helix.Time.GetUtcNow();
        var startedTicks = helix.Time.GetTimestamp();
        var address = new Uri(helix.Simulator.GetProviderBaseAddress(SimulatorProviders.Deepgram), $"v1/listen?model={Uri.EscapeDataString(call.Model)}&smart_format=true");
        using var request = new HttpRequestMessage(HttpMethod.Post, address) { Content = JsonContent.Create(new { url = call.Prompt }) };
        request.Headers.TryAddWithoutValidation("Authorization", "Token dg-simulated");
        using var response = await helix.Http.SendAsync(request, cancellationToken);
        await EnsureSuccessAsync(response, call, cancellationToken);
        var usage = DeepgramUsage.ParseListen(await response.Content.ReadAsByteArrayAsync(cancellationToken), multichannel: false);

        await LogAsync(helix, call, usage, started, helix.Time.GetElapsedTime(startedTicks), streamed: false);
    }

    private static async Task LogAsync(SimulatedHelix helix, PlannedCall call, UsageReport usage, DateTimeOffset started, TimeSpan latency, bool streamed)
    {
        if (!usage.IsKnown)
        {
            throw new InvalidOperationException($"The {call.Provider} answer to the {call.Operation} call at {call.At:O} carried no usage.");
        }

        var cost = helix.Costs.Price(call.Provider, call.Model, usage, started);
        await helix.LogWriter.AppendAsync(new OperationLogEntry
        {
            RequestId = $"req_{Guid.NewGuid():N}",
            Timestamp = started,
            Operation = call.Operation,
            Principal = SimulatedHelix.Principal,
            Provider = call.Provider,
            Model = $"{call.Provider}/{call.Model}",
            ReportedModel = usage.ReportedModel,
            Attempt = 1,
            Status = AttemptStatus.Success,
            HttpStatus = 200,
            LatencyMs = latency.TotalMilliseconds,
            Streamed = streamed,
            UsageKnown = true,
            Meters = usage.Meters,
            CostUsd = cost.TotalUsd,
            CostStatus = cost.Status,
            CostReason = cost.Reason,
            PriceSource = cost.Price?.Source,
            PriceSourceDate = cost.Price?.SourceDate,
            ServiceTier = usage.ServiceTier,
            ProviderRequestId = usage.ProviderRequestId,
        });
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, PlannedCall call, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"The {call.Provider} call for {call.Operation} at {call.At:O} answered {(int)response.StatusCode}: {text}");
        }
    }
}
