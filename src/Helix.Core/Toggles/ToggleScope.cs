namespace Helix.Core.Toggles;

/// <summary>What a toggle applies to.</summary>
public enum ToggleScope
{
    /// <summary>The whole control plane.</summary>
    Global,

    /// <summary>One operation, named by the toggle's subject.</summary>
    Operation,

    /// <summary>One provider, named by the toggle's subject.</summary>
    Provider,

    /// <summary>One catalog model (<c>provider/model</c>), named by the toggle's subject.</summary>
    Model,
}
