using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>A chat stream read from a provider's server-sent events and translated to OpenAI chunks.</summary>
/// <remarks>
/// <para>
/// A subclass translates each event (<see cref="OnEvent"/>) and the end of the body (<see cref="OnEnd"/>) into
/// zero or more chunks (<see cref="Emit"/>), records text (<see cref="AppendText"/>), and may stop the
/// stream with an error (<see cref="Fail"/>) or as complete (<see cref="Complete"/>). This base owns the
/// connection: comments, keep-alives and event framing are the SSE parser's, a broken connection becomes a
/// <see cref="ProviderErrorKind.Network"/> error, and cancellation by the reader's token is rethrown.
/// </para>
/// <para>
/// The events are read with a token source the stream owns, linked to whichever token the current read was given,
/// so the token that opened the stream (often an attempt timeout) stops governing it once it is handed over.
/// Not thread-safe: one reader at a time. Disposing releases the connection.
/// </para>
/// </remarks>
internal abstract class SseChatStream : IChatCompletionStream
{
    private readonly HttpResponseMessage _response;
    private readonly CancellationTokenSource _reading = new();
    private readonly Queue<StreamChunk> _pending = new();
    private readonly StringBuilder _text = new();
    private IAsyncEnumerator<SseItem<byte[]>>? _events;
    private bool _ended;
    private bool _disposed;

    protected SseChatStream(HttpResponseMessage response, string provider, string? apiKey)
    {
        _response = response;
        Provider = provider;
        ApiKey = apiKey;
    }

    /// <inheritdoc/>
    public abstract UsageReport Usage { get; }

    /// <inheritdoc/>
    public ProviderError? Error { get; private set; }

    /// <inheritdoc/>
    public string StreamedText => _text.ToString();

    /// <summary>The provider id that error messages name.</summary>
    protected string Provider { get; }

    /// <summary>The key that error messages from the provider are redacted of.</summary>
    protected string? ApiKey { get; }

    /// <summary>Reads up to the first chunk, so that a stream failing before it can be reported as a failed call.</summary>
    /// <returns>The error that ended the stream before its first chunk, or <see langword="null"/>.</returns>
    public async Task<ProviderError?> OpenAsync(CancellationToken cancellationToken)
    {
        var body = await _response.Content.ReadAsStreamAsync(cancellationToken);
        _events = SseParser.Create(body, static (_, data) => data.ToArray()).EnumerateAsync(_reading.Token).GetAsyncEnumerator(_reading.Token);
        await FillAsync(cancellationToken);
        return _pending.Count == 0 ? Error : null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<StreamChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_pending.TryDequeue(out var chunk))
            {
                yield return chunk;
                continue;
            }

            if (_ended)
            {
                yield break;
            }

            await FillAsync(cancellationToken);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_events is not null)
        {
            await _events.DisposeAsync();
        }

        _response.Dispose();
        _reading.Dispose();
    }

    /// <summary>Translates one event; <paramref name="eventType"/> is <c>message</c> when the event named none.</summary>
    protected abstract void OnEvent(string eventType, ReadOnlyMemory<byte> data);

    /// <summary>Called once when the body ended without <see cref="Complete"/> or <see cref="Fail"/>.</summary>
    protected abstract void OnEnd();

    /// <summary>Queues a chunk for the reader.</summary>
    protected void Emit(StreamChunk chunk) => _pending.Enqueue(chunk);

    /// <summary>Records produced text, for estimates when usage never arrives.</summary>
    protected void AppendText(ReadOnlySpan<char> text) => _text.Append(text);

    /// <summary>Ends the stream with an error; chunks already queued are still read.</summary>
    protected void Fail(ProviderError error)
    {
        Error ??= error;
        _ended = true;
    }

    /// <summary>Ends the stream normally (the provider's end marker arrived).</summary>
    protected void Complete() => _ended = true;

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        Debug.Assert(_events is not null, "The adapter opens a stream before handing it out.");

        using var link = cancellationToken.Register(static state => ((CancellationTokenSource)state!).Cancel(), _reading);
        try
        {
            while (!_ended && _pending.Count == 0)
            {
                if (!await _events.MoveNextAsync())
                {
                    if (!_ended)
                    {
                        OnEnd();
                    }

                    _ended = true;
                    return;
                }

                var item = _events.Current;
                OnEvent(item.EventType, item.Data);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _ended = true;
            throw;
        }
        catch (Exception ex) when (ProviderHttp.IsTransportFailure(ex))
        {
            Fail(ex is OperationCanceledException
                ? new ProviderError(ProviderErrorKind.Timeout, $"The stream from {Provider} was cancelled before it ended.")
                : new ProviderError(ProviderErrorKind.Network, $"The stream from {Provider} broke: {ex.Message}"));
        }
    }
}
