namespace Helix.Gateway.DataPlane;

/// <summary>The headers of Helix's data-plane contract.</summary>
internal static class HelixHeaders
{
    public const string Operation = "X-Helix-Operation";
    public const string User = "X-Helix-User";
    public const string RequestId = "X-Helix-Request-Id";
    public const string Model = "X-Helix-Model";
    public const string CostUsd = "X-Helix-Cost-Usd";
    public const string CostStatus = "X-Helix-Cost-Status";
    public const string OperationPrefix = "op:";
}
