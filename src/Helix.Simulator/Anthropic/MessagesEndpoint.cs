using System.Text.Json;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Anthropic;

/// <summary>
/// <c>POST v1/messages</c> of Anthropic, streamed (SSE events) and not, with cache reads and 5-minute or 1-hour cache
/// writes in the usage and a thinking block when the request turns thinking on.
/// </summary>
internal sealed class MessagesEndpoint(SimulatorState state)
{
    private const string Signature = "c2ltdWxhdGVkLXNpZ25hdHVyZQ==";

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Ids.Alphanumeric("req_011C", 20);
        context.Response.Headers["request-id"] = requestId;
        var errors = AnthropicErrorDialect.Instance;
        using var document = await RequestJson.ReadAsync(context, state);
        if (document is null)
        {
            await errors.RejectAsync(context, requestId, "There was an error parsing the body of your request.");
            return;
        }

        var root = document.RootElement;
        var model = RequestJson.GetString(root, "model");
        var maxTokens = RequestJson.GetInt64(root, "max_tokens");
        var messages = RequestJson.Get(root, "messages");
        string? problem = (model, maxTokens) switch
        {
            (null or "", _) => "model: Field required",
            (_, null) => "max_tokens: Field required",
            (_, < 1) => "max_tokens: Input should be greater than or equal to 1",
            _ when messages.ValueKind is not JsonValueKind.Array || messages.GetArrayLength() == 0 => "messages: at least one message is required",
            _ => null,
        };
        if (problem is not null)
        {
            await errors.RejectAsync(context, requestId, problem);
            return;
        }

        var characters = RequestJson.TextLength(RequestJson.Get(root, "system"));
        foreach (var message in messages.EnumerateArray())
        {
            characters += RequestJson.TextLength(RequestJson.Get(message, "content"));
        }

        var plan = state.BeginCall(SimulatorProviders.Anthropic, model!);
        var behavior = plan.Behavior;
        var prompt = TokenMath.Prompt(behavior, characters);
        var cacheRead = Math.Clamp(behavior.CachedTokens, 0, prompt);
        var cacheWrite = Math.Clamp(behavior.CacheWriteTokens, 0, prompt - cacheRead);
        var oneHour = cacheWrite > 0 && HasOneHourCache(root);
        var thinking = RequestJson.GetObject(root, "thinking");
        var reply = TokenMath.Reply(behavior, maxTokens, out var capped);
        var answer = new MessageAnswer
        {
            StartedAt = state.TimeProvider.GetUtcNow(),
            RequestId = requestId,
            Id = Ids.Alphanumeric("msg_01", 22),
            Model = behavior.ReportedModel ?? model!,
            InputTokens = prompt - cacheRead - cacheWrite,
            CacheReadTokens = cacheRead,
            CacheWrite5mTokens = oneHour ? 0 : cacheWrite,
            CacheWrite1hTokens = oneHour ? cacheWrite : 0,
            ReplyTokens = reply,
            ThinkingTokens = TokenMath.SwitchedReasoning(
                behavior, RequestJson.GetString(thinking, "type") is "enabled" or "adaptive", reply, RequestJson.GetInt64(thinking, "budget_tokens")),
            StopReason = capped ? "max_tokens" : "end_turn",
        };

        if (!await CallGate.PassAsync(context, plan, errors, requestId, model!))
        {
            return;
        }

        using var writer = new WireWriter(context, plan.Fault);
        if (RequestJson.GetBool(root, "stream"))
        {
            await StreamAsync(context, writer, plan, answer);
            return;
        }

        await CallGate.GenerateAsync(behavior, answer.ThinkingTokens + answer.ReplyTokens, context.RequestAborted);
        var json = writer.StartJson();
        json.WriteStartObject();
        WriteMessageHeader(json, answer);
        json.WriteStartArray("content");
        if (answer.ThinkingTokens > 0)
        {
            json.WriteStartObject();
            json.WriteString("type", "thinking");
            json.WriteString("thinking", ReplyText.Text(answer.ThinkingTokens));
            json.WriteString("signature", Signature);
            json.WriteEndObject();
        }

