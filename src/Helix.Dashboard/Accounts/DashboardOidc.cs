using System.Security.Claims;
using System.Text.Json;
using Helix.Core.Principals;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Dashboard.Accounts;

/// <summary>OpenID Connect sign-in to the dashboard: the scheme, the role mapping and the handler's events.</summary>
/// <remarks>
/// The authorization-code flow (with PKCE); the ID token's role claim is mapped to <c>viewer</c>, <c>operator</c> or
/// <c>admin</c> with <see cref="DashboardOidcOptions.Roles"/>, and the person is signed in with the dashboard's cookie
/// as <c>oidc:&lt;sub&gt;</c>. A person with no mapped role and no default role is refused: back to the login page,
/// signed out.
/// </remarks>
public static class DashboardOidc
{
    /// <summary>The authentication scheme of the identity provider.</summary>
    public const string Scheme = "Helix.Dashboard.Oidc";

    /// <summary>The prefix of a principal id signed in through OpenID Connect.</summary>
    public const string PrincipalPrefix = "oidc:";

    /// <summary>Where the identity provider sends the person back.</summary>
    public const string CallbackPath = "/signin-oidc";

    /// <summary>Where the login page's button starts the sign-in.</summary>
    public const string StartPath = "/account/oidc";

    /// <summary>The login page's error for a person the identity provider knows but the dashboard gives no role.</summary>
    public const string RefusedError = "oidc-refused";

    /// <summary>The login page's error for a sign-in the identity provider did not complete.</summary>
    public const string FailedError = "oidc-failed";

    /// <summary>Adds the OpenID Connect scheme, signing in with the dashboard's cookie.</summary>
    internal static void Add(AuthenticationBuilder authentication, DashboardOidcOptions settings)
    {
        authentication.AddOpenIdConnect(Scheme, settings.DisplayName, oidc =>
        {
            oidc.SignInScheme = DashboardAuthentication.Scheme;
            oidc.Authority = settings.Authority;
            oidc.ClientId = settings.ClientId;
            oidc.ClientSecret = string.IsNullOrEmpty(settings.ClientSecret) ? null : settings.ClientSecret;
            oidc.RequireHttpsMetadata = settings.RequireHttpsMetadata;
            oidc.ResponseType = "code";
            oidc.UsePkce = true;
            oidc.CallbackPath = CallbackPath;
            oidc.SaveTokens = false;
            oidc.GetClaimsFromUserInfoEndpoint = false;
            oidc.MapInboundClaims = false;
            oidc.Scope.Clear();
            oidc.Scope.Add("openid");
            oidc.Scope.Add("profile");
            oidc.Events.OnTokenValidated = OnTokenValidatedAsync;
            oidc.Events.OnRemoteFailure = OnRemoteFailureAsync;
        });
    }

    /// <summary>The dashboard role of a person with these identity-provider claims, or <see langword="null"/> when refused.</summary>
    public static PrincipalRole? MapRole(ClaimsPrincipal user, DashboardOidcOptions settings)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(settings);
        PrincipalRole? best = null;
        foreach (var value in ClaimValues(user, settings.RoleClaim))
        {
            if (settings.Roles.TryGetValue(value, out var name) && UserAccounts.TryParseRole(name, out var role) && (best is null || Rank(role) > Rank(best.Value)))
            {
                best = role;
            }
        }

        return best ?? (UserAccounts.TryParseRole(settings.DefaultRole, out var fallback) ? fallback : null);
    }

    /// <summary>Adds every invalid <c>Helix:Dashboard:Oidc</c> setting to <paramref name="errors"/>.</summary>
    internal static void Validate(DashboardOidcOptions settings, List<string> errors)
    {
        var section = DashboardOptions.SectionName + ":Oidc";
        var authoritySet = !string.IsNullOrWhiteSpace(settings.Authority);
        var clientSet = !string.IsNullOrWhiteSpace(settings.ClientId);
        if (authoritySet != clientSet)
        {
            errors.Add($"Set both {section}:Authority and {section}:ClientId to sign in with OpenID Connect, or neither.");
        }

        if (!authoritySet)
        {
            return;
        }

        if (!Uri.TryCreate(settings.Authority, UriKind.Absolute, out var authority) || authority.Scheme is not ("https" or "http")
            || (authority.Scheme == "http" && settings.RequireHttpsMetadata))
        {
            errors.Add($"Set {section}:Authority to the issuer's https URL (http only with {section}:RequireHttpsMetadata false).");
        }

        if (string.IsNullOrWhiteSpace(settings.RoleClaim))
        {
            errors.Add($"Set {section}:RoleClaim to the ID token's role or group claim (default roles).");
        }

        foreach (var (value, role) in settings.Roles)
        {
            if (!UserAccounts.TryParseRole(role, out _))
            {
                errors.Add($"Set {section}:Roles:{value} to viewer, operator or admin, not '{role}'.");
            }
        }

        if (settings.DefaultRole != "none" && !UserAccounts.TryParseRole(settings.DefaultRole, out _))
        {
            errors.Add($"Set {section}:DefaultRole to none, viewer, operator or admin.");
        }

        if (string.IsNullOrWhiteSpace(settings.DisplayName) || settings.DisplayName.Length > 60)
        {
            errors.Add($"Set {section}:DisplayName to 1 to 60 characters.");
        }
    }

    private static Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<IOptions<DashboardOptions>>().Value.Oidc;
        var user = context.Principal!;
        var subject = user.FindFirst("sub")?.Value;
        var role = MapRole(user, settings);
        if (string.IsNullOrEmpty(subject) || role is null)
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DashboardOidc))
                .LogWarning("OpenID Connect sign-in refused for {Subject}: no {Claim} value maps to a dashboard role.", subject, settings.RoleClaim);
            context.Fail(RefusedError);
            return Task.CompletedTask;
        }

        var name = user.FindFirst("name")?.Value ?? user.FindFirst("preferred_username")?.Value ?? user.FindFirst("email")?.Value ?? subject;
        context.Principal = DashboardAuthentication.ToClaims(new Principal(PrincipalPrefix + subject, name, role.Value));
        return Task.CompletedTask;
    }

    private static Task OnRemoteFailureAsync(RemoteFailureContext context)
    {
        var error = context.Failure?.Message == RefusedError ? RefusedError : FailedError;
        context.Response.Redirect("/login?error=" + error);
        context.HandleResponse();
        return Task.CompletedTask;
    }

    // A claim may come once per value, or once as a JSON array of values.
    private static IEnumerable<string> ClaimValues(ClaimsPrincipal user, string type)
    {
        foreach (var claim in user.FindAll(type))
        {
            if (claim.Value.StartsWith('['))
            {
                string[]? values = null;
                try
                {
                    values = JsonSerializer.Deserialize<string[]>(claim.Value);
                }
                catch (JsonException)
                {
                }

                foreach (var value in values ?? [claim.Value])
                {
                    yield return value;
                }
            }
            else
            {
                yield return claim.Value;
            }
        }
    }

    private static int Rank(PrincipalRole role) => role switch
    {
        PrincipalRole.Admin => 3,
        PrincipalRole.Operator => 2,
        PrincipalRole.Viewer => 1,
        _ => 0,
    };
}
