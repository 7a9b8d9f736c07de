namespace Helix.Dashboard;

/// <summary>Optional OpenID Connect sign-in, under <c>Helix:Dashboard:Oidc</c>: on when <see cref="Authority"/> and <see cref="ClientId"/> are set.</summary>
/// <remarks>
/// The identity provider's role (or group) claim is mapped to a dashboard role with <see cref="Roles"/>; a person with
/// no mapped value gets <see cref="DefaultRole"/>, which is <c>none</c> unless set: refused. The role is read at each
/// sign-in; a session lasts <see cref="DashboardOptions.SessionLifetime"/>.
/// </remarks>
public sealed class DashboardOidcOptions
{
    /// <summary>The issuer's URL; its discovery document is at <c>/.well-known/openid-configuration</c> under it.</summary>
    public string? Authority { get; set; }

    /// <summary>The client id registered with the identity provider.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret registered with the identity provider (the authorization-code flow with PKCE; a secret is optional for a public client).</summary>
    public string? ClientSecret { get; set; }

    /// <summary>The name on the login page's button: "Sign in with …" (default <c>OpenID Connect</c>).</summary>
    public string DisplayName { get; set; } = "OpenID Connect";

    /// <summary>The claim of the ID token that holds roles or groups (default <c>roles</c>); it may appear several times or as a JSON array.</summary>
    public string RoleClaim { get; set; } = "roles";

    /// <summary>Claim value → dashboard role (<c>viewer</c>, <c>operator</c> or <c>admin</c>); the highest role mapped wins.</summary>
    public Dictionary<string, string> Roles { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The role of a person none of whose claim values is mapped: <c>none</c> (refused; the default), <c>viewer</c>, <c>operator</c> or <c>admin</c>.</summary>
    public string DefaultRole { get; set; } = "none";

    /// <summary>Whether the discovery document must be fetched over HTTPS (default true; false only for a loopback test issuer).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Whether OpenID Connect sign-in is configured.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(Authority) && !string.IsNullOrWhiteSpace(ClientId);
}
