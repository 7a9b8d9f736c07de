using Helix.Core.Metering;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Pipeline;

/// <summary>The only modality-aware part of a call: how to reach a model, and what the call may use at most.</summary>
/// <remarks>
/// One instance per call (it holds the request's payload and, once served, the typed answer). Chat, chat stream,
/// embeddings, transcription and speech each have one; retry, fallback, journal, pricing and logging are shared.
/// </remarks>
public interface IProviderCall
{
    /// <summary>The kind of call; a route of another modality refuses it.</summary>
    Modality Modality { get; }

    /// <summary>Whether the answer is streamed to the caller.</summary>
    bool Streamed { get; }

    /// <summary>The service tier the request asks for, or <see langword="null"/>.</summary>
    string? ServiceTier { get; }

    /// <summary>The output cap the caller asked for (<c>max_completion_tokens</c>, else <c>max_tokens</c>), if the kind of call has one; logged.</summary>
    int? RequestedMaxTokens => null;

    /// <summary>The hash of the request's leading prompt (<see cref="Calls.Chat.PromptPrefix"/>), if the kind of call has one; logged.</summary>
    string? PromptPrefixHash => null;

    /// <summary>Whether a provider of <paramref name="target"/> for this kind of call is configured.</summary>
    bool IsServedBy(ProviderRegistry providers, ModelConfig target);

    /// <summary>The most the call can use on <paramref name="target"/>: what a budget reserves and recovery bills.</summary>
    /// <param name="target">The model.</param>
    /// <param name="route">The route, for its output cap.</param>
    /// <param name="price">The model's price in force, or <see langword="null"/>: it says which meters the model bills.</param>
    UsageMeters WorstCase(ModelConfig target, RouteConfig route, PriceEntry? price);

    /// <summary>The meters of a billed attempt whose usage never arrived, and why they are what they are.</summary>
    /// <param name="attempt">The attempt, ended; its <see cref="Attempt.Response"/> is set when an answer began.</param>
    /// <param name="reason">A sentence for the log row.</param>
    UsageMeters EstimateUsage(Attempt attempt, out string reason);

    /// <summary>Whether the call to <paramref name="target"/> may start before <see cref="Attempt.RecordCommitted"/> completes because its provider holds the request's last bytes for it.</summary>
    bool HoldsRequestForRecord(ProviderRegistry providers, ModelConfig target) => false;

    /// <summary>Calls <paramref name="target"/>.</summary>
    /// <param name="providers">The configured providers.</param>
    /// <param name="target">The model.</param>
    /// <param name="context">The call's context (request id, route).</param>
    /// <param name="cancellationToken">The attempt's token (caller, deadline and timeouts).</param>
    Task<ProviderResult<IMeteredResponse>> InvokeAsync(
        ProviderRegistry providers, ModelConfig target, OperationContext context, CancellationToken cancellationToken);
}
