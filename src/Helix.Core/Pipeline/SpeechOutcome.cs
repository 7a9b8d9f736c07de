using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>Audio streaming from the serving model, settled (priced, logged) when it ends.</summary>
/// <remarks>
/// Enumerate <see cref="ReadAsync"/> once, writing each buffer to the caller as it arrives. The enumeration
/// completes only after the attempt's row is durable, so a caller that received the whole audio can always find the
/// call in the log. Audio the caller stops reading, or an outcome disposed unread, is logged as cancelled and still
/// billed (it reached a provider). Until the row is written the attempt stays open in the journal, so a process
/// killed mid-stream leaves it to start-up recovery. Not thread-safe.
/// </remarks>
public sealed class SpeechOutcome : IAsyncDisposable
{
    private readonly ISpeechStream _stream;
    private readonly Attempt _attempt;
    private readonly TimeProvider _time;
    private int _reading;
    private int _settled;

    internal SpeechOutcome(OperationContext context, Attempt attempt, ISpeechStream stream, TimeProvider time)
    {
        RequestId = context.RequestId;
        Operation = context.Operation;
        Model = attempt.Target;
        Attempt = attempt.Number;
        _attempt = attempt;
        _stream = stream;
        _time = time;
    }

    /// <summary>Helix's id of the call.</summary>
    public string RequestId { get; }

    /// <summary>The route's canonical operation name.</summary>
    public string Operation { get; }

    /// <summary>The model that speaks.</summary>
    public ModelConfig Model { get; }

    /// <summary>The serving attempt's number, counting across fallbacks.</summary>
    public int Attempt { get; }

    /// <summary>The media type of the audio (<c>audio/mpeg</c>, <c>audio/wav</c>, …).</summary>
    public string ContentType => _stream.ContentType;

    /// <summary>The cost, once the audio ended and was logged.</summary>
    public CostResult? Cost { get; private set; }

    /// <summary>What the provider bills (characters, audio seconds), final once the audio ended.</summary>
    public UsageReport Usage => _stream.Usage;

    /// <summary>Why the audio ended early, or <see langword="null"/>.</summary>
    public ProviderError? Error => _stream.Error;

    /// <summary>The audio, as it arrives; a buffer is valid until the next one is asked for.</summary>
    /// <exception cref="InvalidOperationException">The audio is read a second time.</exception>
    public async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("Speech audio can be read only once.");
        }

        var status = AttemptStatus.Cancelled;
        var faulted = false;
        var buffers = _stream.ReadAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await buffers.MoveNextAsync())
                    {
                        status = _stream.Error is null ? AttemptStatus.Success : AttemptStatus.Failed;
                        break;
                    }
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    faulted = true;
                    status = AttemptStatus.Failed;
                    throw;
                }

                yield return buffers.Current;
            }
        }
        finally
        {
            try
            {
                await buffers.DisposeAsync();
            }
            finally
            {
                await SettleAsync(status, faulted);
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await SettleAsync(AttemptStatus.Cancelled, faulted: false);
        await _stream.DisposeAsync();
    }

    private async Task SettleAsync(AttemptStatus status, bool faulted)
    {
        if (Interlocked.Exchange(ref _settled, 1) != 0)
        {
            return;
        }

        // The attempt ends here, once: its cost, its row (durable before the enumeration completes), the circuit's verdict.
        var error = _stream.Error;
        var code = status switch
        {
            AttemptStatus.Cancelled => "client_disconnected",
            AttemptStatus.Failed => error?.LogCode ?? (faulted ? ProviderCallStep.ProviderExceptionCode : null),
            _ => null,
        };
        _attempt.Error = error;
        await _attempt.EndAsync(status, AttemptBilling.Billed, _stream.Usage, code, error?.StatusCode, null,
            _time.GetElapsedTime(_attempt.StartedTimestamp).TotalMilliseconds);
        Cost = _attempt.Cost;
        await _attempt.Context.EndCallAsync();
    }
}
