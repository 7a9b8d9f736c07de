using System.Globalization;
using Helix.Core.Pipeline;

namespace Helix.Core.Approvals;

/// <summary>The errors of the approval gate and of decisions; each code is stable for clients.</summary>
public static class ApprovalErrors
{
    /// <summary>The type of every approval error on the data plane.</summary>
    public const string Type = "permission_error";

    /// <summary>403 <c>approval_required</c>: the call waits for a human; retry with <c>X-Helix-Approval</c> once approved.</summary>
    public static GatewayError Required(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_required",
            string.Create(CultureInfo.InvariantCulture,
                $"Operation '{request.Operation}' needs a human approval before it runs ({request.Why}). Approval {request.Id} is pending until {request.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}; once it is approved, send the same request again with the header X-Helix-Approval: {request.Id}."),
            403, Type)
        { Approval = request };
    }

    /// <summary>403 <c>approval_pending</c>: the approval presented is not decided yet.</summary>
    public static GatewayError Pending(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_pending",
            $"Approval {request.Id} is not decided yet; retry once it is approved, or wait with X-Helix-Approval-Wait: <seconds> (at most {ApprovalOptions.MaxWait.TotalSeconds:0}).",
            403, Type)
        { Approval = request };
    }

    /// <summary>403 <c>approval_rejected</c>: a human rejected the call; it stays rejected.</summary>
    public static GatewayError Rejected(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_rejected",
            $"Approval {request.Id} was rejected by {request.DecidedByName ?? request.DecidedBy}: {request.Reason}", 403, Type);
    }

    /// <summary>403 <c>approval_expired</c>: the approval was not decided or used in time.</summary>
    public static GatewayError Expired(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_expired",
            string.Create(CultureInfo.InvariantCulture, $"Approval {request.Id} expired at {request.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}; send the request without X-Helix-Approval to ask again."),
            403, Type);
    }

    /// <summary>403 <c>approval_consumed</c>: the approval served one call already.</summary>
    public static GatewayError Consumed(ApprovalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_consumed",
            $"Approval {request.Id} was used already: an approval serves exactly one call. Send the request without X-Helix-Approval to ask again.", 403, Type);
    }

    /// <summary>403 <c>approval_mismatch</c>: the approval is bound to another operation, caller or body.</summary>
    public static GatewayError Mismatch(ApprovalRequest request, string what)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_mismatch",
            $"Approval {request.Id} does not cover this call: {what}. An approval covers only the exact request it was asked for, by the same caller, for the same operation.", 403, Type);
    }

    /// <summary>404 <c>approval_not_found</c>: no approval has that id.</summary>
    public static GatewayError NotFound(string id) =>
        new("approval_not_found", $"No approval has the id '{id}'.", 404, "invalid_request_error");

    /// <summary>403 <c>forbidden</c>: the principal may not decide approvals.</summary>
    public static GatewayError NotAllowed(string message) => GatewayError.Forbidden(message);

    /// <summary>409 <c>approval_not_pending</c>: the request was decided already, or expired.</summary>
    public static GatewayError NotPending(ApprovalRequest request, ApprovalStatus status)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new GatewayError("approval_not_pending",
            $"Approval {request.Id} is {ApprovalStatusNames.Name(status)}; only a pending approval can be decided.", 409, "invalid_request_error");
    }
}
