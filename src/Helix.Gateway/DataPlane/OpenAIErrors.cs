using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>Writes errors in the OpenAI shape <c>{"error":{"message","type","param","code"}}</c>.</summary>
internal static class OpenAIErrors
{
    public static IResult From(GatewayError error, HttpContext context, string? param = null)
    {
        if (error.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Results.Json(new ErrorBody(new ErrorDetail(error.Message, error.Type, param, error.Code)), statusCode: error.StatusCode);
    }

    public static IResult InvalidRequest(string message, HttpContext context, int statusCode = 400) =>
        From(new GatewayError("invalid_request", message, statusCode, "invalid_request_error"), context);

    internal sealed record ErrorBody(ErrorDetail Error);

    internal sealed record ErrorDetail(string Message, string Type, string? Param, string Code);
}
