using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Calls.Chat;

/// <summary>What chat calls, complete or streamed, share: the OpenAI-shaped body, its estimate, the route's output cap.</summary>
/// <remarks>
/// The caller's body is never mutated (it is reused across attempts and by the caller). When it sets no output cap
/// and the route has one, the body sent upstream carries the cap (the same bytes, see <see cref="ChatRequest.WithOutputCap"/>) under the name the wire wants:
/// <c>max_completion_tokens</c> for OpenAI itself, <c>max_tokens</c> for other OpenAI-compatible servers (DeepSeek
/// reads only that); the translating adapters (Gemini, Anthropic) read either. The worst case uses the request's cap,
/// else the route's, else the model's catalog maximum. One instance per call; not thread-safe.
/// </remarks>
public abstract class ChatProviderCall : IProviderCall
{
    private ChatRequest? _cappedCompletionTokens;
    private ChatRequest? _cappedMaxTokens;

    /// <summary>Wraps <paramref name="body"/>.</summary>
    protected ChatProviderCall(ChatRequest body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
        ServiceTier = body.ServiceTier is { } tier && tier != "auto" ? tier : null;
    }

    /// <summary>The caller's body, as given.</summary>
    public ChatRequest Body { get; }

    /// <summary>The request's input count and output cap.</summary>
    public RequestEstimate Estimate => Body.Estimate;

    /// <inheritdoc/>
    public Modality Modality => Modality.Chat;

    /// <inheritdoc/>
    public int? RequestedMaxTokens => Body.RequestedMaxTokens;

    /// <inheritdoc/>
    public string? PromptPrefixHash => Body.PromptPrefixHash;

    /// <inheritdoc/>
    public abstract bool Streamed { get; }

    /// <inheritdoc/>
    public string? ServiceTier { get; }

    /// <inheritdoc/>
    public bool IsServedBy(ProviderRegistry providers, ModelConfig target)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        return providers.TryGetChat(target.Provider, out _);
    }

    /// <inheritdoc/>
    public bool HoldsRequestForRecord(ProviderRegistry providers, ModelConfig target)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        return providers.TryGetChat(target.Provider, out var provider) && provider.HoldsRequestForRecord;
    }

    /// <inheritdoc/>
    public UsageMeters WorstCase(ModelConfig target, RouteConfig route, PriceEntry? price)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(route);
        var estimate = Estimate;
        return ChatRequestEstimator.WorstCaseMeters(estimate, estimate.MaxOutputTokens ?? route.MaxOutputTokens ?? target.DefaultMaxOutputTokens);
    }

    /// <inheritdoc/>
    public abstract UsageMeters EstimateUsage(Attempt attempt, out string reason);

    /// <inheritdoc/>
    public async Task<ProviderResult<IMeteredResponse>> InvokeAsync(
        ProviderRegistry providers, ModelConfig target, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (!providers.TryGetChat(target.Provider, out var provider))
        {
            return new ProviderError(ProviderErrorKind.InvalidRequest, $"No chat provider '{target.Provider}' is configured.");
        }

        var call = new ChatCall
        {
            Model = target,
            Request = BodyFor(target, context.Route?.Route),
            RequestId = context.RequestId,
            RecordCommitted = context.Attempt?.RecordCommitted ?? Task.CompletedTask,
        };
        return await InvokeAsync(provider, call, cancellationToken);
    }

    /// <summary>Calls the provider with the body to send.</summary>
    protected abstract Task<ProviderResult<IMeteredResponse>> InvokeAsync(IChatProvider provider, ChatCall call, CancellationToken cancellationToken);

    /// <summary>The body to send to <paramref name="target"/>: the caller's, or a copy carrying the route's output cap.</summary>
    public ChatRequest BodyFor(ModelConfig target, RouteConfig? route)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (route?.MaxOutputTokens is not { } cap || Estimate.MaxOutputTokens is not null)
        {
            return Body;
        }

        if (string.Equals(target.Provider, "openai", StringComparison.OrdinalIgnoreCase))
        {
            return _cappedCompletionTokens ??= Body.WithOutputCap("max_completion_tokens", cap);
        }

        return _cappedMaxTokens ??= Body.WithOutputCap("max_tokens", cap);
    }
}
