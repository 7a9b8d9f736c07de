using System.Collections.Frozen;

namespace Helix.Core.Budgets;

/// <summary>Every budget in force, indexed by what a call touches; immutable, published whole on change.</summary>
/// <remarks>A call reads the current snapshot once; readers never lock.</remarks>
public sealed class BudgetSnapshot
{
    /// <summary>No budgets.</summary>
    public static readonly BudgetSnapshot Empty = new([]);

    internal BudgetSnapshot(IReadOnlyList<BudgetAccount> accounts)
    {
        Accounts = accounts;
        Global = [.. accounts.Where(a => a.Config.Scope == BudgetScope.Global)];
        Users = Index(accounts, BudgetScope.User, StringComparer.Ordinal);
        Operations = Index(accounts, BudgetScope.Operation, StringComparer.OrdinalIgnoreCase);
        Keys = Index(accounts, BudgetScope.Key, StringComparer.Ordinal);
        ById = accounts.ToFrozenDictionary(a => a.Config.Id);
    }

    /// <summary>Every budget, in the order loaded.</summary>
    public IReadOnlyList<BudgetAccount> Accounts { get; }

    /// <summary>The budgets by id.</summary>
    public FrozenDictionary<long, BudgetAccount> ById { get; }

    internal BudgetAccount[] Global { get; }

    internal FrozenDictionary<string, BudgetAccount[]> Users { get; }

    internal FrozenDictionary<string, BudgetAccount[]> Operations { get; }

    internal FrozenDictionary<string, BudgetAccount[]> Keys { get; }

    private static FrozenDictionary<string, BudgetAccount[]> Index(IReadOnlyList<BudgetAccount> accounts, BudgetScope scope, StringComparer comparer) =>
        accounts.Where(a => a.Config.Scope == scope)
            .GroupBy(a => a.Config.Subject, comparer)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), comparer);
}
