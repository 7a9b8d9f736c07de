namespace Helix.Gateway.Admin;

/// <summary>Lets a request through only with <c>Authorization: Bearer &lt;Helix:AdminKey&gt;</c>; otherwise a 401 ProblemDetails.</summary>
internal sealed class AdminAuthorizationFilter(AdminKey key) : IEndpointFilter
{
    private const string Scheme = "Bearer ";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        string? header = context.HttpContext.Request.Headers.Authorization;
        var presented = header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        if (!key.Matches(presented))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return ValueTask.FromResult<object?>(Results.Problem(
                title: "Unauthorized",
                detail: "The admin API needs 'Authorization: Bearer <Helix:AdminKey>'.",
                statusCode: StatusCodes.Status401Unauthorized));
        }

        return next(context);
    }
}
