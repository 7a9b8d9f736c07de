namespace Helix.Core.Reconciliation;

/// <summary>Which sides of a reconciliation a bucket was found on.</summary>
public enum BucketPresence
{
    /// <summary>Both the bill and the operation log have the bucket.</summary>
    Both,

    /// <summary>We logged calls the bill does not have (the bill may be late, or names the model differently).</summary>
    OnlyInLog,

    /// <summary>The bill charges for calls we never logged (calls around the gateway, a lost log, or another spelling of the model).</summary>
    OnlyInBill,
}
