namespace Helix.Core.Budgets;

/// <summary>A spending limit for a scope over a period, with its alert thresholds; hard budgets refuse, soft ones alert.</summary>
/// <remarks>Immutable routing data: stored, loaded into a <see cref="BudgetSnapshot"/>, replaced whole on change.</remarks>
public sealed record BudgetConfig
{
    /// <summary>The subject of the one global budget of each period.</summary>
    public const string GlobalSubject = "*";

    /// <summary>The time zone of a budget that names none.</summary>
    public const string UtcZone = "UTC";

    /// <summary>The thresholds of a budget that names none: alerts at half, 80% and all of the limit.</summary>
    public static readonly IReadOnlyList<decimal> DefaultThresholds = [0.5m, 0.8m, 1.0m];

    /// <summary>The store's id (0 until stored).</summary>
    public long Id { get; init; }

    public required BudgetScope Scope { get; init; }

    /// <summary>The user, operation or key limited; <see cref="GlobalSubject"/> for the global scope.</summary>
    public required string Subject { get; init; }

    public required BudgetPeriod Period { get; init; }

    /// <summary>The limit in USD, positive.</summary>
    public required decimal LimitUsd { get; init; }

    /// <summary>Whether a call that would exceed the limit is refused (otherwise the budget only alerts).</summary>
    public bool Hard { get; init; } = true;

    /// <summary>Fractions of the limit in (0, 1], ascending, at which an alert fires once per period.</summary>
    public IReadOnlyList<decimal> Thresholds { get; init; } = DefaultThresholds;

    /// <summary>The IANA time zone whose midnight (or first of the month) starts a period.</summary>
    public string TimeZone { get; init; } = UtcZone;

    /// <summary>When the budget was last put.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
