using Microsoft.Extensions.Options;

namespace Helix.Core.Approvals;

/// <summary>Checks <see cref="ApprovalOptions"/>, naming every key to fix.</summary>
public sealed class ValidateApprovalOptions : IValidateOptions<ApprovalOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, ApprovalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> errors = [];
        if (options.Ttl < TimeSpan.FromMinutes(1) || options.Ttl > TimeSpan.FromDays(30))
        {
            errors.Add($"Set {ApprovalOptions.SectionName}:Ttl between 00:01:00 and 30.00:00:00 (it is {options.Ttl}).");
        }

        if (options.MaxWaiters is < 0 or > 100_000)
        {
            errors.Add($"Set {ApprovalOptions.SectionName}:MaxWaiters from 0 to 100000 (it is {options.MaxWaiters}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
