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
/// tts-1-hd bill) and the seconds of audio received (measured for mp3, wav and pcm). The first bytes are read before
/// the stream is handed out, so an answer that fails at once can fall back.
/// </para>
/// <para>Failures map as for chat. Thread-safe; the <see cref="HttpClient"/> is borrowed, not disposed.</para>
/// </remarks>
public sealed class OpenAISpeechProvider : ISpeechProvider, IHttpWire
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

    // A JSON answer to a speech request is an error body, whatever its status.
    private static bool IsAudio(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is not { } mediaType
        || !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    private static async Task<ProviderResult<ISpeechStream>> OpenAsync(
        HttpResponseMessage response, (OpenAISpeechProvider Self, SpeechCall Call) state, CancellationToken cancellationToken)
    {
        var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
        var stream = new HttpAudioStream(
            response, state.Self.Name, state.Call.ResponseFormat, OpenAIUsage.SpeechUsage(state.Call.Input).Meters, state.Call.Model.ProviderModel, requestId);
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
