using Microsoft.Extensions.Options;

namespace Helix.Core.Budgets;

/// <summary>Checks <see cref="BudgetsOptions"/> at start-up, reporting every error with the key to fix.</summary>
public sealed class ValidateBudgetsOptions : IValidateOptions<BudgetsOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, BudgetsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        var section = BudgetsOptions.SectionName;
        if (options.DefaultDailyUsd < 0)
        {
            errors.Add($"{section}:DefaultDailyUsd must be 0 (no default budget) or a positive amount in USD, not {options.DefaultDailyUsd}.");
        }

        if (options.OutboxPollInterval <= TimeSpan.Zero)
        {
            errors.Add($"{section}:OutboxPollInterval must be positive.");
        }

        if (options.DeliveryRetryDelay <= TimeSpan.Zero)
        {
            errors.Add($"{section}:DeliveryRetryDelay must be positive.");
        }

        if (options.AnomalyInterval <= TimeSpan.Zero)
        {
            errors.Add($"{section}:AnomalyInterval must be positive.");
        }

        if (options.AnomalySpendFactor <= 1m)
        {
            errors.Add($"{section}:AnomalySpendFactor must be above 1.");
        }

        if (options.AnomalyCallsFactor <= 1m)
        {
            errors.Add($"{section}:AnomalyCallsFactor must be above 1.");
        }

        if (options.AnomalyBaselineWeeks is < 1 or > 52)
        {
            errors.Add($"{section}:AnomalyBaselineWeeks must be from 1 to 52.");
        }

        if (options.AnomalyMinimumSpendUsd < 0 || options.AnomalyMinimumCalls < 0)
        {
            errors.Add($"{section}:AnomalyMinimumSpendUsd and AnomalyMinimumCalls must not be negative.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
