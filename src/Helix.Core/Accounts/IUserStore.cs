namespace Helix.Core.Accounts;

/// <summary>Durable storage of the dashboard's human accounts.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IUserStore
{
    /// <summary>Every account, by id.</summary>
    Task<IReadOnlyList<UserAccount>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>The account named <paramref name="name"/> (any case), or <see langword="null"/>.</summary>
    Task<UserAccount?> FindByNameAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The account with <paramref name="id"/>, or <see langword="null"/>.</summary>
    Task<UserAccount?> FindAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Stores a new account; <see langword="null"/> when its name is taken.</summary>
    /// <returns>The stored account, with its id.</returns>
    Task<UserAccount?> AddAsync(UserAccount account, CancellationToken cancellationToken = default);

    /// <summary>Deletes the account with <paramref name="id"/>; false when there is none.</summary>
    Task<bool> DeleteAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Stores a sign-in's outcome: the failures since the last success and the lockout, if any.</summary>
    Task RecordSignInAsync(long id, int failedSignIns, DateTimeOffset? lockedUntil, CancellationToken cancellationToken = default);
}
