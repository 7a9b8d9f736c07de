using Helix.Core.OperationLog;
using Helix.Gateway.DataPlane;
using Microsoft.AspNetCore.Diagnostics;

namespace Helix.Gateway.Hosting;

/// <summary>Turns the exceptions that are expected outcomes into their status: a failing store is 503, a bad request body its own 4xx.</summary>
/// <remarks>
/// The data plane answers in the OpenAI error shape, everything else in ProblemDetails. Any other exception is a bug
/// and is left to the default handler (a 500 ProblemDetails, logged). Nothing is written once a response has started.
/// </remarks>
internal sealed partial class GatewayExceptionHandler(IProblemDetailsService problems, ILogger<GatewayExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, type, message) = exception switch
        {
            StoreUnavailableException store => (StatusCodes.Status503ServiceUnavailable, StoreUnavailableException.Code, "server_error", store.Message),
            BadHttpRequestException bad => (bad.StatusCode, "invalid_request", "invalid_request_error", BadRequestMessage(bad)),
            _ => (0, "", "", ""),
        };
        if (status == 0 || httpContext.Response.HasStarted)
        {
            return false;
        }

        if (status >= 500)
        {
            LogRefused(logger, httpContext.Request.Method, httpContext.Request.Path, status, code);
        }

        httpContext.Response.StatusCode = status;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        if (ErrorShapes.IsDataPlane(httpContext.Request))
        {
            httpContext.Response.ContentType = "application/json";
            await httpContext.Response.Body.WriteAsync(OpenAIErrors.Utf8(message, type, code), cancellationToken);
            return true;
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = { Status = status, Title = code, Detail = message },
            Exception = exception,
        });
    }

    private static string BadRequestMessage(BadHttpRequestException exception) => exception.StatusCode switch
    {
        StatusCodes.Status413PayloadTooLarge => "The request body is larger than the limit (Helix:MaxRequestBodyBytes).",
        _ => "The request could not be read: " + exception.Message,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Method} {Path} refused with {Status} ({Code}).")]
    private static partial void LogRefused(ILogger logger, string method, PathString path, int status, string code);
}
