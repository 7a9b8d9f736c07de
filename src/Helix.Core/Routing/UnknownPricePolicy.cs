namespace Helix.Core.Routing;

/// <summary>What a route does when a model has no known price.</summary>
public enum UnknownPricePolicy
{
    /// <summary>The call runs; its log row is marked unpriced and an alert is raised.</summary>
    Flag,

    /// <summary>The model is not called: the next priced model of the chain is tried, and with none left the call is refused before any spend.</summary>
    Block,
}
