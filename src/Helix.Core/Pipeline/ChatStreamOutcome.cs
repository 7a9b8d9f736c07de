using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>An open chat stream whose cost is settled and logged when it ends.</summary>
/// <remarks>
/// Enumerate <see cref="ReadAsync"/> once. The final usage chunk (if the provider sent one) is yielded only after
/// the call's log row is durable, so a caller that saw the usage can always find the call in the log. A stream
/// that ends without usage is logged with an estimated, flagged cost, never as free. A stream the caller stops
/// reading, or disposes without reading, is logged as cancelled: it reached a provider, so it is never lost. Until
/// the row is written the attempt stays open in the journal, so a process killed mid-stream leaves it to start-up
/// recovery, which logs it as interrupted at its worst-case cost. Not thread-safe.
/// </remarks>
public sealed class ChatStreamOutcome : IAsyncDisposable
{
    private readonly IChatCompletionStream _stream;
    private readonly Attempt _attempt;
    private readonly TimeProvider _time;
    private int _reading;
    private int _settled;

    internal ChatStreamOutcome(OperationContext context, Attempt attempt, IChatCompletionStream stream, TimeProvider time)
    {
        RequestId = context.RequestId;
        Operation = context.Operation;
        Model = attempt.Target;
        Attempt = attempt.Number;
        _attempt = attempt;
        _stream = stream;
        _time = time;
    }

    /// <summary>How the enumeration of the provider's stream ended.</summary>
    internal enum Ending
    {
        /// <summary>The provider's stream ran to its end (with or without an error value).</summary>
        Completed,

        /// <summary>The caller cancelled, stopped reading, or never read.</summary>
        Abandoned,

        /// <summary>The provider's stream threw: a bug of the adapter.</summary>
        Faulted,
    }

    /// <summary>Helix's id of the call.</summary>
    public string RequestId { get; }

    /// <summary>The route's canonical operation name.</summary>
    public string Operation { get; }

    /// <summary>The model that serves the stream.</summary>
    public ModelConfig Model { get; }

    /// <summary>The attempt number of the serving attempt.</summary>
    public int Attempt { get; }

    /// <summary>The cost, once the stream ended and was logged.</summary>
    public CostResult? Cost { get; private set; }

    /// <summary>The provider's usage, once the stream ended.</summary>
    public UsageReport Usage => _stream.Usage;

    /// <summary>Why the stream ended early, or <see langword="null"/>.</summary>
    public ProviderError? Error => _stream.Error;


    /// <summary>The chunks; the last one is the usage chunk when the provider sent usage.</summary>
    /// <exception cref="InvalidOperationException">The stream is read a second time.</exception>
    public async IAsyncEnumerable<StreamChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("A chat stream can be read only once.");
        }

        StreamChunk? usageChunk = null;
        var end = Ending.Abandoned;
        var chunks = _stream.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await chunks.MoveNextAsync())
                    {
                        end = Ending.Completed;
                        break;
                    }
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    end = Ending.Faulted;
                    throw;
                }

                var chunk = chunks.Current;
                if (chunk.IsUsageOnly)
                {
                    usageChunk = chunk;
                    continue;
                }

                yield return chunk;
            }
        }
        finally
        {
            try
            {
                await chunks.DisposeAsync();
            }
            finally
            {
                await SettleAsync(end);
            }
        }

        if (usageChunk is { } last)
        {
            yield return last;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await SettleAsync(Ending.Abandoned);
        await _stream.DisposeAsync();
    }

    private async Task SettleAsync(Ending end)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return;
        }

        // The attempt ends here, once: its cost, its row (durable before the usage chunk is yielded), the circuit's verdict.
        var error = _stream.Error;
        var (status, errorCode) = end switch
        {
            Ending.Abandoned => (AttemptStatus.Cancelled, "client_disconnected"),
            Ending.Faulted => (AttemptStatus.Failed, error?.LogCode ?? ProviderCallStep.ProviderExceptionCode),
            _ when error is not null => (AttemptStatus.Failed, error.LogCode),
            _ => (AttemptStatus.Success, (string?)null),
        };
        _attempt.Error = error;
        await _attempt.EndAsync(status, AttemptBilling.Billed, _stream.Usage, errorCode, error?.StatusCode, null,
            _time.GetElapsedTime(_attempt.StartedTimestamp).TotalMilliseconds);
        Cost = _attempt.Cost;
        await _attempt.Context.EndCallAsync();
    }
}