        json.WriteStartObject();
        json.WriteString("type", "text");
        json.WriteString("text", ReplyText.Text(answer.ReplyTokens));
        json.WriteEndObject();
        json.WriteEndArray();
        json.WriteString("stop_reason", answer.StopReason);
        json.WriteNull("stop_sequence");
        WriteUsage(json, answer, answer.ThinkingTokens + answer.ReplyTokens, full: true);
        json.WriteEndObject();
        Bill(answer, answer.ThinkingTokens + answer.ReplyTokens, answer.ThinkingTokens, streamed: false);
        await writer.SendJsonAsync();
    }

    private async Task StreamAsync(HttpContext context, WireWriter writer, CallPlan plan, MessageAnswer a)
    {
        var pieces = a.ThinkingTokens + a.ReplyTokens;
        var cutAt = plan.Fault is SimulatorFault.CutStream ? (pieces == 0 ? 0 : Math.Max(1, pieces / 2)) : -1;
        var sent = 0;
        var billed = false;
        try
        {
            await writer.StartStreamAsync(StreamFraming.Sse);
            var json = writer.StartJson();
            json.WriteStartObject();
            json.WriteString("type", "message_start");
            json.WriteStartObject("message");
            WriteMessageHeader(json, a);
            json.WriteStartArray("content");
            json.WriteEndArray();
            json.WriteNull("stop_reason");
            json.WriteNull("stop_sequence");
            WriteUsage(json, a, outputTokens: 1, full: true);
            json.WriteEndObject();
            json.WriteEndObject();
            await writer.SendEventAsync("message_start"u8);

            var index = 0;
            if (a.ThinkingTokens > 0)
            {
                await StartBlockAsync(writer, index, thinking: true);
                for (; sent < a.ThinkingTokens && sent != cutAt; sent++)
                {
                    await CallGate.PauseAsync(plan.Behavior.ChunkDelay, context.RequestAborted);
                    await DeltaAsync(writer, index, "thinking_delta", "thinking", ReplyText.Piece(sent));
                }

                if (sent == cutAt)
                {
                    await writer.CutAsync();
                    return;
                }

                await DeltaAsync(writer, index, "signature_delta", "signature", Signature);
                await StopBlockAsync(writer, index);
                index++;
            }

            await StartBlockAsync(writer, index, thinking: false);
            for (; sent < pieces && sent != cutAt; sent++)
            {
                await CallGate.PauseAsync(plan.Behavior.ChunkDelay, context.RequestAborted);
                await DeltaAsync(writer, index, "text_delta", "text", ReplyText.Piece(sent - a.ThinkingTokens));
            }

            // Billed before the last event or the cut: a client that saw the stream end finds it in the ledger.
            BillOnce();
            if (plan.Fault is SimulatorFault.CutStream)
            {
                await writer.CutAsync();
                return;
            }

            await StopBlockAsync(writer, index);
            json = writer.StartJson();
            json.WriteStartObject();
            json.WriteString("type", "message_delta");
            json.WriteStartObject("delta");
            json.WriteString("stop_reason", a.StopReason);
            json.WriteNull("stop_sequence");
            json.WriteEndObject();
            WriteUsage(json, a, pieces, full: false);
            json.WriteEndObject();
            await writer.SendEventAsync("message_delta"u8);

            json = writer.StartJson();
            json.WriteStartObject();
            json.WriteString("type", "message_stop");
            json.WriteEndObject();
            await writer.SendEventAsync("message_stop"u8);
        }
        finally
        {
            BillOnce();
        }

        void BillOnce()
        {
            if (!billed)
            {
                billed = true;
                Bill(a, sent, Math.Min(sent, a.ThinkingTokens), streamed: true);
            }
        }
    }

    private static async Task StartBlockAsync(WireWriter writer, int index, bool thinking)
    {
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteString("type", "content_block_start");
        json.WriteNumber("index", index);
        json.WriteStartObject("content_block");
        if (thinking)
        {
            json.WriteString("type", "thinking");
            json.WriteString("thinking", string.Empty);
            json.WriteString("signature", string.Empty);
        }
        else
        {
            json.WriteString("type", "text");
            json.WriteString("text", string.Empty);
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await writer.SendEventAsync("content_block_start"u8);
        if (index == 0)
        {
            json = writer.StartJson();
            json.WriteStartObject();
            json.WriteString("type", "ping");
            json.WriteEndObject();
            await writer.SendEventAsync("ping"u8);
        }
    }

    private static async Task DeltaAsync(WireWriter writer, int index, string deltaType, string field, string text)
    {
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteString("type", "content_block_delta");
        json.WriteNumber("index", index);
        json.WriteStartObject("delta");
        json.WriteString("type", deltaType);
        json.WriteString(field, text);
        json.WriteEndObject();
        json.WriteEndObject();
        await writer.SendEventAsync("content_block_delta"u8);
    }

    private static async Task StopBlockAsync(WireWriter writer, int index)
    {
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteString("type", "content_block_stop");
        json.WriteNumber("index", index);
        json.WriteEndObject();
        await writer.SendEventAsync("content_block_stop"u8);
    }

    private static void WriteMessageHeader(Utf8JsonWriter json, MessageAnswer a)
    {
        json.WriteString("id", a.Id);
        json.WriteString("type", "message");
        json.WriteString("role", "assistant");
        json.WriteString("model", a.Model);
    }

    // full: the whole usage object of a message; otherwise the cumulative counts of a message_delta.
    private static void WriteUsage(Utf8JsonWriter json, MessageAnswer a, int outputTokens, bool full)
    {
        json.WriteStartObject("usage");
        json.WriteNumber("input_tokens", a.InputTokens);
        json.WriteNumber("cache_creation_input_tokens", a.CacheWrite5mTokens + a.CacheWrite1hTokens);
        json.WriteNumber("cache_read_input_tokens", a.CacheReadTokens);
        if (full)
        {
            json.WriteStartObject("cache_creation");
            json.WriteNumber("ephemeral_5m_input_tokens", a.CacheWrite5mTokens);
            json.WriteNumber("ephemeral_1h_input_tokens", a.CacheWrite1hTokens);
            json.WriteEndObject();
        }

        json.WriteNumber("output_tokens", outputTokens);
        if (full)
        {
            json.WriteString("service_tier", "standard");
        }

        json.WriteEndObject();
    }

    /// <summary>Whether any <c>cache_control</c> of the request asks for the 1-hour TTL.</summary>
    private static bool HasOneHourCache(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("cache_control")
                        ? RequestJson.GetString(property.Value, "ttl") == "1h"
                        : HasOneHourCache(property.Value))
                    {
                        return true;
                    }
                }

                return false;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (HasOneHourCache(item))
                    {
                        return true;
                    }
                }

                return false;
            default:
                return false;
        }
    }

    private void Bill(MessageAnswer a, int completion, int thinking, bool streamed) =>
        state.Bill(new SimulatorLedgerEntry(
            a.StartedAt, SimulatorProviders.Anthropic, a.Model, a.RequestId,
            (long)a.InputTokens + a.CacheReadTokens + a.CacheWrite5mTokens + a.CacheWrite1hTokens, a.CacheReadTokens,
            completion, thinking, AudioSeconds: 0, Characters: 0, streamed, a.CacheWrite5mTokens, a.CacheWrite1hTokens));

    private sealed class MessageAnswer
    {
        /// <summary>When the call arrived: providers bill a call at its start, so a long stream stays on its day.</summary>
        public required DateTimeOffset StartedAt { get; init; }

        public required string RequestId { get; init; }

        public required string Id { get; init; }

        public required string Model { get; init; }

        public required int InputTokens { get; init; }

        public required int CacheReadTokens { get; init; }

        public required int CacheWrite5mTokens { get; init; }

        public required int CacheWrite1hTokens { get; init; }

        public required int ReplyTokens { get; init; }

        public required int ThinkingTokens { get; init; }

        public required string StopReason { get; init; }
    }
}
