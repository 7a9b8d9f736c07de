namespace Helix.Core.Principals;

/// <summary>What an admin endpoint does, and so which roles may call it.</summary>
public enum AdminAccess
{
    /// <summary>Reads: viewers, operators, admins and agents.</summary>
    Read,

    /// <summary>Proposes a change for a human to decide: agents, operators and admins.</summary>
    Propose,

    /// <summary>Changes routes, toggles, budgets, alerts; decides approvals: operators and admins (humans only).</summary>
    Operate,

    /// <summary>Changes keys, accounts, notifiers, prices: admins only. The default of an endpoint that declares nothing.</summary>
    Administer,
}

/// <summary>Which roles an <see cref="AdminAccess"/> admits.</summary>
public static class AdminAccessRoles
{
    /// <summary>Whether <paramref name="role"/> may call an endpoint of <paramref name="access"/>.</summary>
    public static bool Admits(this AdminAccess access, PrincipalRole role) => access switch
    {
        AdminAccess.Read => role is PrincipalRole.Viewer or PrincipalRole.Operator or PrincipalRole.Admin or PrincipalRole.Agent,
        AdminAccess.Propose => role is PrincipalRole.Operator or PrincipalRole.Admin or PrincipalRole.Agent,
        AdminAccess.Operate => role is PrincipalRole.Operator or PrincipalRole.Admin,
        AdminAccess.Administer => role is PrincipalRole.Admin,
        _ => false,
    };
}
