using Helix.Gateway.Configuration;

namespace Helix.Gateway.Admin;

/// <summary>Lets a request to <c>/admin/api</c> through only with <c>Authorization: Bearer &lt;Helix:AdminKey&gt;</c>; otherwise a 401 ProblemDetails.</summary>
/// <remarks>
/// A middleware rather than an endpoint filter, so it runs before the endpoint binds its body: an unauthenticated
/// caller learns nothing from how its body is parsed (a malformed one gets 401, not 400). It also refuses a body
/// declared larger than <c>Helix:MaxRequestBodyBytes</c> with 413 before anything reads it.
/// </remarks>
internal sealed class AdminAuthorizationMiddleware(RequestDelegate next, AdminKey key, GatewayOptions options)
{
    private const string Scheme = "Bearer ";

    public static bool Applies(HttpContext context) => context.Request.Path.StartsWithSegments("/admin/api", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        string? header = context.Request.Headers.Authorization;
        var presented = header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        if (!key.Matches(presented))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = "The admin API needs 'Authorization: Bearer <Helix:AdminKey>'." },
            });
            return;
        }

        if (context.Request.ContentLength > options.MaxRequestBodyBytes)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = 413,
                    Title = "Request body too large",
                    Detail = $"The request body is larger than the limit of {options.MaxRequestBodyBytes} bytes (Helix:MaxRequestBodyBytes).",
                },
            });
            return;
        }

        await next(context);
    }
}
