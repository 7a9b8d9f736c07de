using Helix.Gateway.DataPlane;
using Microsoft.AspNetCore.Diagnostics;

namespace Helix.Gateway.Hosting;

/// <summary>Which error shape a request gets: the OpenAI one on the data plane, ProblemDetails everywhere else.</summary>
/// <remarks>
/// Also fills error responses that have no body yet (a 404 for an unknown path, a 405, a 415), so that no error
/// reaches a caller empty.
/// </remarks>
internal static class ErrorShapes
{
    public static bool IsDataPlane(HttpRequest request) => request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    public static async Task WriteEmptyErrorAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var message = status switch
        {
            StatusCodes.Status404NotFound => $"No endpoint at {http.Request.Path}.",
            StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
            StatusCodes.Status413PayloadTooLarge => "The request body is larger than the limit (Helix:MaxRequestBodyBytes).",
            StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
            _ => $"The request failed with status {status}.",
        };
        if (IsDataPlane(http.Request))
        {
            var (type, code) = status switch
            {
                StatusCodes.Status404NotFound => ("invalid_request_error", "not_found"),
                StatusCodes.Status401Unauthorized => ("invalid_request_error", "unauthorized"),
                >= 500 => ("server_error", "server_error"),
                _ => ("invalid_request_error", "invalid_request"),
            };
            http.Response.ContentType = "application/json";
            await http.Response.Body.WriteAsync(OpenAIErrors.Utf8(message, type, code), http.RequestAborted);
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = { Status = status, Detail = message },
        });
    }
}
