using Helix.Dashboard.Accounts;
using Helix.Dashboard.Model;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

namespace Helix.Dashboard;

/// <summary>Registers the dashboard: its accounts, queries and commands, cookie sign-in, Blazor and MudBlazor.</summary>
public static class DashboardServiceCollectionExtensions
{
    /// <summary>Adds the dashboard's services. Needs Helix's Core services and a store that provides accounts and insights.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration: OpenID Connect sign-in is added when <c>Helix:Dashboard:Oidc</c> names an authority and a client.</param>
    public static IServiceCollection AddHelixDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DashboardOptions>, ValidateDashboardOptions>();
        services.AddSingleton<UserAccounts>();
        services.AddHostedService<DashboardAdminSeeder>();
        services.AddSingleton<DashboardQueries>();
        services.AddSingleton<DashboardCommands>();
        services.AddSingleton<ApprovalDecisions>();
        services.AddSingleton<KeyCommands>();
        services.AddSingleton<PriceImports>();
        services.AddSingleton<Reconciliations>();
        services.AddSingleton<IntelligenceActions>();
        services.AddScoped<ViewerSettings>();

        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        services.AddAuthorization();
        services.AddAntiforgery();
        var authentication = services.AddAuthentication(DashboardAuthentication.Scheme)
            .AddCookie(DashboardAuthentication.Scheme, _ => { });
        var oidc = configuration.GetSection(DashboardOptions.SectionName + ":Oidc").Get<DashboardOidcOptions>();
        if (oidc is { IsConfigured: true })
        {
            DashboardOidc.Add(authentication, oidc);
        }

        services.AddOptions<CookieAuthenticationOptions>(DashboardAuthentication.Scheme)
            .Configure<IOptions<DashboardOptions>>((cookie, dashboard) =>
            {
                cookie.Cookie.Name = DashboardAuthentication.CookieName;
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.LoginPath = "/login";
                cookie.AccessDeniedPath = "/login";
                cookie.ExpireTimeSpan = dashboard.Value.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.Events.OnValidatePrincipal = ValidateAccountAsync;
            });
        return services;
    }

    // A deleted account, or one whose role changed, is signed out on its next request rather than at its cookie's expiry.
    // A person signed in with OpenID Connect has no account: their role is the identity provider's at sign-in, for the session.
    private static async Task ValidateAccountAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        var principal = DashboardAuthentication.ToPrincipal(context.Principal);
        if (principal is not null && principal.Id.StartsWith(DashboardOidc.PrincipalPrefix, StringComparison.Ordinal)
            && context.HttpContext.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.Oidc.IsConfigured)
        {
            return;
        }

        var accounts = context.HttpContext.RequestServices.GetRequiredService<UserAccounts>();
        var account = principal is null ? null : await accounts.FindByPrincipalIdAsync(principal.Id, context.HttpContext.RequestAborted);
        if (account is null || account.Role != principal!.Role)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(DashboardAuthentication.Scheme);
        }
    }
}
