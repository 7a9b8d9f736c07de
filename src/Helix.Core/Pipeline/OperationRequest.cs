using Helix.Core.Principals;

namespace Helix.Core.Pipeline;

/// <summary>Who asks for which operation: what every entry into the pipeline knows before the payload.</summary>
public sealed record OperationRequest
{
    /// <summary>The operation named by the caller.</summary>
    public required string Operation { get; init; }

    /// <summary>Helix's id for the call.</summary>
    public required string RequestId { get; init; }

    /// <summary>Who calls: an application key, an agent; <see cref="Principals.Principal.Anonymous"/> unless said.</summary>
    public Principal Principal { get; init; } = Principal.Anonymous;

    /// <summary>The end user the caller named.</summary>
    public string? User { get; init; }

    /// <summary>The lowercase hex SHA-256 of the raw request body, which an approval is bound to; <see langword="null"/> when the entry has no body bytes.</summary>
    public string? RequestHash { get; init; }

    /// <summary>The approval the caller presents (<c>X-Helix-Approval</c>), or <see langword="null"/>.</summary>
    public string? ApprovalId { get; init; }

    /// <summary>How long the caller lets the gate hold the call for a decision (<c>X-Helix-Approval-Wait</c>); zero answers at once.</summary>
    public TimeSpan ApprovalWait { get; init; }
}
