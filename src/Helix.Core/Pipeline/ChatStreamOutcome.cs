using System.Runtime.CompilerServices;
using Helix.Core.Metering;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>An open chat stream whose cost is settled and logged when it ends.</summary>
/// <remarks>
/// Enumerate <see cref="ReadAsync"/> once. The final usage chunk (if the provider sent one) is yielded only after
/// the call's log row is durable, so a caller that saw the usage can always find the call in the log. A stream
/// that ends without usage is logged with an estimated, flagged cost, never as free. Not thread-safe.
/// </remarks>
public sealed class ChatStreamOutcome : IAsyncDisposable
{
    private readonly IChatCompletionStream _stream;
    private readonly Func<ChatStreamOutcome, CancellationToken, Task<CostResult>> _settle;

    internal ChatStreamOutcome(
        string requestId, string operation, ModelConfig model, int attempt, IChatCompletionStream stream,
        Func<ChatStreamOutcome, CancellationToken, Task<CostResult>> settle)
    {
        RequestId = requestId;
        Operation = operation;
        Model = model;
        Attempt = attempt;
        _stream = stream;
        _settle = settle;
    }

    public string RequestId { get; }

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

    internal IChatCompletionStream Inner => _stream;

    internal bool Cancelled { get; private set; }

    /// <summary>The chunks; the last one is the usage chunk when the provider sent usage.</summary>
    public async IAsyncEnumerable<StreamChunk> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        StreamChunk? usageChunk = null;
        try
        {
            await foreach (var chunk in _stream.ReadAsync(cancellationToken))
            {
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
            Cancelled = cancellationToken.IsCancellationRequested;
            Cost = await _settle(this, CancellationToken.None);
        }

        if (usageChunk is { } last)
        {
            yield return last;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
