using System.Text.Json;
using Helix.Simulator.Wire;

namespace Helix.Simulator.OpenAI;

/// <summary><c>POST chat/completions</c> of OpenAI and of DeepSeek (OpenAI's shape plus cache-hit counts and reasoning content).</summary>
internal sealed class ChatCompletionsEndpoint
{
    private const string Fingerprint = "fp_helixsim";

    private readonly SimulatorState _state;
    private readonly string _provider;
    private readonly bool _deepSeek;
    private readonly OpenAIErrorDialect _errors;

    public ChatCompletionsEndpoint(SimulatorState state, string provider)
    {
        _state = state;
        _provider = provider;
        _deepSeek = provider == SimulatorProviders.DeepSeek;
        _errors = _deepSeek ? OpenAIErrorDialect.DeepSeek : OpenAIErrorDialect.OpenAI;
    }

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Ids.Hex("req_", 16);
        context.Response.Headers["x-request-id"] = requestId;
        using var document = await RequestJson.ReadAsync(context, _state);
        if (document is null)
        {
            await _errors.RejectAsync(context, requestId, "We could not parse the JSON body of your request.");
            return;
        }

        var root = document.RootElement;
        var model = RequestJson.GetString(root, "model");
        if (string.IsNullOrEmpty(model))
        {
            await _errors.RejectAsync(context, requestId, "you must provide a model parameter");
            return;
        }

        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind is not JsonValueKind.Array || messages.GetArrayLength() == 0)
        {
            await _errors.RejectAsync(context, requestId, "'messages' must be a non-empty array.");
            return;
        }

        long characters = 0;
        foreach (var message in messages.EnumerateArray())
        {
            characters += RequestJson.TextLength(RequestJson.Get(message, "content"));
        }

        var stream = RequestJson.GetBool(root, "stream");
        var plan = _state.BeginCall(_provider, model);
        var behavior = plan.Behavior;
        var prompt = TokenMath.Prompt(behavior, characters);
        var reply = TokenMath.Reply(behavior, RequestJson.GetInt64(root, "max_completion_tokens") ?? RequestJson.GetInt64(root, "max_tokens"), out var capped);
        var thinking = _deepSeek
            && (model.Contains("reasoner", StringComparison.OrdinalIgnoreCase)
                || RequestJson.GetString(RequestJson.GetObject(root, "thinking"), "type") == "enabled");
        var answer = new ChatAnswer
        {
            StartedAt = _state.TimeProvider.GetUtcNow(),
            RequestId = requestId,
            Id = _deepSeek ? Ids.Uuid() : Ids.Alphanumeric("chatcmpl-", 29),
            Created = _state.TimeProvider.GetUtcNow().ToUnixTimeSeconds(),
            Model = behavior.ReportedModel ?? model,
            ServiceTier = RequestJson.GetString(root, "service_tier") is { } tier && tier is "flex" or "priority" ? tier : "default",
            PromptTokens = prompt,
            CachedTokens = Math.Clamp(behavior.CachedTokens, 0, prompt),
            ReplyTokens = reply,
            ReasoningTokens = _deepSeek ? TokenMath.SwitchedReasoning(behavior, thinking, reply, budget: null) : Math.Max(0, behavior.ReasoningTokens),
            ShowsReasoning = thinking,
            FinishReason = capped ? "length" : "stop",
            IncludeUsage = stream && RequestJson.GetBool(RequestJson.GetObject(root, "stream_options"), "include_usage"),
        };

        var keepAlive = _deepSeek && behavior.Latency > TimeSpan.Zero
            && plan.Fault is SimulatorFault.None or SimulatorFault.CutStream or SimulatorFault.MalformedJson;
        if (!await CallGate.PassAsync(context, plan, _errors, requestId, model, waitLatency: !keepAlive))
        {
            return;
        }

        using var writer = new WireWriter(context, plan.Fault);
        if (keepAlive)
        {
            await writer.KeepAliveAsync(behavior.Latency, stream);
        }

        if (stream)
        {
            await StreamAsync(context, writer, plan, answer);
        }
        else
        {
            await RespondAsync(context, writer, behavior, answer);
        }
    }

    private async Task RespondAsync(HttpContext context, WireWriter writer, SimulatorBehavior behavior, ChatAnswer a)
    {
        await CallGate.GenerateAsync(behavior, a.ReasoningTokens + a.ReplyTokens, context.RequestAborted);
        var json = writer.StartJson();
        json.WriteStartObject();
        WriteHeader(json, a, "chat.completion");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("message");
        json.WriteString("role", "assistant");
        json.WriteString("content", ReplyText.Text(a.ReplyTokens));
        if (a.ShowsReasoning)
        {
            json.WriteString("reasoning_content", ReplyText.Text(a.ReasoningTokens));
        }

        if (!_deepSeek)
        {
            json.WriteNull("refusal");
            json.WriteStartArray("annotations");
            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        json.WriteString("finish_reason", a.FinishReason);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteUsage(json, a);
        json.WriteEndObject();

        Bill(a, a.ReplyTokens + a.ReasoningTokens, a.ReasoningTokens, streamed: false);
        await writer.SendJsonAsync();
    }

    private async Task StreamAsync(HttpContext context, WireWriter writer, CallPlan plan, ChatAnswer a)
    {
        var pieces = a.ReasoningTokens + a.ReplyTokens;
        var cutAt = plan.Fault is SimulatorFault.CutStream ? (pieces == 0 ? 0 : Math.Max(1, pieces / 2)) : -1;
        var sent = 0;
        var billed = false;
        try
        {
            await writer.StartStreamAsync(StreamFraming.Sse);
            WriteChunk(writer.StartJson(), a, ChunkPart.Role, null, null);
            await writer.SendEventAsync();
            for (; sent < pieces && sent != cutAt; sent++)
            {
                await CallGate.PauseAsync(plan.Behavior.ChunkDelay, context.RequestAborted);
                var reasoning = sent < a.ReasoningTokens;
                var text = reasoning ? ReplyText.Piece(sent) : ReplyText.Piece(sent - a.ReasoningTokens);
                WriteChunk(writer.StartJson(), a, reasoning ? ChunkPart.Reasoning : ChunkPart.Content, text, null);
                await writer.SendEventAsync();
            }

            // Billed before the last event or the cut: a client that saw the stream end finds it in the ledger.
            BillOnce();
            if (plan.Fault is SimulatorFault.CutStream)
            {
                await writer.CutAsync();
                return;
            }

            WriteChunk(writer.StartJson(), a, ChunkPart.Finish, null, a.FinishReason);
            await writer.SendEventAsync();
            if (a.IncludeUsage)
            {
                var json = writer.StartJson();
                json.WriteStartObject();
                WriteHeader(json, a, "chat.completion.chunk");
                json.WriteStartArray("choices");
                json.WriteEndArray();
                WriteUsage(json, a);
                json.WriteEndObject();
                await writer.SendEventAsync();
            }

            await writer.SendRawAsync("data: [DONE]\n\n"u8);
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
                Bill(a, sent, Math.Min(sent, a.ReasoningTokens), streamed: true);
            }
        }
    }

    private void WriteHeader(Utf8JsonWriter json, ChatAnswer a, string objectType)
    {
        json.WriteString("id", a.Id);
        json.WriteString("object", objectType);
        json.WriteNumber("created", a.Created);
        json.WriteString("model", a.Model);
        if (!_deepSeek)
        {
            json.WriteString("service_tier", a.ServiceTier);
        }

        json.WriteString("system_fingerprint", Fingerprint);
    }

    private void WriteChunk(Utf8JsonWriter json, ChatAnswer a, ChunkPart part, string? text, string? finishReason)
    {
        json.WriteStartObject();
        WriteHeader(json, a, "chat.completion.chunk");
        json.WriteStartArray("choices");
        json.WriteStartObject();
        json.WriteNumber("index", 0);
        json.WriteStartObject("delta");
        switch (part)
        {
            case ChunkPart.Role:
                json.WriteString("role", "assistant");
                if (a.ShowsReasoning)
                {
                    json.WriteNull("content");
                    json.WriteString("reasoning_content", string.Empty);
                }
                else
                {
                    json.WriteString("content", string.Empty);
                }

                if (!_deepSeek)
                {
                    json.WriteNull("refusal");
                }

                break;
            case ChunkPart.Reasoning:
                json.WriteNull("content");
                json.WriteString("reasoning_content", text);
                break;
            case ChunkPart.Content:
                json.WriteString("content", text);
                if (a.ShowsReasoning)
                {
                    json.WriteNull("reasoning_content");
                }

                break;
            case ChunkPart.Finish:
                break;
        }

        json.WriteEndObject();
        json.WriteNull("logprobs");
        if (finishReason is null)
        {
            json.WriteNull("finish_reason");
        }
        else
        {
            json.WriteString("finish_reason", finishReason);
        }

        json.WriteEndObject();
        json.WriteEndArray();
        if (a.IncludeUsage)
        {
            json.WriteNull("usage");
        }

        json.WriteEndObject();
    }

    private void WriteUsage(Utf8JsonWriter json, ChatAnswer a)
    {
        var completion = a.ReplyTokens + a.ReasoningTokens;
        json.WriteStartObject("usage");
        json.WriteNumber("prompt_tokens", a.PromptTokens);
        json.WriteNumber("completion_tokens", completion);
        json.WriteNumber("total_tokens", (long)a.PromptTokens + completion);
        json.WriteStartObject("prompt_tokens_details");
        json.WriteNumber("cached_tokens", a.CachedTokens);
        if (!_deepSeek)
        {
            json.WriteNumber("audio_tokens", 0);
        }

        json.WriteEndObject();
        json.WriteStartObject("completion_tokens_details");
        json.WriteNumber("reasoning_tokens", a.ReasoningTokens);
        if (!_deepSeek)
        {
            json.WriteNumber("audio_tokens", 0);
            json.WriteNumber("accepted_prediction_tokens", 0);
            json.WriteNumber("rejected_prediction_tokens", 0);
        }

        json.WriteEndObject();
        if (_deepSeek)
        {
            json.WriteNumber("prompt_cache_hit_tokens", a.CachedTokens);
            json.WriteNumber("prompt_cache_miss_tokens", a.PromptTokens - a.CachedTokens);
        }

        json.WriteEndObject();
    }

    private void Bill(ChatAnswer a, int completionTokens, int reasoningTokens, bool streamed) =>
        _state.Bill(new SimulatorLedgerEntry(
            a.StartedAt, _provider, a.Model, a.RequestId,
            a.PromptTokens, a.CachedTokens, completionTokens, reasoningTokens,
            AudioSeconds: 0, Characters: 0, streamed));

    private enum ChunkPart
    {
        Role,
        Reasoning,
        Content,
        Finish,
    }

    private sealed class ChatAnswer
    {
        /// <summary>When the call arrived: providers bill a call at its start, so a long stream stays on its day.</summary>
        public required DateTimeOffset StartedAt { get; init; }

        public required string RequestId { get; init; }

        public required string Id { get; init; }

        public required long Created { get; init; }

        public required string Model { get; init; }

        public required string ServiceTier { get; init; }

        public required int PromptTokens { get; init; }

        public required int CachedTokens { get; init; }

        public required int ReplyTokens { get; init; }

        public required int ReasoningTokens { get; init; }

        public required bool ShowsReasoning { get; init; }

        public required string FinishReason { get; init; }

        public required bool IncludeUsage { get; init; }
    }
}
