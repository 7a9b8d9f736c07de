namespace Helix.Core.Budgets;

/// <summary>What a budget limits: all spend, one end user's, one operation's or one application key's.</summary>
public enum BudgetScope
{
    /// <summary>Every call; the subject is <see cref="BudgetConfig.GlobalSubject"/>.</summary>
    Global,

    /// <summary>The calls naming one end user (the <c>user</c> field or <c>X-Helix-User</c>).</summary>
    User,

    /// <summary>The calls of one operation.</summary>
    Operation,

    /// <summary>The calls of one application key (the call's principal).</summary>
    Key,
}
