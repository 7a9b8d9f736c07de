using Helix.Core.Principals;

namespace Helix.Core.Accounts;

/// <summary>A human account of the dashboard: a name, a role and a password hash, never the password.</summary>
/// <remarks>Immutable; a sign-in's outcome is stored with <see cref="IUserStore.RecordSignInAsync"/>.</remarks>
public sealed record UserAccount
{
    /// <summary>The prefix of a user's principal id: <c>user:42</c>.</summary>
    public const string PrincipalPrefix = "user:";

    /// <summary>The store's id; 0 before the account is stored.</summary>
    public long Id { get; init; }

    /// <summary>The sign-in name, unique without regard to case.</summary>
    public required string Name { get; init; }

    /// <summary>The role: <see cref="PrincipalRole.Viewer"/>, <see cref="PrincipalRole.Operator"/> or <see cref="PrincipalRole.Admin"/>.</summary>
    public required PrincipalRole Role { get; init; }

    /// <summary>The password hash (ASP.NET Core's password hasher format).</summary>
    public required string PasswordHash { get; init; }

    /// <summary>Failed sign-ins since the last successful one.</summary>
    public int FailedSignIns { get; init; }

    /// <summary>Until when sign-in is refused after too many failures, if it is.</summary>
    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The account as the principal its actions are recorded under: id <c>user:&lt;id&gt;</c>.</summary>
    public Principal ToPrincipal() => new(PrincipalPrefix + Id.ToString(System.Globalization.CultureInfo.InvariantCulture), Name, Role);

    /// <summary>Whether <paramref name="role"/> is one a human account may have.</summary>
    public static bool IsHumanRole(PrincipalRole role) => role is PrincipalRole.Viewer or PrincipalRole.Operator or PrincipalRole.Admin;
}
