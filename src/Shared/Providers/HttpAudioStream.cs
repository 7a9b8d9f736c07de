using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>Audio read from an HTTP answer's body as it arrives, its seconds measured on the way.</summary>
/// <remarks>
/// <see cref="OpenAsync"/> reads the first bytes before the stream is handed out, so an answer that breaks at once is
/// a failed call. A body that breaks later ends the stream with a <see cref="ProviderErrorKind.Network"/> error;
/// cancellation by the reader's token is rethrown. The usage is the request's meters (its characters) plus the audio
/// seconds received. Not thread-safe: one reader. Disposing releases the connection.
/// </remarks>
internal sealed class HttpAudioStream : ISpeechStream
{
    private const int BufferSize = 16 * 1024;

    private readonly HttpResponseMessage _response;
    private readonly string _provider;
    private readonly UsageMeters _requestMeters;
    private readonly string? _reportedModel;
    private readonly string? _requestId;
    private readonly AudioMeter _meter;
    private readonly Func<UsageMeters, UsageReport>? _usageOf;
    private readonly byte[] _buffer = new byte[BufferSize];
    private Stream? _body;
    private int _firstLength;
    private bool _ended;
    private bool _disposed;

    /// <summary>Wraps a successful answer, which the stream owns from then on.</summary>
    /// <param name="response">The answer.</param>
    /// <param name="provider">The provider id that error messages name.</param>
    /// <param name="format">The audio format asked for.</param>
    /// <param name="requestMeters">What the request itself meters (its characters).</param>
    /// <param name="reportedModel">The model to report.</param>
    /// <param name="requestId">The provider's id of the call.</param>
    /// <param name="usageOf">Turns the measured meters (characters and seconds) into the report, for models billed otherwise; a known report of them when <see langword="null"/>.</param>
    public HttpAudioStream(
        HttpResponseMessage response, string provider, string format, UsageMeters requestMeters, string? reportedModel, string? requestId,
        Func<UsageMeters, UsageReport>? usageOf = null)
    {
        _usageOf = usageOf;
        _response = response;
        _provider = provider;
        _requestMeters = requestMeters;
        _reportedModel = reportedModel;
        _requestId = requestId;
        ContentType = response.Content.Headers.ContentType?.MediaType ?? MediaTypeOf(format);
        _meter = new AudioMeter(format);
    }

    /// <inheritdoc/>
    public string ContentType { get; }

    /// <inheritdoc/>
    public UsageReport Usage => _usageOf is { } usageOf
        ? usageOf(_requestMeters with { AudioSeconds = _meter.Seconds }) with { ReportedModel = _reportedModel, ProviderRequestId = _requestId }
        : new(_requestMeters with { AudioSeconds = _meter.Seconds }, IsKnown: true, _reportedModel, ProviderRequestId: _requestId);

    /// <inheritdoc/>
    public ProviderError? Error { get; private set; }

    /// <summary>The media type of an OpenAI <c>response_format</c>.</summary>
    public static string MediaTypeOf(string format) => format switch
    {
        "wav" => "audio/wav",
        "pcm" => "audio/pcm",
        "opus" => "audio/ogg",
        "aac" => "audio/aac",
        "flac" => "audio/flac",
        _ => "audio/mpeg",
    };

    /// <summary>Reads the first bytes; returns the error when the body ends or breaks before any audio.</summary>
    public async Task<ProviderError?> OpenAsync(CancellationToken cancellationToken)
    {
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
        _firstLength = await _body.ReadAsync(_buffer, cancellationToken);
        if (_firstLength == 0)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"{_provider} answered a speech request with no audio.");
        }

        _meter.Add(_buffer.AsSpan(0, _firstLength));
        return null;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (_body is null || _ended)
        {
            yield break;
        }

        if (_firstLength > 0)
        {
            var first = _firstLength;
            _firstLength = 0;
            yield return _buffer.AsMemory(0, first);
        }

        while (true)
        {
            int read;
            try
            {
                read = await _body.ReadAsync(_buffer, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                _ended = true;
                throw;
            }
            catch (Exception ex) when (ProviderHttp.IsTransportFailure(ex))
            {
                Error = new ProviderError(ProviderErrorKind.Network, $"The audio from {_provider} broke: {ex.Message}");
                _ended = true;
                yield break;
            }

            if (read == 0)
            {
                _ended = true;
                yield break;
            }

            _meter.Add(_buffer.AsSpan(0, read));
            yield return _buffer.AsMemory(0, read);
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
        if (_body is not null)
        {
            await _body.DisposeAsync();
        }

        _response.Dispose();
    }
}
