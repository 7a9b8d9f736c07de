namespace Helix.Dashboard;

/// <summary>Host settings of the dashboard, under <c>Helix:Dashboard</c>.</summary>
public sealed class DashboardOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Helix:Dashboard";

    /// <summary>When set and no account exists yet, an <c>admin</c> account with this password is created at start-up.</summary>
    public string? AdminPassword { get; set; }

    /// <summary>Failed sign-ins in a row after which an account is locked (default 5).</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked (default 15 minutes).</summary>
    public TimeSpan Lockout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in lasts without activity (default 8 hours; sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Optional OpenID Connect sign-in (<c>Helix:Dashboard:Oidc</c>).</summary>
    public DashboardOidcOptions Oidc { get; set; } = new();
}
