using Microsoft.Extensions.Options;

namespace Helix.Core.Resilience;

/// <summary>Checks <see cref="ResilienceOptions"/> at start-up and names every key to fix.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
public sealed class ValidateResilienceOptions : IValidateOptions<ResilienceOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        Positive(options.FirstByteTimeout, nameof(options.FirstByteTimeout), errors);
        Positive(options.AttemptTimeout, nameof(options.AttemptTimeout), errors);
        Positive(options.OverallDeadline, nameof(options.OverallDeadline), errors);
        Positive(options.CircuitBreakDuration, nameof(options.CircuitBreakDuration), errors);
        if (options.MaxRetriesPerModel < 0)
        {
            errors.Add($"Set {ResilienceOptions.SectionName}:{nameof(options.MaxRetriesPerModel)} to 0 or more (it is {options.MaxRetriesPerModel}).");
        }

        if (options.CircuitFailureThreshold < 1)
        {
            errors.Add($"Set {ResilienceOptions.SectionName}:{nameof(options.CircuitFailureThreshold)} to 1 or more (it is {options.CircuitFailureThreshold}).");
        }

        if (options.BaseBackoff < TimeSpan.Zero || options.MaxBackoff < options.BaseBackoff)
        {
            errors.Add($"Set {ResilienceOptions.SectionName}:{nameof(options.BaseBackoff)} to 0 or more and {nameof(options.MaxBackoff)} to at least it (they are {options.BaseBackoff} and {options.MaxBackoff}).");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            errors.Add($"Set {ResilienceOptions.SectionName}:{nameof(options.MaxRetryAfter)} to 0 or more (it is {options.MaxRetryAfter}).");
        }

        if (options.OverallDeadline != Timeout.InfiniteTimeSpan && options.AttemptTimeout != Timeout.InfiniteTimeSpan
            && options.AttemptTimeout >= options.OverallDeadline)
        {
            errors.Add($"Set {ResilienceOptions.SectionName}:{nameof(options.AttemptTimeout)} below {nameof(options.OverallDeadline)} ({options.AttemptTimeout} ≥ {options.OverallDeadline}): a hung model would use the whole deadline and its fallback would never run.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(TimeSpan value, string key, List<string> errors)
    {
        if (value <= TimeSpan.Zero && value != Timeout.InfiniteTimeSpan)
        {
            errors.Add($"Set {ResilienceOptions.SectionName}:{key} to a positive duration (it is {value}).");
        }
    }
}
