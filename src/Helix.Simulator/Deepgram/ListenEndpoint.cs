using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Deepgram;

/// <summary>
/// <c>POST v1/listen</c> of Deepgram (pre-recorded): the body is the audio; its duration comes from a WAV header or
/// the MP3 frames, else from <c>encoding</c>/<c>sample_rate</c>/<c>channels</c>, else from the configured byte rate. With
/// <c>multichannel=true</c> every channel is transcribed and billed; <c>utterances=true</c> adds one utterance a
/// channel, <c>detect_language=true</c> each channel's <c>detected_language</c>.
/// </summary>
internal sealed class ListenEndpoint(SimulatorState state)
{
    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Ids.Uuid();
        context.Response.Headers["dg-request-id"] = requestId;
        var errors = DeepgramErrorDialect.Instance;
        var query = context.Request.Query;
        var model = query["model"].ToString() is { Length: > 0 } requested ? requested : "base";
        var multichannel = string.Equals(query["multichannel"], "true", StringComparison.OrdinalIgnoreCase);
        var utterances = string.Equals(query["utterances"], "true", StringComparison.OrdinalIgnoreCase);
        var detectLanguage = string.Equals(query["detect_language"], "true", StringComparison.OrdinalIgnoreCase);
        var declaredChannels = int.TryParse(query["channels"], CultureInfo.InvariantCulture, out var c) && c > 0 ? c : 1;

        var plan = state.BeginCall(SimulatorProviders.Deepgram, model);
        var behavior = plan.Behavior;
        var audio = context.Request.HasJsonContentType()
            ? await ReadUrlRequestAsync(context, behavior, declaredChannels)
            : await ReadAudioAsync(context, BytesPerSecond(query, declaredChannels), declaredChannels);
        if (audio.Problem is { } problem)
        {
            await errors.RejectAsync(context, requestId, problem);
            return;
        }

        if (!await CallGate.PassAsync(context, plan, errors, requestId, model))
        {
            return;
        }

        var seconds = Math.Round(behavior.AudioSeconds ?? audio.Seconds, 6);
        var channels = audio.Channels;
        var words = TokenMath.Reply(behavior, maxTokens: null, out _);
        await CallGate.GenerateAsync(behavior, words, context.RequestAborted);
        var billedSeconds = multichannel ? seconds * channels : seconds;
        var reportedModel = behavior.ReportedModel ?? model;
        state.Bill(new SimulatorLedgerEntry(
            state.TimeProvider.GetUtcNow(), SimulatorProviders.Deepgram, reportedModel, requestId,
            PromptTokens: 0, CachedTokens: 0, CompletionTokens: 0, ReasoningTokens: 0, billedSeconds, Characters: 0, Streamed: false));

        var modelId = ModelId(reportedModel);
        using var writer = new WireWriter(context, plan.Fault);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteStartObject("metadata");
        json.WriteString("transaction_key", "deprecated");
        json.WriteString("request_id", requestId);
        json.WriteString("sha256", audio.Sha256);
        json.WriteString("created", state.TimeProvider.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
        json.WriteNumber("duration", seconds);
        json.WriteNumber("channels", channels);
        json.WriteStartArray("models");
        json.WriteStringValue(modelId);
        json.WriteEndArray();
        json.WriteStartObject("model_info");
        json.WriteStartObject(modelId);
        json.WriteString("name", "general-" + reportedModel);
        json.WriteString("version", "2025-01-01.0");
        json.WriteString("arch", reportedModel);
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteStartObject("results");
        json.WriteStartArray("channels");
        var transcribed = multichannel ? channels : 1;
        for (var channel = 0; channel < transcribed; channel++)
        {
            json.WriteStartObject();
            if (detectLanguage)
            {
                json.WriteString("detected_language", "en");
                json.WriteNumber("language_confidence", 0.98);
            }

            json.WriteStartArray("alternatives");
            json.WriteStartObject();
            json.WriteString("transcript", TranscriptText.Text(words));
            json.WriteNumber("confidence", 0.99);
            json.WriteStartArray("words");
            var step = words == 0 ? 0 : seconds / words;
            for (var i = 0; i < words; i++)
            {
                json.WriteStartObject();
                json.WriteString("word", TranscriptText.Word(i));
                json.WriteNumber("start", Math.Round(i * step, 3));
                json.WriteNumber("end", Math.Round((i + 1) * step, 3));
                json.WriteNumber("confidence", 0.99);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        if (utterances)
        {
            // One utterance a channel transcribed, spanning the audio.
            json.WriteStartArray("utterances");
            for (var channel = 0; channel < transcribed; channel++)
            {
                json.WriteStartObject();
                json.WriteNumber("start", 0.0);
                json.WriteNumber("end", seconds);
                json.WriteNumber("confidence", 0.99);
                json.WriteNumber("channel", channel);
                json.WriteString("transcript", TranscriptText.Text(words));
                json.WriteString("id", Ids.Uuid());
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await writer.SendJsonAsync();
    }

    private double BytesPerSecond(IQueryCollection query, int channels)
    {
        var bytesPerSample = query["encoding"].ToString() switch
        {
            "linear16" => 2,
            "linear32" => 4,
            "mulaw" or "alaw" => 1,
            _ => 0,
        };
        return bytesPerSample > 0 && int.TryParse(query["sample_rate"], CultureInfo.InvariantCulture, out var rate) && rate > 0
            ? (double)bytesPerSample * rate * channels
            : state.AudioBytesPerSecond;
    }

    private static async Task<Audio> ReadAudioAsync(HttpContext context, double bytesPerSecond, int channels)
    {
        // The whole body is kept: an MP3 is measured frame by frame.
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length == 0)
        {
            return Audio.Invalid("Bad Request: the request body is empty; send the audio or a JSON {\"url\":...}.");
        }

        var audio = body.GetBuffer().AsSpan(0, (int)body.Length);
        var (seconds, measuredChannels) = AudioDuration.Measure(audio, audio.Length, bytesPerSecond, channels);
        return new Audio(seconds, measuredChannels, Convert.ToHexStringLower(SHA256.HashData(audio)), Problem: null);
    }

    private static async Task<Audio> ReadUrlRequestAsync(HttpContext context, SimulatorBehavior behavior, int channels)
    {
        using var document = await RequestJson.ReadAsync(context);
        var url = document is null ? null : RequestJson.GetString(document.RootElement, "url");
        if (string.IsNullOrEmpty(url))
        {
            return Audio.Invalid("Bad Request: the JSON body must be {\"url\":\"...\"}.");
        }

        // The simulator does not fetch remote audio: a behaviour says how long it is.
        return behavior.AudioSeconds is { } seconds
            ? new Audio(seconds, channels, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url))), Problem: null)
            : Audio.Invalid("Bad Request: the simulator does not fetch remote audio; set the behaviour's AudioSeconds for url requests.");
    }

    /// <summary>A stable UUID per model name, as Deepgram lists models by id.</summary>
    private static string ModelId(string model) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(model)).AsSpan(0, 16)).ToString();

    private readonly record struct Audio(double Seconds, int Channels, string Sha256, string? Problem)
    {
        public static Audio Invalid(string problem) => new(0, 0, string.Empty, problem);
    }
}
