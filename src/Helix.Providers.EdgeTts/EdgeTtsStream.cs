using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.EdgeTts;

/// <summary>The audio of one Edge read-aloud socket: frames read as they arrive, turn after turn, until the last <c>turn.end</c>.</summary>
/// <remarks>
/// Owns the socket. A socket closed or broken before the last <c>turn.end</c> ends the stream with a
/// <see cref="ProviderErrorKind.Network"/> error; a frame that does not parse with
/// <see cref="ProviderErrorKind.MalformedResponse"/>; cancellation by the reader's token is rethrown. The usage is the
/// input's characters and the audio seconds received. Not thread-safe: one reader. Disposing aborts the socket.
/// </remarks>
internal sealed class EdgeTtsStream : ISpeechStream
{
    private const int FrameBufferSize = 64 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly TimeProvider _time;
    private readonly string _voice;
    private readonly string _rate;
    private readonly List<string> _turns;
    private readonly UsageMeters _requestMeters;
    private readonly AudioMeter _meter;
    private byte[] _frame = ArrayPool<byte>.Shared.Rent(FrameBufferSize);
    private int _nextTurn;
    private ReadOnlyMemory<byte> _pending;
    private bool _ended;
    private bool _disposed;

    public EdgeTtsStream(ClientWebSocket socket, TimeProvider time, string voice, string rate, List<string> turns, string format, UsageMeters requestMeters)
    {
        _socket = socket;
        _time = time;
        _voice = voice;
        _rate = rate;
        _turns = turns;
        _requestMeters = requestMeters;
        _meter = new AudioMeter(format);
        ContentType = HttpAudioStream.MediaTypeOf(format);
    }

    /// <inheritdoc/>
    public string ContentType { get; }

    /// <inheritdoc/>
    public UsageReport Usage => new(_requestMeters with { AudioSeconds = _meter.Seconds }, IsKnown: true);

    /// <inheritdoc/>
    public ProviderError? Error { get; private set; }

    /// <summary>Sends the configuration and the first turn, then reads up to the first audio.</summary>
    /// <returns>The error that ended the socket before any audio, or <see langword="null"/>.</returns>
    public async Task<ProviderError?> OpenAsync(string outputFormat, CancellationToken cancellationToken)
    {
        try
        {
            await SendTextAsync(EdgeTtsProtocol.SpeechConfig(_time.GetUtcNow(), outputFormat), cancellationToken);
            await SendNextTurnAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            return new ProviderError(ProviderErrorKind.Network, $"The connection to edge-tts broke: {ex.Message}");
        }

        _pending = await NextAudioAsync(cancellationToken);
        return _pending.IsEmpty
            ? Error ?? new ProviderError(ProviderErrorKind.MalformedResponse, "edge-tts ended the turn without audio.")
            : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!_pending.IsEmpty)
        {
            var first = _pending;
            _pending = default;
            yield return first;
        }

        while (!_ended)
        {
            var audio = await NextAudioAsync(cancellationToken);
            if (audio.IsEmpty)
            {
                yield break;
            }

            yield return audio;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return ValueTask.CompletedTask;
        }

        _disposed = true;
        if (_socket.State is WebSocketState.Open or WebSocketState.Connecting or WebSocketState.CloseReceived)
        {
            _socket.Abort();
        }

        _socket.Dispose();
        ArrayPool<byte>.Shared.Return(_frame);
        _frame = [];
        return ValueTask.CompletedTask;
    }

    private Task SendTextAsync(string message, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private Task SendNextTurnAsync(CancellationToken cancellationToken)
    {
        var text = _turns[_nextTurn++];
        return SendTextAsync(EdgeTtsProtocol.Ssml(_time.GetUtcNow(), Guid.NewGuid().ToString("N"), _voice, _rate, text), cancellationToken);
    }

    // The next audio bytes (valid until the next call), or empty when the stream ended (Error says whether well).
    private async ValueTask<ReadOnlyMemory<byte>> NextAudioAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!_ended)
            {
                var (type, length) = await ReceiveMessageAsync(cancellationToken);
                if (type == WebSocketMessageType.Close)
                {
                    return End(new ProviderError(ProviderErrorKind.Network, "edge-tts closed the connection before the end of the speech."));
                }

                var message = _frame.AsMemory(0, length);
                if (type == WebSocketMessageType.Text)
                {
                    var path = EdgeTtsProtocol.Header(EdgeTtsProtocol.TextHeaders(message.Span), "Path"u8);
                    if (path.SequenceEqual("turn.end"u8))
                    {
                        if (_nextTurn < _turns.Count)
                        {
                            await SendNextTurnAsync(cancellationToken);
                            continue;
                        }

                        await CloseQuietlyAsync();
                        return End(null);
                    }

                    continue; // turn.start, response, audio.metadata
                }

                if (!EdgeTtsProtocol.TrySplitBinary(message.Span, out var headerLength))
                {
                    return End(new ProviderError(ProviderErrorKind.MalformedResponse, "edge-tts sent a binary frame whose header length does not fit."));
                }

                var headers = message.Span.Slice(2, headerLength);
                if (!EdgeTtsProtocol.Header(headers, "Path"u8).SequenceEqual("audio"u8))
                {
                    return End(new ProviderError(ProviderErrorKind.MalformedResponse, "edge-tts sent a binary frame that is not audio."));
                }

                var audio = message[(2 + headerLength)..];
                if (audio.IsEmpty)
                {
                    continue; // the empty frame that closes a turn's audio
                }

                _meter.Add(audio.Span);
                return audio;
            }

            return default;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ended = true;
            throw;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            return End(new ProviderError(ProviderErrorKind.Network, $"The connection to edge-tts broke: {ex.Message}"));
        }
    }

    private ReadOnlyMemory<byte> End(ProviderError? error)
    {
        Error ??= error;
        _ended = true;
        return default;
    }

    // Reads one whole message into the frame buffer, growing it when a message is larger.
    private async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            if (length == _frame.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(_frame.Length * 2);
                _frame.AsSpan().CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_frame);
                _frame = larger;
            }

            var result = await _socket.ReceiveAsync(_frame.AsMemory(length), cancellationToken);
            length += result.Count;
            if (result.MessageType == WebSocketMessageType.Close || result.EndOfMessage)
            {
                return (result.MessageType, length);
            }
        }
    }

    private async Task CloseQuietlyAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException)
        {
            // The speech is complete; a close that fails changes nothing the caller sees.
        }
    }
}
