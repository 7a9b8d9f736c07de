using System.Net;
using System.Net.WebSockets;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.EdgeTts;

/// <summary>A speech provider for Microsoft Edge's read-aloud service over its WebSocket protocol: free, characters and audio seconds metered.</summary>
/// <remarks>
/// <para>
/// Each call opens a <see cref="ClientWebSocket"/> to <c>{BaseUrl}/consumer/speech/synthesize/readaloud/edge/v1</c>
/// with the browser's client token and a fresh <c>Sec-MS-GEC</c> token, sends <c>speech.config</c> (the output
/// format: <c>audio-24khz-48kbitrate-mono-mp3</c> for mp3, <c>riff-24khz-16bit-mono-pcm</c> for wav,
/// <c>raw-24khz-16bit-mono-pcm</c> for pcm, <c>ogg-24khz-16bit-mono-opus</c> for opus) and the SSML of each turn
/// (text over 4,096 bytes is split into turns on the same socket), and streams the audio frames back as they arrive
/// until the last <c>turn.end</c>. The first audio is read before the stream is handed out, so a refused handshake
/// or a silent socket can fall back.
/// </para>
/// <para>
/// The voice is an Edge voice the caller names, else the route's model when it is one, else the Edge voice standing
/// in for an OpenAI voice (<c>alloy</c>, <c>nova</c>, …); anything else is refused. The speed becomes the prosody
/// rate. A format Edge does not render (aac, flac), or a wav longer than one turn, is
/// <see cref="ProviderErrorKind.NotFound"/> so the route falls back to a provider that renders it. A handshake
/// refused with 401/403 (an outdated token) is <see cref="ProviderErrorKind.Unauthorized"/>, 429
/// <see cref="ProviderErrorKind.RateLimited"/>, 5xx <see cref="ProviderErrorKind.ServerError"/>, a connection
/// that fails <see cref="ProviderErrorKind.Network"/>, the invoker's timeout <see cref="ProviderErrorKind.Timeout"/>.
/// Thread-safe; the invoker is borrowed, not disposed.
/// </para>
/// </remarks>
public sealed class EdgeTtsSpeechProvider : ISpeechProvider
{
    private readonly HttpMessageInvoker? _invoker;
    private readonly ProviderEndpoint _endpoint;
    private readonly TimeProvider _time;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="invoker">The client the handshake is sent with (its timeout bounds the handshake); a client of its own when <see langword="null"/>.</param>
    /// <param name="endpoint">The service root (<c>wss://speech.platform.bing.com</c>, or the simulator's); no key is used.</param>
    /// <param name="timeProvider">The clock for the <c>Sec-MS-GEC</c> token and timestamps; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public EdgeTtsSpeechProvider(HttpMessageInvoker? invoker, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _invoker = invoker;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => "edge-tts";

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its input is <see langword="null"/>.</exception>
    public async Task<ProviderResult<ISpeechStream>> SynthesizeAsync(SpeechCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(call.Input, nameof(call));
        if (EdgeTtsProtocol.OutputFormat(call.ResponseFormat) is not { } outputFormat)
        {
            return new ProviderError(ProviderErrorKind.NotFound, $"edge-tts does not render '{call.ResponseFormat}' audio.");
        }

        if (EdgeTtsVoices.Resolve(call.Voice, call.Model.ProviderModel) is not { } voice)
        {
            return new ProviderError(ProviderErrorKind.InvalidRequest, $"edge-tts has no voice '{call.Voice}'.");
        }

        var turns = EdgeTtsProtocol.Turns(EdgeTtsProtocol.Escape(call.Input));
        if (turns.Count == 0)
        {
            return new ProviderError(ProviderErrorKind.InvalidRequest, "edge-tts: the input has nothing to speak.");
        }

        if (turns.Count > 1 && call.ResponseFormat == "wav")
        {
            return new ProviderError(ProviderErrorKind.NotFound,
                $"edge-tts renders a wav of one turn ({EdgeTtsProtocol.MaxTurnBytes} bytes of text) at most; this input needs {turns.Count}.");
        }

        var socket = new ClientWebSocket();
        EdgeTtsStream? stream = null;
        try
        {
            ConfigureHeaders(socket.Options);
            var now = _time.GetUtcNow();
            var url = EdgeTtsProtocol.SocketUrl(_endpoint.BaseUrl, now, Guid.NewGuid().ToString("N"));
            if (await ConnectAsync(socket, url, cancellationToken) is { } refused)
            {
                return refused;
            }

            var usage = new UsageMeters { Characters = OpenAIStyleCharacters(call.Input) };
            stream = new EdgeTtsStream(socket, _time, voice, EdgeTtsProtocol.Rate(call.Speed), turns, call.ResponseFormat, usage);
            socket = null;
            if (await stream.OpenAsync(outputFormat, cancellationToken) is { } error)
            {
                return error;
            }

            var opened = stream;
            stream = null;
            return ProviderResult<ISpeechStream>.Success(opened);
        }
        finally
        {
            socket?.Dispose();
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private static void ConfigureHeaders(ClientWebSocketOptions options)
    {
        var major = EdgeTtsProtocol.ChromiumFullVersion.Split('.')[0];
        options.CollectHttpResponseDetails = true;
        options.SetRequestHeader("Pragma", "no-cache");
        options.SetRequestHeader("Cache-Control", "no-cache");
        options.SetRequestHeader("Origin", "chrome-extension://jdiccldimpdaibmpdkjnbmckianbfold");
        options.SetRequestHeader("User-Agent",
            $"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{major}.0.0.0 Safari/537.36 Edg/{major}.0.0.0");
        options.SetRequestHeader("Accept-Language", "en-US,en;q=0.9");
        options.SetRequestHeader("Cookie", "muid=" + Convert.ToHexString(Guid.NewGuid().ToByteArray()) + ";");
    }

    private static long OpenAIStyleCharacters(string input)
    {
        long characters = 0;
        foreach (var rune in input.EnumerateRunes())
        {
            _ = rune;
            characters++;
        }

        return characters;
    }

    private async Task<ProviderError?> ConnectAsync(ClientWebSocket socket, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            if (_invoker is null)
            {
                await socket.ConnectAsync(url, cancellationToken);
            }
            else
            {
                await socket.ConnectAsync(url, _invoker, cancellationToken);
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is WebSocketException or HttpRequestException or OperationCanceledException or IOException)
        {
            // A caller's cancellation may surface wrapped in the socket's own exception.
            cancellationToken.ThrowIfCancellationRequested();
            return HandshakeError(socket, ex);
        }
    }

    private static ProviderError HandshakeError(ClientWebSocket socket, Exception exception)
    {
        var status = (int)socket.HttpStatusCode;
        if (status >= 400)
        {
            var kind = ProviderHttp.KindOfStatus(status) ?? ProviderErrorKind.ServerError;
            TimeSpan? retryAfter = null;
            if (socket.HttpResponseHeaders is { } headers && headers.TryGetValue("Retry-After", out var values)
                && values.FirstOrDefault() is { } raw && int.TryParse(raw, out var seconds) && seconds >= 0)
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
            }

            var reason = status is 401 or 403 ? " (the client token or Sec-MS-GEC version may be outdated)" : string.Empty;
            return new ProviderError(kind, $"edge-tts refused the connection with HTTP {status}{reason}.", status, retryAfter);
        }

        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is OperationCanceledException or TimeoutException)
            {
                return new ProviderError(ProviderErrorKind.Timeout, "edge-tts did not accept the connection within the client's timeout.");
            }
        }

        return new ProviderError(ProviderErrorKind.Network, $"The connection to edge-tts failed: {exception.Message}");
    }
}
