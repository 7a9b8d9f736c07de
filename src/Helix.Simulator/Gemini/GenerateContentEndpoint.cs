using System.Buffers.Text;
using System.Runtime.InteropServices;
using System.Text.Json;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Gemini;

/// <summary>
/// <c>POST models/{model}:{method}</c> of the Gemini API: <c>generateContent</c>, <c>streamGenerateContent</c>
/// (SSE with <c>alt=sse</c>, else a streamed JSON array) and <c>countTokens</c>; <c>embedContent</c> and
/// <c>batchEmbedContents</c> are handed to <see cref="EmbedContentEndpoint"/>.
/// </summary>
/// <remarks>
/// Prompt tokens by modality: text a token per 4 characters; an image or document 258; audio 32 a second and video
/// 263 a second, the duration from the behaviour's <see cref="SimulatorBehavior.AudioSeconds"/>, else from the inline
/// bytes (audio as WAV or at the configured byte rate, video at 2 Mbit/s). Zero counts are left out, as proto3 JSON does.
/// </remarks>
internal sealed class GenerateContentEndpoint(SimulatorState state)
{
    private const int WordsPerChunk = 8;
    private const int ImageTokens = 258;
    private const int AudioTokensPerSecond = 32;
    private const int VideoTokensPerSecond = 263;
    private const double VideoBytesPerSecond = 250_000;

    private static readonly string[] s_modalities = ["TEXT", "IMAGE", "AUDIO", "VIDEO", "DOCUMENT"];

    public async Task HandleAsync(HttpContext context)
    {
        var errors = GeminiErrorDialect.Instance;
        var target = context.Request.RouteValues["target"] as string ?? string.Empty;
        var colon = target.LastIndexOf(':');
        var model = colon > 0 ? target[..colon] : target;
        var method = colon > 0 ? target[(colon + 1)..] : string.Empty;
        var responseId = Ids.Alphanumeric(string.Empty, 22);
        if (method is "embedContent" or "batchEmbedContents")
        {
            await new EmbedContentEndpoint(state).HandleAsync(context, model, batch: method == "batchEmbedContents");
            return;
        }

        if (method is not ("generateContent" or "streamGenerateContent" or "countTokens"))
        {
            await errors.WriteAsync(context, WireError.NotFound, responseId, model, 0,
                $"Method '{method}' is not found for models/{model} in API version v1beta.");
            return;
        }

        using var document = await RequestJson.ReadAsync(context, state);
        if (document is null)
        {
            await errors.RejectAsync(context, responseId, "Invalid JSON payload received.");
            return;
        }

        var root = document.RootElement;
        var contents = RequestJson.Get(root, "contents");
        if (contents.ValueKind is not JsonValueKind.Array || contents.GetArrayLength() == 0)
        {
            await errors.RejectAsync(context, responseId, "* GenerateContentRequest.contents: contents is not specified");
            return;
        }

        if (method == "countTokens")
        {
            await CountTokensAsync(context, root, contents, model);
            return;
        }

        var plan = state.BeginCall(SimulatorProviders.Gemini, model);
        var behavior = plan.Behavior;
        var prompt = CountPrompt(root, contents, behavior);
        var config = RequestJson.GetEither(root, "generationConfig", "generation_config");
        var thinkingConfig = RequestJson.GetEither(config, "thinkingConfig", "thinking_config");
        var budget = RequestJson.GetInt64(thinkingConfig, "thinkingBudget") ?? RequestJson.GetInt64(thinkingConfig, "thinking_budget");
        var reply = TokenMath.Reply(
            behavior, RequestJson.GetInt64(config, "maxOutputTokens") ?? RequestJson.GetInt64(config, "max_output_tokens"), out var capped);
        var answer = new GeminiAnswer
        {
            StartedAt = state.TimeProvider.GetUtcNow(),
            ResponseId = responseId,
            ModelVersion = behavior.ReportedModel ?? model,
            Prompt = prompt,
            Cached = Math.Clamp(behavior.CachedTokens, 0, prompt.Total),
            Reply = reply,
            Thoughts = budget is >= 0 ? (int)Math.Min(Math.Max(0, behavior.ReasoningTokens), budget.Value) : Math.Max(0, behavior.ReasoningTokens),
            ShowThoughts = RequestJson.GetBool(thinkingConfig, "includeThoughts") || RequestJson.GetBool(thinkingConfig, "include_thoughts"),
            FinishReason = capped ? "MAX_TOKENS" : "STOP",
        };

        if (!await CallGate.PassAsync(context, plan, errors, responseId, model))
        {
            return;
        }

        using var writer = new WireWriter(context, plan.Fault);
        if (method == "streamGenerateContent")
        {
            var framing = context.Request.Query["alt"] == "sse" ? StreamFraming.SseCrlf : StreamFraming.JsonArray;
            await StreamAsync(context, writer, plan, answer, framing);
            return;
        }

        await CallGate.GenerateAsync(behavior, answer.Reply + (answer.ShowThoughts ? answer.Thoughts : 0), context.RequestAborted);
        WriteResponse(writer.StartJson(), answer, thoughtStart: 0, thoughtCount: answer.ShowThoughts ? answer.Thoughts : 0,
            replyStart: 0, replyCount: answer.Reply, final: true);
        Bill(answer, answer.Reply + answer.Thoughts, answer.Thoughts, streamed: false);
        await writer.SendJsonAsync();
    }

