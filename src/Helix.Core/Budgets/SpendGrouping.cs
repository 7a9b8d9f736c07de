namespace Helix.Core.Budgets;

/// <summary>What spend is grouped by.</summary>
public enum SpendGrouping
{
    /// <summary>The operation called.</summary>
    Operation,

    /// <summary>The catalog model tried.</summary>
    Model,

    /// <summary>The end user named.</summary>
    User,

    /// <summary>The application key (principal).</summary>
    Key,
}
