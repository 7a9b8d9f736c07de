namespace Helix.Core.Pricing;

/// <summary>How far a recorded cost can be trusted.</summary>
public enum CostStatus
{
    /// <summary>Priced from the provider's own usage report.</summary>
    Priced,

    /// <summary>The provider sent no usage (a cut stream, say); the cost is an estimate and is flagged.</summary>
    Estimated,

    /// <summary>No price is known for the model or for one of its meters; the cost is missing, never zero.</summary>
    Unpriced,

    /// <summary>The call failed in a way the provider does not bill; the cost is zero for a stated reason.</summary>
    NotBilled,
}
