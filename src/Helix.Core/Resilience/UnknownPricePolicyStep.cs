using Helix.Core.Pipeline;
using Helix.Core.Routing;

namespace Helix.Core.Resilience;

/// <summary>Skips a model without a known price when its route's policy is <see cref="UnknownPricePolicy.Block"/>.</summary>
/// <remarks>Per model: under <see cref="UnknownPricePolicy.Flag"/> the model runs and its cost is flagged unpriced. Thread-safe.</remarks>
public sealed class UnknownPricePolicyStep : IOperationStep
{
    /// <summary>The skip code of a model blocked for want of a price.</summary>
    public const string PriceUnknown = "price_unknown";

    /// <inheritdoc/>
    public ValueTask<GatewayError?> InvokeAsync(OperationContext context, OperationDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Price is null && context.Route?.Route.UnknownPricePolicy == UnknownPricePolicy.Block && context.Target is { } target)
        {
            return ValueTask.FromResult<GatewayError?>(
                context.SkipModel(target.Id, PriceUnknown, $"{target.Id} has no price and the route blocks unpriced models"));
        }

        return next(context);
    }
}
