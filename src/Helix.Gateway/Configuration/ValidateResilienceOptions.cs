using Helix.Core.Resilience;
using Microsoft.Extensions.Options;

namespace Helix.Gateway.Configuration;

/// <summary>Reports every error of <c>Helix:Resilience</c> at once, naming the key to fix.</summary>
internal sealed class ValidateResilienceOptions : IValidateOptions<ResilienceOptions>
{
    private const string Section = ResilienceOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        List<string> errors = [];
        Positive(errors, nameof(options.AttemptTimeout), options.AttemptTimeout);
        Positive(errors, nameof(options.OverallDeadline), options.OverallDeadline);
        Positive(errors, nameof(options.MaxBackoff), options.MaxBackoff);
        Positive(errors, nameof(options.CircuitBreakDuration), options.CircuitBreakDuration);
        if (options.BaseBackoff < TimeSpan.Zero)
        {
            errors.Add($"{Section}:{nameof(options.BaseBackoff)} must not be negative.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add($"{Section}:{nameof(options.MaxRetryAfter)} must not be negative.");
        }

        if (options.BaseBackoff > options.MaxBackoff)
        {
            errors.Add($"{Section}:{nameof(options.BaseBackoff)} ({options.BaseBackoff}) must not exceed {Section}:{nameof(options.MaxBackoff)} ({options.MaxBackoff}).");
        }

        if (options.OverallDeadline < options.AttemptTimeout)
        {
            errors.Add($"{Section}:{nameof(options.OverallDeadline)} ({options.OverallDeadline}) must be at least {Section}:{nameof(options.AttemptTimeout)} ({options.AttemptTimeout}).");
        }

        if (options.MaxRetriesPerModel is < 0 or > 10)
        {
            errors.Add($"{Section}:{nameof(options.MaxRetriesPerModel)} must be from 0 to 10.");
        }

        if (options.CircuitFailureThreshold < 1)
        {
            errors.Add($"{Section}:{nameof(options.CircuitFailureThreshold)} must be at least 1.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            errors.Add($"{Section}:{key} must be a positive duration such as 00:00:30.");
        }
    }
}
