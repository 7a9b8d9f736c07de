using System.Text.Json;
using System.Text.Json.Serialization;
using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>Writes errors in the OpenAI shape <c>{"error":{"message","type","param","code"}}</c>.</summary>
/// <remarks>The names are OpenAI's (lower case) and <c>param</c> is always present, <c>null</c> when no field is to blame, as OpenAI SDKs expect.</remarks>
internal static class OpenAIErrors
{
    public static IResult From(GatewayError error, HttpContext context, string? param = null)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (error.Approval is { } approval)
        {
            var detail = new ApprovalErrorDetail(
                SecretRedactor.Redact(error.Message), error.Type, param, error.Code, approval.Id, StatusUrl(approval.Id),
                approval.ExpiresAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                Usd.Format(approval.EstimatedCostUsd));
            return Results.Json(new ApprovalErrorBody(detail), OpenAIErrorJsonContext.Default.ApprovalErrorBody, statusCode: error.StatusCode);
        }

        return Results.Json(Body(error.Message, error.Type, error.Code, param), OpenAIErrorJsonContext.Default.ErrorBody, statusCode: error.StatusCode);
    }

    /// <summary>Where an approval's state is read (admin API).</summary>
    public static string StatusUrl(string approvalId) => $"/admin/api/approvals/{Uri.EscapeDataString(approvalId)}";

    public static IResult InvalidRequest(string message, HttpContext context, int statusCode = 400, string? param = null) =>
        From(new GatewayError("invalid_request", message, statusCode, "invalid_request_error"), context, param);

    /// <summary>The error as UTF-8 JSON: the data of a stream's last event, or a body written outside an endpoint.</summary>
    public static byte[] Utf8(string message, string type, string code, string? param = null) =>
        JsonSerializer.SerializeToUtf8Bytes(Body(message, type, code, param), OpenAIErrorJsonContext.Default.ErrorBody);

    // Every message may carry an upstream's words: credentials are cut out here, where all of them leave.
    private static ErrorBody Body(string message, string type, string code, string? param) =>
        new(new ErrorDetail(SecretRedactor.Redact(message), type, param, code));

    internal sealed record ErrorBody([property: JsonPropertyName("error")] ErrorDetail Error);

    internal sealed record ErrorDetail(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("param"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
        [property: JsonPropertyName("code")] string Code);

    internal sealed record ApprovalErrorBody([property: JsonPropertyName("error")] ApprovalErrorDetail Error);

    /// <summary>The error of a call held for approval: OpenAI's fields plus the approval's id, status URL, expiry and worst-case cost (null: no price).</summary>
    internal sealed record ApprovalErrorDetail(
        [property: JsonPropertyName("message")] string Message,
        [property: JsonPropertyName("type")] string Type,
        [property: JsonPropertyName("param"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
        [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("approval_id")] string ApprovalId,
        [property: JsonPropertyName("status_url")] string StatusUrl,
        [property: JsonPropertyName("expires_at")] string ExpiresAt,
        [property: JsonPropertyName("estimated_cost_usd"), JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? EstimatedCostUsd);
}
