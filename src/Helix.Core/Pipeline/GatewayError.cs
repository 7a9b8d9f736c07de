namespace Helix.Core.Pipeline;

/// <summary>An expected failure of a call: a value the edge maps to an error body, never an exception.</summary>
/// <param name="Code">The precise code (<c>unknown_operation</c>, <c>budget_exceeded</c>, …), stable for clients.</param>
/// <param name="Message">A sentence for a person, naming what to fix.</param>
/// <param name="StatusCode">The HTTP status the edge answers with.</param>
/// <param name="Type">The OpenAI error type (<c>invalid_request_error</c>, <c>server_error</c>, …).</param>
/// <param name="RetryAfter">When the caller may retry, if known.</param>
public sealed record GatewayError(string Code, string Message, int StatusCode, string Type, TimeSpan? RetryAfter = null)
{
    /// <summary>The approval request the error names (<c>approval_required</c>, <c>approval_pending</c>), for the edge to show its id, expiry and estimate.</summary>
    public Approvals.ApprovalRequest? Approval { get; init; }

    public static GatewayError InvalidRequest(string message, string code = "invalid_request") =>
        new(code, message, 400, "invalid_request_error");

    public static GatewayError UnknownOperation(string operation) =>
        new("unknown_operation", $"No operation named '{operation}'. Name one with model \"op:<operation>\" or the X-Helix-Operation header; GET /v1/models lists them.", 404, "invalid_request_error");

    public static GatewayError OperationDisabled(string operation) =>
        new("operation_disabled", $"Operation '{operation}' is disabled.", 403, "invalid_request_error");

    public static GatewayError UpstreamUnavailable(string message, TimeSpan? retryAfter = null) =>
        new("upstream_unavailable", message, 502, "server_error", retryAfter);

    public static GatewayError PriceUnknown(string message) =>
        new("price_unknown", message, 503, "server_error");

    public static GatewayError Unauthorized(string message = "A valid API key is required.") =>
        new("unauthorized", message, 401, "authentication_error");

    public static GatewayError Forbidden(string message) =>
        new("forbidden", message, 403, "permission_error");

    public static GatewayError Conflict(string message) =>
        new("conflict", message, 409, "invalid_request_error");
}
