using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Providers;

namespace Helix.Core.Calls.Chat;

/// <summary>A streamed chat call: fallback happens only before the first chunk; the attempt ends with the stream.</summary>
/// <remarks>One instance per call; not thread-safe. <see cref="Stream"/> holds the open stream once served.</remarks>
public sealed class ChatStreamCall : ChatProviderCall
{
    /// <summary>Wraps <paramref name="body"/>.</summary>
    public ChatStreamCall(ChatRequest body)
        : base(body)
    {
    }

    /// <inheritdoc/>
    public override bool Streamed => true;

    /// <summary>The serving attempt's stream.</summary>
    public IChatCompletionStream? Stream { get; private set; }

    /// <inheritdoc/>
    /// <remarks>A stream cut before its usage is estimated from the counted input and the tokens of the text it produced.</remarks>
    public override UsageMeters EstimateUsage(Attempt attempt, out string reason)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        if (attempt.Response is Metered metered)
        {
            reason = "usage unknown: estimated from the request and the streamed text";
            return ChatRequestEstimator.EstimateUsage(Estimate, metered.Stream.StreamedText);
        }

        reason = $"usage unknown: {attempt.BillingReason ?? "the stream carried no usage"}; estimated at the worst case (the input and the output cap)";
        return attempt.Estimate;
    }

    /// <inheritdoc/>
    protected override async Task<ProviderResult<IMeteredResponse>> InvokeAsync(IChatProvider provider, ChatCall call, CancellationToken cancellationToken)
    {
        var result = await provider.StreamAsync(call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        Stream = result.Value;
        return ProviderResult<IMeteredResponse>.Success(new Metered(result.Value));
    }

    private sealed class Metered(IChatCompletionStream stream) : IMeteredResponse, IAsyncDisposable
    {
        public IChatCompletionStream Stream => stream;

        public ValueTask DisposeAsync() => stream.DisposeAsync();

        public UsageReport Usage => stream.Usage;

        public bool IsStream => true;
    }
}
