using Helix.Core.Principals;
using Helix.Gateway.Access;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.Admin;

/// <summary>
/// Lets a request to <c>/admin/api</c> through only from a principal whose role the endpoint's
/// <see cref="AdminAccessMetadata"/> admits: 401 ProblemDetails without a valid key (the bootstrap
/// <c>Helix:AdminKey</c> or a key of the <see cref="KeyDirectory"/>; a revoked key is not valid), 403 for an
/// <c>app</c> key (data plane only) or a role the endpoint refuses (an endpoint that declares nothing is
/// <see cref="AdminAccess.Administer"/>).
/// </summary>
/// <remarks>
/// A middleware rather than an endpoint filter, so it runs before the endpoint binds its body: an unauthenticated
/// caller learns nothing from how its body is parsed (a malformed one gets 401, not 400). It also refuses a body
/// declared larger than <c>Helix:MaxRequestBodyBytes</c> with 413 before anything reads it.
/// </remarks>
internal sealed class AdminAuthorizationMiddleware(RequestDelegate next, AdminKey key, KeyDirectory keys, GatewayOptions options)
{
    private const string Scheme = "Bearer ";

    /// <summary>The principal of the bootstrap key, <c>Helix:AdminKey</c>: an admin.</summary>
    public static Principal BootstrapAdmin { get; } = new("bootstrap-admin", "bootstrap admin (Helix:AdminKey)", PrincipalRole.Admin);

    public static bool Applies(HttpContext context) => context.Request.Path.StartsWithSegments("/admin/api", StringComparison.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        string? header = context.Request.Headers.Authorization;
        var presented = header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? header[Scheme.Length..].Trim() : null;
        Principal? principal = null;
        if (key.Matches(presented))
        {
            principal = BootstrapAdmin;
        }
        else if (presented is not null && keys.TryResolve(presented, out var entry))
        {
            principal = entry.Principal;
        }

        if (principal is null)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = 401, Title = "Unauthorized", Detail = "The admin API needs 'Authorization: Bearer <key>': a valid viewer, operator, admin or agent key, or Helix:AdminKey." },
            });
            return;
        }

        var access = context.GetEndpoint()?.Metadata.GetMetadata<AdminAccessMetadata>()?.Access ?? AdminAccess.Administer;
        if (principal.Role == PrincipalRole.App || !access.Admits(principal.Role))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails =
                {
                    Status = 403,
                    Title = "Forbidden",
                    Detail = principal.Role == PrincipalRole.App
                        ? "An app key calls the data plane (/v1) only, not the admin API."
                        : $"The role '{PrincipalRoles.Name(principal.Role)}' may not do this ({access.ToString().ToLowerInvariant()} access is needed).",
                    Extensions = { ["access"] = access.ToString().ToLowerInvariant(), ["role"] = PrincipalRoles.Name(principal.Role) },
                },
            });
            return;
        }

        context.SetPrincipal(principal);

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
