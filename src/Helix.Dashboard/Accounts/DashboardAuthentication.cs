using System.Security.Claims;
using Helix.Core.Principals;

namespace Helix.Dashboard.Accounts;

/// <summary>The dashboard's cookie sign-in: its scheme, and the principal ↔ claims mapping.</summary>
public static class DashboardAuthentication
{
    /// <summary>The authentication scheme (a cookie).</summary>
    public const string Scheme = "Helix.Dashboard";

    /// <summary>The cookie's name.</summary>
    public const string CookieName = "helix_dashboard";

    /// <summary>The claims a signed-in <paramref name="principal"/> carries in its cookie.</summary>
    public static ClaimsPrincipal ToClaims(Principal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, principal.Id),
                new Claim(ClaimTypes.Name, principal.Name),
                new Claim(ClaimTypes.Role, principal.Role.ToString().ToLowerInvariant()),
            ],
            Scheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>The principal of a signed-in user, or <see langword="null"/> when <paramref name="user"/> is not one.</summary>
    public static Principal? ToPrincipal(ClaimsPrincipal? user)
    {
        if (user?.Identity is not { IsAuthenticated: true } || user.FindFirstValue(ClaimTypes.NameIdentifier) is not { } id)
        {
            return null;
        }

        return UserAccounts.TryParseRole(user.FindFirstValue(ClaimTypes.Role), out var role)
            ? new Principal(id, user.Identity.Name ?? id, role)
            : null;
    }

    /// <summary>
    /// <paramref name="returnUrl"/> when it is a path of this site, else <c>/</c>: an open redirect would hand a
    /// signed-in person to anyone's page.
    /// </summary>
    public static string LocalPath(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url
            : "/";
}
