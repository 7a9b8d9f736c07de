using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;

namespace Helix.Core.Calls.Embeddings;

/// <summary>An embeddings call: the OpenAI <c>/v1/embeddings</c> body in, the OpenAI-shaped answer out.</summary>
/// <remarks>
/// The worst case is the input's tokens, counted with the o200k tokenizer (an input given as token ids counts one per
/// id); embeddings have no output to cap. The caller's body is never mutated. One instance per call; not thread-safe.
/// </remarks>
public sealed class EmbeddingsProviderCall : IProviderCall
{
    private long? _inputTokens;

    /// <summary>Wraps <paramref name="body"/>.</summary>
    public EmbeddingsProviderCall(JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        Body = body;
    }

    /// <summary>The caller's body.</summary>
    public JsonObject Body { get; }

    /// <summary>The answer of the serving attempt.</summary>
    public EmbeddingsResponse? Response { get; private set; }

    /// <summary>The input's tokens, counted once.</summary>
    public long InputTokens => _inputTokens ??= CountInput(Body["input"]);

    /// <inheritdoc/>
    public Modality Modality => Modality.Embeddings;

    /// <inheritdoc/>
    public bool Streamed => false;

    /// <inheritdoc/>
    public string? ServiceTier => null;

    /// <inheritdoc/>
    public bool IsServedBy(ProviderRegistry providers, ModelConfig target)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        return providers.TryGetEmbeddings(target.Provider, out _);
    }

    /// <inheritdoc/>
    public UsageMeters WorstCase(ModelConfig target, RouteConfig route, PriceEntry? price) => new() { InputTokens = InputTokens };

    /// <inheritdoc/>
    public UsageMeters EstimateUsage(Attempt attempt, out string reason)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        reason = $"usage unknown: {attempt.BillingReason ?? "the answer carried no usage"}; estimated from the input's tokens";
        return attempt.Estimate;
    }

    /// <inheritdoc/>
    public async Task<ProviderResult<IMeteredResponse>> InvokeAsync(
        ProviderRegistry providers, ModelConfig target, OperationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(context);
        if (!providers.TryGetEmbeddings(target.Provider, out var provider))
        {
            return new ProviderError(ProviderErrorKind.InvalidRequest, $"No embeddings provider '{target.Provider}' is configured.");
        }

        var result = await provider.EmbedAsync(new EmbeddingsCall { Model = target, Request = Body, RequestId = context.RequestId }, cancellationToken);
        if (!result.IsSuccess)
        {
            return result.Error;
        }

        Response = result.Value;
        return ProviderResult<IMeteredResponse>.Success(new CompleteAnswer(result.Value.Usage));
    }

    private static long CountInput(JsonNode? input) => input switch
    {
        JsonValue value when value.GetValueKind() == JsonValueKind.String => TokenCounter.Count(value.GetValue<string>()),
        JsonArray items => CountItems(items),
        _ => 0,
    };

    private static long CountItems(JsonArray items)
    {
        long tokens = 0;
        foreach (var item in items)
        {
            tokens += item switch
            {
                JsonValue value when value.GetValueKind() == JsonValueKind.String => TokenCounter.Count(value.GetValue<string>()),
                JsonValue value when value.GetValueKind() == JsonValueKind.Number => 1,
                JsonArray ids => ids.Count,
                _ => 0,
            };
        }

        return tokens;
    }
}
