using System.Net;
using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>A request body whose last byte waits for the attempt's open-attempt record to commit (<see cref="ChatCall.RecordCommitted"/>).</summary>
/// <remarks>
/// <para>
/// Wraps whatever content the adapter wrote. Everything but the final byte is written and flushed while the record
/// commits, so the connection, the headers and almost all of the body are on their way; the final byte is written
/// only once the commit succeeded. A provider acts only on a whole request (a <c>Content-Length</c> body's last byte,
/// a chunked body's last chunk, an HTTP/2 stream's end), so it cannot act before the record is durable. When the
/// commit fails the write fails with the commit's exception, the request is aborted and the provider never has a
/// whole request. See <c>docs/durability.md</c>.
/// </para>
/// <para>The content can be written more than once (a connection-level retry): each write starts from the inner content anew.</para>
/// </remarks>
internal sealed class RecordCommitContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly Task _committed;

    private RecordCommitContent(HttpContent inner, Task committed)
    {
        _inner = inner;
        _committed = committed;
        foreach (var header in inner.Headers.NonValidated)
        {
            foreach (var value in header.Value)
            {
                Headers.TryAddWithoutValidation(header.Key, value);
            }
        }
    }

    /// <summary>Makes <paramref name="request"/>'s body wait for <paramref name="committed"/>; nothing when it already completed successfully or there is no body.</summary>
    /// <returns><see langword="false"/> when the request has no body to hold back: the caller must then wait for the commit before sending.</returns>
    public static bool TryHold(HttpRequestMessage request, Task committed)
    {
        if (committed.IsCompletedSuccessfully)
        {
            return true;
        }

        if (request.Content is not { } inner)
        {
            return false;
        }

        request.Content = new RecordCommitContent(inner, committed);
        return true;
    }

    /// <inheritdoc/>
    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc/>
    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var held = new HoldLastByteStream(stream);
        await _inner.CopyToAsync(held, cancellationToken);
        if (!_committed.IsCompletedSuccessfully)
        {
            // Put the request on the wire (minus its last byte) before waiting, so the wait overlaps the transfer.
            await stream.FlushAsync(cancellationToken);
            await _committed.WaitAsync(cancellationToken);
        }

        await held.ReleaseAsync(cancellationToken);
    }

    /// <inheritdoc/>
    protected override bool TryComputeLength(out long length)
    {
        if (_inner.Headers.ContentLength is { } known)
        {
            length = known;
            return true;
        }

        length = 0;
        return false;
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    // Passes every write through except the last byte written so far, which it keeps until the next write or the release.
    private sealed class HoldLastByteStream(Stream target) : Stream
    {
        private readonly byte[] _last = new byte[1];
        private bool _holding;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public async ValueTask ReleaseAsync(CancellationToken cancellationToken)
        {
            if (_holding)
            {
                _holding = false;
                await target.WriteAsync(_last, cancellationToken);
            }
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (buffer.IsEmpty)
            {
                return;
            }

            if (_holding)
            {
                await target.WriteAsync(_last, cancellationToken);
            }

            if (buffer.Length > 1)
            {
                await target.WriteAsync(buffer[..^1], cancellationToken);
            }

            _last[0] = buffer.Span[^1];
            _holding = true;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