    private async Task StreamAsync(HttpContext context, WireWriter writer, CallPlan plan, GeminiAnswer a, StreamFraming framing)
    {
        var shownThoughts = a.ShowThoughts ? a.Thoughts : 0;
        var thoughtChunks = (shownThoughts + WordsPerChunk - 1) / WordsPerChunk;
        var replyChunks = Math.Max(1, (a.Reply + WordsPerChunk - 1) / WordsPerChunk);
        var chunks = thoughtChunks + replyChunks;
        var cutAt = plan.Fault is SimulatorFault.CutStream ? chunks / 2 : -1;
        int sentChunks = 0, thoughtsSent = 0, replySent = 0;
        var billed = false;
        try
        {
            await writer.StartStreamAsync(framing);
            for (; sentChunks < chunks && sentChunks != cutAt; sentChunks++)
            {
                if (sentChunks > 0)
                {
                    await CallGate.PauseAsync(plan.Behavior.ChunkDelay, context.RequestAborted);
                }

                int thoughtCount = 0, replyCount = 0;
                if (sentChunks < thoughtChunks)
                {
                    thoughtCount = Math.Min(WordsPerChunk, shownThoughts - thoughtsSent);
                }
                else
                {
                    replyCount = Math.Min(WordsPerChunk, a.Reply - replySent);
                }

                WriteResponse(writer.StartJson(), a, thoughtsSent, thoughtCount, replySent, replyCount, final: sentChunks == chunks - 1);
                thoughtsSent += thoughtCount;
                replySent += replyCount;
                await writer.SendEventAsync();
            }

            // Billed before the stream ends or is cut: a client that saw the end finds the call in the ledger.
            BillOnce();
            if (plan.Fault is SimulatorFault.CutStream)
            {
                await writer.CutAsync();
                return;
            }

            await writer.EndStreamAsync();
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

                // Hidden thoughts are generated before the first chunk; shown ones are billed as they go out.
                var thoughts = a.ShowThoughts ? thoughtsSent : sentChunks > 0 ? a.Thoughts : 0;
                Bill(a, replySent + thoughts, thoughts, streamed: true);
            }
        }
    }

    private async Task CountTokensAsync(HttpContext context, JsonElement root, JsonElement contents, string model)
    {
        var prompt = CountPrompt(root, contents, state.GetBehavior(SimulatorProviders.Gemini, model));
        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteNumber("totalTokens", prompt.Total);
        WriteModalities(json, "promptTokensDetails", prompt.ByModality);
        json.WriteEndObject();
        await writer.SendJsonAsync();
    }

    private static void WriteResponse(
        Utf8JsonWriter json, GeminiAnswer a, int thoughtStart, int thoughtCount, int replyStart, int replyCount, bool final)
    {
        json.WriteStartObject();
        json.WriteStartArray("candidates");
        json.WriteStartObject();
        json.WriteStartObject("content");
        json.WriteStartArray("parts");
        if (thoughtCount > 0)
        {
            json.WriteStartObject();
            json.WriteString("text", ReplyText.Pieces(thoughtStart, thoughtCount));
            json.WriteBoolean("thought", true);
            json.WriteEndObject();
        }

        if (replyCount > 0 || thoughtCount == 0)
        {
            json.WriteStartObject();
            json.WriteString("text", ReplyText.Pieces(replyStart, replyCount));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteString("role", "model");
        json.WriteEndObject();
        if (final)
        {
            json.WriteString("finishReason", a.FinishReason);
        }

        json.WriteNumber("index", 0);
        json.WriteEndObject();
        json.WriteEndArray();

        // Every chunk carries usage so far; the last one's is final.
        var candidates = final ? a.Reply : replyStart + replyCount;
        json.WriteStartObject("usageMetadata");
        json.WriteNumber("promptTokenCount", a.Prompt.Total);
        if (candidates > 0)
        {
            json.WriteNumber("candidatesTokenCount", candidates);
        }

        json.WriteNumber("totalTokenCount", (long)a.Prompt.Total + candidates + a.Thoughts);
        if (a.Cached > 0)
        {
            json.WriteNumber("cachedContentTokenCount", a.Cached);
        }

        WriteModalities(json, "promptTokensDetails", a.Prompt.ByModality);
        if (a.Cached > 0)
        {
            Span<int> cached = stackalloc int[s_modalities.Length];
            var left = a.Cached;
            for (var i = 0; i < cached.Length; i++)
            {
                cached[i] = Math.Min(left, a.Prompt.ByModality[i]);
                left -= cached[i];
            }

            WriteModalities(json, "cacheTokensDetails", cached);
        }

        if (candidates > 0)
        {
            json.WriteStartArray("candidatesTokensDetails");
            json.WriteStartObject();
            json.WriteString("modality", "TEXT");
            json.WriteNumber("tokenCount", candidates);
            json.WriteEndObject();
            json.WriteEndArray();
        }

        if (a.Thoughts > 0)
        {
            json.WriteNumber("thoughtsTokenCount", a.Thoughts);
        }

        json.WriteEndObject();
        json.WriteString("modelVersion", a.ModelVersion);
        json.WriteString("responseId", a.ResponseId);
        json.WriteEndObject();
    }

    private static void WriteModalities(Utf8JsonWriter json, string name, ReadOnlySpan<int> counts)
    {
        json.WriteStartArray(name);
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] > 0)
            {
                json.WriteStartObject();
                json.WriteString("modality", s_modalities[i]);
                json.WriteNumber("tokenCount", counts[i]);
                json.WriteEndObject();
            }
        }

        json.WriteEndArray();
    }

    private PromptCount CountPrompt(JsonElement root, JsonElement contents, SimulatorBehavior behavior)
    {
        var byModality = new int[s_modalities.Length];
        if (behavior.PromptTokens is { } fixedCount)
        {
            byModality[0] = Math.Max(0, fixedCount);
            return new PromptCount(byModality);
        }

        long characters = 0;
        CountParts(RequestJson.Get(RequestJson.GetEither(root, "systemInstruction", "system_instruction"), "parts"), behavior, byModality, ref characters);
        foreach (var content in contents.EnumerateArray())
        {
            CountParts(RequestJson.Get(content, "parts"), behavior, byModality, ref characters);
        }

        byModality[0] = (int)Math.Min(TokenMath.FromCharacters(characters), int.MaxValue);
        if (byModality.AsSpan().IndexOfAnyExcept(0) < 0)
        {
            byModality[0] = 1;
        }

        return new PromptCount(byModality);
    }

    private void CountParts(JsonElement parts, SimulatorBehavior behavior, int[] byModality, ref long characters)
    {
        if (parts.ValueKind is not JsonValueKind.Array)
        {
            return;
        }

        foreach (var part in parts.EnumerateArray())
        {
            if (RequestJson.GetString(part, "text") is { } text)
            {
                characters += text.Length;
                continue;
            }

            var inline = RequestJson.GetEither(part, "inlineData", "inline_data");
            var file = RequestJson.GetEither(part, "fileData", "file_data");
            var blob = inline.ValueKind is JsonValueKind.Object ? inline : file;
            if (blob.ValueKind is not JsonValueKind.Object)
            {
                continue;
            }

            var mime = RequestJson.GetString(blob, "mimeType") ?? RequestJson.GetString(blob, "mime_type") ?? string.Empty;
            var data = RequestJson.Get(blob, "data");
            if (mime.StartsWith("image/", StringComparison.OrdinalIgnoreCase))
            {
                byModality[1] += ImageTokens;
            }
            else if (mime.StartsWith("audio/", StringComparison.OrdinalIgnoreCase))
            {
                var seconds = behavior.AudioSeconds ?? (data.ValueKind is JsonValueKind.String ? MeasureAudio(data) : 0);
                byModality[2] += (int)Math.Ceiling(seconds * AudioTokensPerSecond);
            }
            else if (mime.StartsWith("video/", StringComparison.OrdinalIgnoreCase))
            {
                var seconds = behavior.AudioSeconds ?? (data.ValueKind is JsonValueKind.String ? DecodedLength(data) / VideoBytesPerSecond : 0);
                byModality[3] += (int)Math.Ceiling(seconds * VideoTokensPerSecond);
            }
            else
            {
                byModality[4] += ImageTokens;
            }
        }
    }

    private double MeasureAudio(JsonElement data)
    {
        var base64 = Unquote(JsonMarshal.GetRawUtf8Value(data));
        Span<byte> head = stackalloc byte[AudioDuration.HeadLength];
        var prefix = base64[..Math.Min(base64.Length, AudioDuration.HeadLength / 3 * 4)];
        Base64.DecodeFromUtf8(prefix, head, out _, out var written);
        return AudioDuration.Measure(head[..written], DecodedLength(data), state.AudioBytesPerSecond, channels: 1).Seconds;
    }

    private static long DecodedLength(JsonElement data)
    {
        var base64 = Unquote(JsonMarshal.GetRawUtf8Value(data));
        var padding = base64.EndsWith("=="u8) ? 2 : base64.EndsWith("="u8) ? 1 : 0;
        return (base64.Length / 4 * 3) - padding;
    }

    private static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> raw) =>
        raw.Length >= 2 && raw[0] == (byte)'"' ? raw[1..^1] : raw;

    private void Bill(GeminiAnswer a, int completion, int thoughts, bool streamed) =>
        state.Bill(new SimulatorLedgerEntry(
            a.StartedAt, SimulatorProviders.Gemini, a.ModelVersion, a.ResponseId,
            a.Prompt.Total, a.Cached, completion, thoughts, AudioSeconds: 0, Characters: 0, streamed));

    /// <summary>Prompt tokens by modality, in the order of <see cref="s_modalities"/>.</summary>
    private sealed class PromptCount(int[] byModality)
    {
        public int[] ByModality { get; } = byModality;

        public int Total { get; } = byModality.Sum();
    }

    private sealed class GeminiAnswer
    {
        /// <summary>When the call arrived: providers bill a call at its start, so a long stream stays on its day.</summary>
        public required DateTimeOffset StartedAt { get; init; }

        public required string ResponseId { get; init; }

        public required string ModelVersion { get; init; }

        public required PromptCount Prompt { get; init; }

        public required int Cached { get; init; }

        public required int Reply { get; init; }

        public required int Thoughts { get; init; }

        public required bool ShowThoughts { get; init; }

        public required string FinishReason { get; init; }
    }
}
