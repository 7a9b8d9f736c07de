using System.Buffers;
using System.Text.Json;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>A speech provider for OpenAI's <c>/audio/speech</c> (<c>tts-1</c>, <c>tts-1-hd</c>, <c>gpt-4o-mini-tts</c>): audio streamed back as it arrives.</summary>
/// <remarks>
/// <para>
/// POSTs <c>model</c>, <c>input</c>, <c>voice</c>, <c>response_format</c>, <c>speed</c> and, when set,
/// <c>instructions</c>. The answer is raw audio with no usage: the usage is the input's characters (what tts-1 and
/// tts-1-hd bill) and the seconds of audio received (measured for mp3, wav and pcm). The gpt-4o speech models bill
/// text tokens in and audio tokens out, neither of which the answer reports: their report is flagged as not known
/// and estimates both, the text at a token per 4 characters of input and instructions, the audio at
/// <see cref="AudioTokensPerSecond"/> (OpenAI's own estimate of $0.015 a minute at $12 per million audio tokens).
/// The first bytes are read before the stream is handed out, so an answer that fails at once can fall back.
/// </para>
/// <para>Failures map as for chat. Thread-safe; the <see cref="HttpClient"/> is borrowed, not disposed.</para>
/// </remarks>
public sealed class OpenAISpeechProvider : ISpeechProvider, IHttpWire
{
    /// <summary>The output audio tokens a second of gpt-4o speech is estimated at: $0.015 a minute at $12 per million tokens.</summary>
    public const decimal AudioTokensPerSecond = 0.015m / 60m / 12m * 1_000_000m;

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
    public OpenAISpeechProvider(string name, HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        Name = name;
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
        _requests = new OpenAIHttpRequests(endpoint);
        _url = _requests.Url("audio/speech");
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its input is <see langword="null"/>.</exception>
    public Task<ProviderResult<ISpeechStream>> SynthesizeAsync(SpeechCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(call.Input, nameof(call));
        var buffer = new ArrayBufferWriter<byte>(256 + call.Input.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("model", call.Model.ProviderModel);
            writer.WriteString("input", call.Input);
            writer.WriteString("voice", call.Voice);
            writer.WriteString("response_format", call.ResponseFormat);
            writer.WriteNumber("speed", call.Speed);
            if (!string.IsNullOrEmpty(call.Instructions))
            {
                writer.WriteString("instructions", call.Instructions);
            }

            writer.WriteEndObject();
        }

        var request = _requests.Post(_url, OpenAIHttpRequests.Json(buffer.WrittenMemory), "*/*", call.RequestId);
        return HttpCalls.OpenAsync(this, _http, request, (Self: this, Call: call), IsAudio, OpenAsync, cancellationToken);
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        response.IsSuccessStatusCode
            ? new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered a speech request with JSON instead of audio.", (int)response.StatusCode)
            : OpenAIErrors.FromResponse(response, body, _time, Name, _requests.ApiKey);

    // tts-1 and tts-1-hd bill characters; the gpt-4o speech models bill tokens.
    private static bool IsTokenPriced(string model) => !model.StartsWith("tts-", StringComparison.OrdinalIgnoreCase);

    private static UsageReport EstimateTokens(UsageMeters measured, SpeechCall call)
    {
        var textCharacters = call.Input.Length + (call.Instructions?.Length ?? 0);
        return new UsageReport(
            measured with
            {
                InputTokens = Math.Max(1, (textCharacters + 3) / 4),
                OutputAudioTokens = (long)Math.Ceiling(measured.AudioSeconds * AudioTokensPerSecond),
            },
            IsKnown: false);
    }

    // A JSON answer to a speech request is an error body, whatever its status.
    private static bool IsAudio(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is not { } mediaType
        || !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task<ProviderResult<ISpeechStream>> OpenAsync(
        HttpResponseMessage response, (OpenAISpeechProvider Self, SpeechCall Call) state, CancellationToken cancellationToken)
    {
        var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
        var call = state.Call;
        var stream = new HttpAudioStream(
            response, state.Self.Name, call.ResponseFormat, OpenAIUsage.SpeechUsage(call.Input).Meters, call.Model.ProviderModel, requestId,
            IsTokenPriced(call.Model.ProviderModel) ? measured => EstimateTokens(measured, call) : null);
        var opened = false;
        try
        {
            if (await stream.OpenAsync(cancellationToken) is { } error)
            {
                return error;
            }

            opened = true;
            return ProviderResult<ISpeechStream>.Success(stream);
        }
        finally
        {
            if (!opened)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
