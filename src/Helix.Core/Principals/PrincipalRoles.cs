namespace Helix.Core.Principals;

/// <summary>The wire names of <see cref="PrincipalRole"/>: <c>app</c>, <c>agent</c>, <c>viewer</c>, <c>operator</c>, <c>admin</c>.</summary>
public static class PrincipalRoles
{
    /// <summary>The role's name, lower case.</summary>
    public static string Name(PrincipalRole role) => role switch
    {
        PrincipalRole.App => "app",
        PrincipalRole.Agent => "agent",
        PrincipalRole.Viewer => "viewer",
        PrincipalRole.Operator => "operator",
        PrincipalRole.Admin => "admin",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Not a role."),
    };

    /// <summary>The role named <paramref name="name"/> (exactly one of the names, case-insensitive; no numbers).</summary>
    public static bool TryParse(string? name, out PrincipalRole role)
    {
        role = default;
        switch (name?.ToLowerInvariant())
        {
            case "app":
                role = PrincipalRole.App;
                return true;
            case "agent":
                role = PrincipalRole.Agent;
                return true;
            case "viewer":
                role = PrincipalRole.Viewer;
                return true;
            case "operator":
                role = PrincipalRole.Operator;
                return true;
            case "admin":
                role = PrincipalRole.Admin;
                return true;
            default:
                return false;
        }
    }

    /// <summary>Whether the role calls the data plane (<c>app</c>, <c>agent</c>) rather than the admin API.</summary>
    public static bool CallsDataPlane(this PrincipalRole role) => role is PrincipalRole.App or PrincipalRole.Agent;
}
