using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Providers;

namespace Helix.Core.Calls.Chat;

/// <summary>A non-streamed chat call: the answer arrives whole, with its usage.</summary>
/// <remarks>One instance per call; not thread-safe. <see cref="Completion"/> holds the answer once served.</remarks>
public sealed class ChatCompletionCall : ChatProviderCall
{
    /// <summary>Wraps <paramref name="body"/>.</summary>
    public ChatCompletionCall(ChatRequest body)
        : base(body)
    {
    }

    /// <inheritdoc/>
    public override bool Streamed => false;

    /// <summary>The answer of the serving attempt.</summary>
    public ChatCompletion? Completion { get; private set; }

    /// <inheritdoc/>
    /// <remarks>A complete answer whose usage is lost (a 200 whose body could not be read) is estimated at its worst case.</remarks>
    public override UsageMeters EstimateUsage(Attempt attempt, out string reason)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        reason = $"usage unknown: {attempt.BillingReason ?? "the answer carried no usage"}; estimated at the worst case (the input and the output cap)";
        return attempt.Estimate;
    }

    /// <inheritdoc/>
    protected override async Task<ProviderResult<IMeteredResponse>> InvokeAsync(IChatProvider provider, ChatCall call, CancellationToken cancellationToken)
    {
        var result = await provider.CompleteAsync(call, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        Completion = result.Value;
        return ProviderResult<IMeteredResponse>.Success(new CompleteAnswer(result.Value.Usage));
    }
}
