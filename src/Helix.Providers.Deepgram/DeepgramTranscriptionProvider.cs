using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Deepgram;

/// <summary>A transcription provider for Deepgram pre-recorded <c>POST /v1/listen</c>: the audio as the body, options in the query.</summary>
/// <remarks>
/// <para>
/// Sends the audio with its own content type and <c>Authorization: Token</c>; the query asks for the model,
/// <c>punctuate</c>, <c>smart_format</c>, <c>utterances</c>, <c>multichannel</c> when the call wants it, and the
/// language, or <c>detect_language</c> when the caller gave none. The transcript is every channel's best
/// alternative (one line a channel); the segments are the utterances, else the paragraphs; the language is the one
/// detected, else the one asked. Usage is <c>metadata.duration</c> × the channels billed
/// (<see cref="DeepgramUsage.ParseListen"/>).
/// </para>
/// <para>Failures map by status (402 out of credit, 429 with <c>retry-after</c>). Thread-safe; the <see cref="HttpClient"/> is borrowed.</para>
/// </remarks>
public sealed class DeepgramTranscriptionProvider : ITranscriptionProvider, IHttpWire
{
    private readonly HttpClient _http;
    private readonly ProviderEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly Uri _url;
    private readonly string? _authorization;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API root (<c>https://api.deepgram.com</c>) and key.</param>
    /// <param name="timeProvider">The clock for <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public DeepgramTranscriptionProvider(HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
        _url = ProviderHttp.Combine(endpoint.BaseUrl, "v1/listen");
        _authorization = string.IsNullOrEmpty(endpoint.ApiKey) ? null : "Token " + endpoint.ApiKey;
    }

    /// <inheritdoc/>
    public string Name => "deepgram";

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> is <see langword="null"/>.</exception>
    public Task<ProviderResult<Transcript>> TranscribeAsync(TranscriptionCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        var query = new StringBuilder(_url.AbsoluteUri, 256)
            .Append("?model=").Append(Uri.EscapeDataString(call.Model.ProviderModel))
            .Append("&punctuate=true&smart_format=true&utterances=true");
        if (call.Multichannel)
        {
            query.Append("&multichannel=true");
        }

        query.Append(string.IsNullOrEmpty(call.Language) ? "&detect_language=true" : "&language=" + Uri.EscapeDataString(call.Language));
        var content = new ReadOnlyMemoryContent(call.Audio);
        content.Headers.ContentType = MediaTypeHeaderValue.TryParse(call.ContentType, out var type) ? type : new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(query.ToString())) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        return HttpCalls.SendAsync(this, _http, request, call,
            static (body, response, call) => Read(body, (int)response.StatusCode, call), cancellationToken);
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        DeepgramErrors.FromResponse(response, body, _time, _endpoint.ApiKey);

    private static ProviderResult<Transcript> Read(ReadOnlyMemory<byte> body, int status, TranscriptionCall call)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Object
                || !results.TryGetProperty("channels", out var channels) || channels.ValueKind != JsonValueKind.Array)
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse, $"deepgram answered {status} with a body that has no results.", status);
            }

            var text = new StringBuilder();
            string? detected = null;
            var segments = new List<TranscriptSegment>();
            foreach (var channel in channels.EnumerateArray())
            {
                detected ??= ChatJson.StringOf(channel, "detected_language");
                if (!channel.TryGetProperty("alternatives", out var alternatives) || alternatives.ValueKind != JsonValueKind.Array || alternatives.GetArrayLength() == 0)
                {
                    continue;
                }

                var best = alternatives[0];
                if (ChatJson.StringOf(best, "transcript") is { Length: > 0 } transcript)
                {
                    text.Append(text.Length == 0 ? string.Empty : "\n").Append(transcript);
                }

                ReadParagraphs(best, segments);
            }

            if (results.TryGetProperty("utterances", out var utterances) && utterances.ValueKind == JsonValueKind.Array)
            {
                segments.Clear();
                foreach (var utterance in utterances.EnumerateArray())
                {
                    AddSegment(segments, utterance, ChatJson.StringOf(utterance, "transcript"));
                }
            }

            var usage = DeepgramUsage.ParseListen(body.Span, call.Multichannel);
            decimal? duration = root.TryGetProperty("metadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
                && metadata.TryGetProperty("duration", out var d) && d.ValueKind == JsonValueKind.Number ? d.GetDecimal() : null;
            return ProviderResult<Transcript>.Success(new Transcript(
                text.ToString(), detected ?? call.Language, duration ?? call.DurationSeconds, segments, usage));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"deepgram answered {status} with a body that is not JSON: {ex.Message}", status);
        }
    }

    private static void ReadParagraphs(JsonElement alternative, List<TranscriptSegment> segments)
    {
        if (!alternative.TryGetProperty("paragraphs", out var holder) || holder.ValueKind != JsonValueKind.Object
            || !holder.TryGetProperty("paragraphs", out var paragraphs) || paragraphs.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var paragraph in paragraphs.EnumerateArray())
        {
            var sentences = new StringBuilder();
            if (paragraph.TryGetProperty("sentences", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var sentence in list.EnumerateArray())
                {
                    if (ChatJson.StringOf(sentence, "text") is { } said)
                    {
                        sentences.Append(sentences.Length == 0 ? string.Empty : " ").Append(said);
                    }
                }
            }

            AddSegment(segments, paragraph, sentences.ToString());
        }
    }

    private static void AddSegment(List<TranscriptSegment> segments, JsonElement element, string? text)
    {
        if (element.ValueKind == JsonValueKind.Object
            && element.TryGetProperty("start", out var start) && start.ValueKind == JsonValueKind.Number
            && element.TryGetProperty("end", out var end) && end.ValueKind == JsonValueKind.Number)
        {
            segments.Add(new TranscriptSegment(
                decimal.Round(start.GetDecimal(), 3), decimal.Round(end.GetDecimal(), 3), (text ?? string.Empty).Trim()));
        }
    }
}
