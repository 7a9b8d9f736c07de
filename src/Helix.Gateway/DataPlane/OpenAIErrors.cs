using System.Text.Json.Serialization;
using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>Writes errors in the OpenAI shape <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAIErrors
{
    public static IResult From(GatewayError error, HttpContext context)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(new ErrorBody(new ErrorDetail(error.Message, error.Type, null, error.Code)), statusCode: error.StatusCode);
    }

    /// <summary>The answer to a path or method that <c>/v1</c> does not serve (404 or 405), in the OpenAI shape.</summary>
    public static ErrorBody NotServed(HttpRequest request, int statusCode) => statusCode == StatusCodes.Status405MethodNotAllowed
        ? new(new ErrorDetail($"{request.Method} is not allowed on {request.Path}.", "invalid_request_error", null, "method_not_allowed"))
        : new(new ErrorDetail($"No endpoint {request.Method} {request.Path}; see /openapi/v1.json for the endpoints Helix serves.", "invalid_request_error", null, "not_found"));

    public static IResult InvalidRequest(string message, HttpContext context, int statusCode = 400) =>
        From(new GatewayError("invalid_request", message, statusCode, "invalid_request_error"), context);

    internal sealed record ErrorBody(ErrorDetail Error);

    // param is part of OpenAI's shape even when null; SDKs read it, so it is never left out.
    internal sealed record ErrorDetail(
        string Message,
        string Type,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Param,
        string Code);
}
