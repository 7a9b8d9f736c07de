using System.Globalization;
using System.Text;
using Helix.Simulator.Wire;

namespace Helix.Simulator.OpenAI;

/// <summary>
/// <c>POST audio/transcriptions</c> (multipart): whisper-1 reports <c>usage:{type:"duration",seconds}</c>,
/// the gpt-4o*-transcribe models token usage, audio counted at 10 tokens a second.
/// </summary>
internal sealed class TranscriptionsEndpoint(SimulatorState state)
{
    private const int AudioTokensPerSecond = 10;

    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Ids.Hex("req_", 16);
        context.Response.Headers["x-request-id"] = requestId;
        var errors = OpenAIErrorDialect.OpenAI;
        if (!context.Request.HasFormContentType)
        {
            await errors.RejectAsync(context, requestId, "Invalid Content-Type header, expected multipart/form-data.");
            return;
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException exception)
        {
            await errors.RejectAsync(context, requestId, $"Could not parse multipart form: {exception.Message}");
            return;
        }

        var file = form.Files.GetFile("file");
        var model = form["model"].ToString();
        var format = form.TryGetValue("response_format", out var requested) ? requested.ToString() : "json";
        if (file is null || file.Length == 0)
        {
            await errors.RejectAsync(context, requestId, "Could not parse multipart form: 'file' is missing or empty.");
            return;
        }

        if (model.Length == 0)
        {
            await errors.RejectAsync(context, requestId, "you must provide a model parameter");
            return;
        }

        if (format is not ("json" or "verbose_json" or "text" or "srt" or "vtt"))
        {
            await errors.RejectAsync(context, requestId, $"'{format}' is not one of ['json', 'text', 'srt', 'verbose_json', 'vtt'] - 'response_format'");
            return;
        }

        if (format == "verbose_json" && model.Contains("transcribe", StringComparison.OrdinalIgnoreCase))
        {
            await errors.RejectAsync(context, requestId, $"response_format 'verbose_json' is not compatible with model '{model}'. Use 'json' or 'text' instead.");
            return;
        }

        var plan = state.BeginCall(SimulatorProviders.OpenAI, model);
        if (!await CallGate.PassAsync(context, plan, errors, requestId, model))
        {
            return;
        }

        var behavior = plan.Behavior;
        var seconds = behavior.AudioSeconds ?? await MeasureAsync(file, context.RequestAborted);
        var reply = TokenMath.Reply(behavior, maxTokens: null, out _);
        await CallGate.GenerateAsync(behavior, reply, context.RequestAborted);
        var text = TranscriptText.Text(reply);
        var reportedModel = behavior.ReportedModel ?? model;

        var usage = model.Contains("transcribe", StringComparison.OrdinalIgnoreCase)
            ? TokenUsage(behavior, seconds, form["prompt"].ToString().Length, reply)
            : new TranscriptionUsage(Tokens: false, BilledSeconds: Math.Ceiling(seconds), 0, 0, 0);

        state.Bill(new SimulatorLedgerEntry(
            state.TimeProvider.GetUtcNow(), SimulatorProviders.OpenAI, reportedModel, requestId,
            usage.TextTokens + usage.AudioTokens, CachedTokens: 0, usage.OutputTokens, ReasoningTokens: 0,
            usage.BilledSeconds, Characters: 0, Streamed: false));

        using var writer = new WireWriter(context, plan.Fault);
        switch (format)
        {
            case "json" or "verbose_json":
                var json = writer.StartJson();
                json.WriteStartObject();
                if (format == "verbose_json")
                {
                    json.WriteString("task", "transcribe");
                    json.WriteString("language", "english");
                    json.WriteNumber("duration", Math.Round(seconds, 3));
                }

                json.WriteString("text", text);
                if (format == "verbose_json")
                {
                    json.WriteStartArray("segments");
                    json.WriteStartObject();
                    json.WriteNumber("id", 0);
                    json.WriteNumber("seek", 0);
                    json.WriteNumber("start", 0.0);
                    json.WriteNumber("end", Math.Round(seconds, 3));
                    json.WriteString("text", text);
                    json.WriteStartArray("tokens");
                    json.WriteEndArray();
                    json.WriteNumber("temperature", 0.0);
                    json.WriteNumber("avg_logprob", -0.2);
                    json.WriteNumber("compression_ratio", 1.0);
                    json.WriteNumber("no_speech_prob", 0.0);
                    json.WriteEndObject();
                    json.WriteEndArray();
                }

                WriteUsage(json, usage);
                json.WriteEndObject();
                await writer.SendJsonAsync();
                break;
            default:
                await writer.SendBodyAsync(Encoding.UTF8.GetBytes(Caption(format, text, seconds)), "text/plain; charset=utf-8");
                break;
        }
    }

    private static TranscriptionUsage TokenUsage(SimulatorBehavior behavior, double seconds, int promptCharacters, int reply)
    {
        var textTokens = TokenMath.FromCharacters(promptCharacters);
        var audioTokens = behavior.PromptTokens is { } fixedCount
            ? Math.Max(0, fixedCount - textTokens)
            : (long)Math.Ceiling(seconds * AudioTokensPerSecond);
        return new TranscriptionUsage(Tokens: true, seconds, textTokens, audioTokens, reply);
    }

    private static void WriteUsage(System.Text.Json.Utf8JsonWriter json, TranscriptionUsage usage)
    {
        json.WriteStartObject("usage");
        if (usage.Tokens)
        {
            json.WriteString("type", "tokens");
            json.WriteNumber("input_tokens", usage.TextTokens + usage.AudioTokens);
            json.WriteStartObject("input_token_details");
            json.WriteNumber("text_tokens", usage.TextTokens);
            json.WriteNumber("audio_tokens", usage.AudioTokens);
            json.WriteEndObject();
            json.WriteNumber("output_tokens", usage.OutputTokens);
            json.WriteNumber("total_tokens", usage.TextTokens + usage.AudioTokens + usage.OutputTokens);
        }
        else
        {
            json.WriteString("type", "duration");
            json.WriteNumber("seconds", (long)usage.BilledSeconds);
        }

        json.WriteEndObject();
    }

    private async Task<double> MeasureAsync(IFormFile file, CancellationToken cancellationToken)
    {
        var audio = new byte[file.Length];
        await using (var stream = file.OpenReadStream())
        {
            await stream.ReadExactlyAsync(audio, cancellationToken);
        }

        return AudioDuration.Measure(audio, audio.Length, state.AudioBytesPerSecond, channels: 1).Seconds;
    }

    private static string Caption(string format, string text, double seconds)
    {
        var end = TimeSpan.FromSeconds(seconds);
        return format switch
        {
            "srt" => string.Create(CultureInfo.InvariantCulture, $"1\n00:00:00,000 --> {end:hh\\:mm\\:ss\\,fff}\n{text}\n\n"),
            "vtt" => string.Create(CultureInfo.InvariantCulture, $"WEBVTT\n\n00:00:00.000 --> {end:hh\\:mm\\:ss\\.fff}\n{text}\n\n"),
            _ => text + "\n",
        };
    }

    // Tokens: whether the model bills tokens rather than seconds. BilledSeconds: whole seconds for whisper-1,
    // the duration for token models.
    private readonly record struct TranscriptionUsage(bool Tokens, double BilledSeconds, long TextTokens, long AudioTokens, long OutputTokens);
}
