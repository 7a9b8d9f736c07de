using System.Globalization;
using System.Text.Json;
using Helix.Core.Accounts;
using Helix.Core.Audit;
using Helix.Core.Principals;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Helix.Dashboard.Accounts;

/// <summary>Creates, deletes and signs in the dashboard's human accounts; every change is recorded in the change history.</summary>
/// <remarks>
/// Passwords are hashed with ASP.NET Core's <see cref="PasswordHasher{TUser}"/> (PBKDF2, salted) and never stored or
/// recorded. After <see cref="DashboardOptions.MaxFailedSignIns"/> failures in a row an account is locked for
/// <see cref="DashboardOptions.Lockout"/>; an unknown name and a wrong password get the same answer. Thread-safe.
/// </remarks>
public sealed class UserAccounts
{
    /// <summary>The shortest password accepted.</summary>
    public const int MinPasswordLength = 12;

    /// <summary>The longest name accepted.</summary>
    public const int MaxNameLength = 64;

    private const string WrongCredentials = "Wrong name or password.";

    private readonly IUserStore _store;
    private readonly IChangeHistory _history;
    private readonly TimeProvider _time;
    private readonly DashboardOptions _options;
    private readonly PasswordHasher<UserAccount> _hasher = new();

    /// <summary>Creates the service.</summary>
    public UserAccounts(IUserStore store, IChangeHistory history, TimeProvider time, IOptions<DashboardOptions> options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _history = history;
        _time = time;
        _options = options.Value;
    }

    /// <summary>Every account.</summary>
    public Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);

    /// <summary>The account behind a principal id <c>user:&lt;id&gt;</c>, or <see langword="null"/>.</summary>
    public Task<UserAccount?> FindByPrincipalIdAsync(string principalId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(principalId);
        return principalId.StartsWith(UserAccount.PrincipalPrefix, StringComparison.Ordinal)
            && long.TryParse(principalId.AsSpan(UserAccount.PrincipalPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? _store.FindAsync(id, cancellationToken)
            : Task.FromResult<UserAccount?>(null);
    }

    /// <summary>What is wrong with a new account's fields, or <see langword="null"/> when nothing is.</summary>
    public static (string Field, string Message)? Validate(string? name, string? role, string? password, out PrincipalRole parsedRole)
    {
        parsedRole = default;
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.Trim() != name || name.Any(char.IsControl))
        {
            return ("name", $"name is 1 to {MaxNameLength} characters, without leading or trailing spaces.");
        }

        if (!TryParseRole(role, out parsedRole))
        {
            return ("role", "role is viewer, operator or admin.");
        }

        if (password is null || password.Length < MinPasswordLength || password.Length > 1024)
        {
            return ("password", $"password is {MinPasswordLength} to 1024 characters.");
        }

        return null;
    }

    /// <summary>Reads a human role's name (viewer, operator, admin); false for any other, agents and applications included.</summary>
    public static bool TryParseRole(string? text, out PrincipalRole role)
    {
        role = text?.ToLowerInvariant() switch
        {
            "viewer" => PrincipalRole.Viewer,
            "operator" => PrincipalRole.Operator,
            "admin" => PrincipalRole.Admin,
            _ => PrincipalRole.App,
        };
        return role != PrincipalRole.App;
    }

    /// <summary>Creates an account; <see langword="null"/> when the name is taken.</summary>
    /// <exception cref="ArgumentException">A field is invalid (see <see cref="Validate"/>).</exception>
    public async Task<UserAccount?> CreateAsync(string name, PrincipalRole role, string password, Principal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (Validate(name, role.ToString(), password, out _) is { } problem)
        {
            throw new ArgumentException(problem.Message, problem.Field);
        }

        var account = new UserAccount { Name = name, Role = role, PasswordHash = string.Empty, CreatedAt = _time.GetUtcNow() };
        account = account with { PasswordHash = _hasher.HashPassword(account, password) };
        var stored = await _store.AddAsync(account, cancellationToken);
        if (stored is not null)
        {
            await _history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "user.create", Target(stored), null, Describe(stored)), cancellationToken);
        }

        return stored;
    }

    /// <summary>Deletes an account; false when there is none with <paramref name="id"/>.</summary>
    public async Task<bool> DeleteAsync(long id, Principal actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var existing = await _store.FindAsync(id, cancellationToken);
        if (existing is null || !await _store.DeleteAsync(id, cancellationToken))
        {
            return false;
        }

        await _history.AppendAsync(new ChangeRecord(actor.Id, actor.Name, "user.delete", Target(existing), Describe(existing), null), cancellationToken);
        return true;
    }

    /// <summary>Checks a name and password; counts failures and locks the account after too many.</summary>
    public async Task<SignInOutcome> SignInAsync(string? name, string? password, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(name) || string.IsNullOrEmpty(password) || name.Length > MaxNameLength)
        {
            return new SignInOutcome(null, WrongCredentials);
        }

        var account = await _store.FindByNameAsync(name, cancellationToken);
        if (account is null)
        {
            // Hash anyway, so an unknown name takes as long as a wrong password.
            _hasher.HashPassword(new UserAccount { Name = name, Role = PrincipalRole.Viewer, PasswordHash = string.Empty }, password);
            return new SignInOutcome(null, WrongCredentials);
        }

        var now = _time.GetUtcNow();
        if (account.LockedUntil is { } until && until > now)
        {
            return new SignInOutcome(null, Locked(until));
        }

        var verdict = _hasher.VerifyHashedPassword(account, account.PasswordHash, password);
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failures = account.FailedSignIns + 1;
            DateTimeOffset? lockedUntil = failures >= _options.MaxFailedSignIns ? now + _options.Lockout : null;
            await _store.RecordSignInAsync(account.Id, lockedUntil is null ? failures : 0, lockedUntil, cancellationToken);
            return new SignInOutcome(null, lockedUntil is { } locked ? Locked(locked) : WrongCredentials);
        }

        if (account.FailedSignIns != 0 || account.LockedUntil is not null)
        {
            await _store.RecordSignInAsync(account.Id, 0, null, cancellationToken);
        }

        return new SignInOutcome(account.ToPrincipal(), null);
    }

    private static string Locked(DateTimeOffset until) =>
        $"Too many failed sign-ins: this account is locked until {until.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.";

    private static string Target(UserAccount account) => "user:" + account.Id.ToString(CultureInfo.InvariantCulture);

    private static string Describe(UserAccount account) =>
        JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["id"] = Target(account),
            ["name"] = account.Name,
            ["role"] = account.Role.ToString().ToLowerInvariant(),
        });
}
