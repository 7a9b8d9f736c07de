using Helix.Dashboard.Accounts;
using Helix.Dashboard.Components;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Helix.Dashboard;

/// <summary>Serves the dashboard at <c>/</c>, beside the data plane and the admin API.</summary>
public static class DashboardApplicationBuilderExtensions
{
    // The markers WebApplicationBuilder checks before adding authentication and authorization to the whole app.
    private const string AuthenticationMiddlewareSetKey = "__AuthenticationMiddlewareSet";
    private const string AuthorizationMiddlewareSetKey = "__AuthorizationMiddlewareSet";

    /// <summary>
    /// Adds cookie authentication, authorization and antiforgery for the dashboard's own paths only, and maps its pages,
    /// static assets, the Blazor hub and <c>POST /account/logout</c>.
    /// </summary>
    /// <remarks>
    /// The middleware runs in a branch that <c>/v1</c>, <c>/admin/api</c>, <c>/healthz</c>, <c>/readyz</c> and
    /// <c>/openapi</c> never enter, so the data plane and the admin API keep their own authentication, error shapes
    /// and cost per request.
    /// </remarks>
    public static WebApplication UseHelixDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(IsDashboardRequest, dashboard =>
        {
            dashboard.UseAuthentication();
            dashboard.UseAuthorization();
            dashboard.UseAntiforgery();
        });

        // WebApplication puts authentication and authorization in front of every request unless the app itself added
        // them, which it reads from these markers; the branch above sets them only on its own copy of the properties,
        // so without them every /v1 call also ran the dashboard's cookie handler (about 2 KB allocated per call).
        var properties = ((IApplicationBuilder)app).Properties;
        properties[AuthenticationMiddlewareSetKey] = true;
        properties[AuthorizationMiddlewareSetKey] = true;
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        app.MapPost("/account/logout", async (HttpContext context, [FromForm] string? returnUrl) =>
        {
            await context.SignOutAsync(DashboardAuthentication.Scheme);
            return Results.LocalRedirect("/login");
        }).ExcludeFromDescription();
        if (app.Services.GetRequiredService<IOptions<DashboardOptions>>().Value.Oidc.IsConfigured)
        {
            // The login page's "Sign in with …": off to the identity provider, back to a path of this site.
            app.MapGet(DashboardOidc.StartPath, (string? returnUrl) => Results.Challenge(
                new AuthenticationProperties { RedirectUri = DashboardAuthentication.LocalPath(returnUrl) }, [DashboardOidc.Scheme])).ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>Whether a request is the dashboard's, not the data plane's, the admin API's or a probe's.</summary>
    public static bool IsDashboardRequest(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var path = context.Request.Path;
        return !path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/admin/api", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/healthz", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/readyz", StringComparison.OrdinalIgnoreCase)
            && !path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase);
    }
}
