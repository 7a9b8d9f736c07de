using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>A transcription provider for OpenAI's <c>/audio/transcriptions</c>: whisper-1 billed by duration, gpt-4o-*-transcribe by audio tokens.</summary>
/// <remarks>
/// <para>
/// POSTs the audio as <c>multipart/form-data</c> (<c>file</c>, <c>model</c>, <c>response_format</c>, and
/// <c>language</c>, <c>prompt</c>, <c>temperature</c> when set). whisper-1 is asked for <c>verbose_json</c>, which
/// carries the language, the duration and timed segments; the gpt-4o transcribe models take only <c>json</c>, which
/// carries the text and the token <c>usage</c>. A body without usage is billed from its <c>duration</c>, else from
/// the duration Helix read from the file's header; with neither, the usage is unknown.
/// </para>
/// <para>Failures map as for chat. Thread-safe; the <see cref="HttpClient"/> is borrowed, not disposed.</para>
/// </remarks>
public sealed class OpenAITranscriptionProvider : ITranscriptionProvider, IHttpWire
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly OpenAIHttpRequests _requests;
    private readonly Uri _url;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="name">The provider id (<c>openai</c>).</param>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API root (<c>https://api.openai.com/v1</c>) and key.</param>
    /// <param name="timeProvider">The clock for <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public OpenAITranscriptionProvider(string name, HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        Name = name;
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
        _requests = new OpenAIHttpRequests(endpoint);
        _url = _requests.Url("audio/transcriptions");
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public Task<ProviderResult<Transcript>> TranscribeAsync(TranscriptionCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var model = call.Model.ProviderModel;
        var verbose = !model.Contains("transcribe", StringComparison.OrdinalIgnoreCase);
        var form = new MultipartFormDataContent();
        var file = new ReadOnlyMemoryContent(call.Audio);
        file.Headers.ContentType = MediaTypeHeaderValue.TryParse(call.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", string.IsNullOrEmpty(call.FileName) ? "audio" : call.FileName);
        form.Add(new StringContent(model), "model");
        form.Add(new StringContent(verbose ? "verbose_json" : "json"), "response_format");
        if (verbose)
        {
            form.Add(new StringContent("segment"), "timestamp_granularities[]");
        }

        if (!string.IsNullOrEmpty(call.Language))
        {
            form.Add(new StringContent(call.Language), "language");
        }

        if (!string.IsNullOrEmpty(call.Prompt))
        {
            form.Add(new StringContent(call.Prompt), "prompt");
        }

        if (call.Temperature is { } temperature)
        {
            form.Add(new StringContent(temperature.ToString("R", CultureInfo.InvariantCulture)), "temperature");
        }

        var request = _requests.Post(_url, form, "application/json", call.RequestId);
        return HttpCalls.SendAsync(this, _http, request, (Self: this, Call: call),
            static (bytes, response, state) => state.Self.Read(bytes, (int)response.StatusCode, state.Call), cancellationToken);
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        OpenAIErrors.FromResponse(response, body, _time, Name, _requests.ApiKey);

    private ProviderResult<Transcript> Read(ReadOnlyMemory<byte> body, int status, TranscriptionCall call)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered {status} with a body that is not a JSON object.", status);
            }

            if (ChatJson.StringOf(root, "text") is not { } text)
            {
                var payload = OpenAIChatPayload.Read(body.Span, text: null);
                return payload.HasError
                    ? OpenAIErrors.FromPayload(payload, Name, _requests.ApiKey) with { StatusCode = status }
                    : new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered {status} with a transcription that has no text.", status);
            }

            decimal? duration = root.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDecimal() : null;
            var usage = OpenAIUsage.ParseTranscription(body.Span);
            if (!usage.IsKnown && call.DurationSeconds is { } measured && !call.Model.ProviderModel.Contains("transcribe", StringComparison.OrdinalIgnoreCase))
            {
                usage = new UsageReport(new UsageMeters { AudioSeconds = measured }, IsKnown: true, usage.ReportedModel);
            }

            var segments = new List<TranscriptSegment>();
            if (root.TryGetProperty("segments", out var array) && array.ValueKind == JsonValueKind.Array)
            {
                foreach (var segment in array.EnumerateArray())
                {
                    if (segment.ValueKind == JsonValueKind.Object
                        && segment.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.Number
                        && segment.TryGetProperty("end", out var end) && end.ValueKind == JsonValueKind.Number)
                    {
                        segments.Add(new TranscriptSegment(start.GetDecimal(), end.GetDecimal(), (ChatJson.StringOf(segment, "text") ?? string.Empty).Trim()));
                    }
                }
            }

            var language = ChatJson.StringOf(root, "language") ?? call.Language;
            return ProviderResult<Transcript>.Success(new Transcript(text, language, duration ?? call.DurationSeconds, segments, usage));
        }
        catch (Exception ex) when (ex is JsonException or FormatException)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered {status} with a body that is not JSON: {ex.Message}", status);
        }
    }
}
