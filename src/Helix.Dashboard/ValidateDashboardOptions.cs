using Helix.Dashboard.Accounts;
using Microsoft.Extensions.Options;

namespace Helix.Dashboard;

/// <summary>Reports every invalid <c>Helix:Dashboard</c> setting, naming the key to fix.</summary>
internal sealed class ValidateDashboardOptions : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        List<string> errors = [];
        if (options.AdminPassword is { } password && (password.Length < UserAccounts.MinPasswordLength || password.Length > 1024))
        {
            errors.Add($"Set {DashboardOptions.SectionName}:AdminPassword to {UserAccounts.MinPasswordLength} to 1024 characters, or leave it unset.");
        }

        if (options.MaxFailedSignIns is < 1 or > 100)
        {
            errors.Add($"Set {DashboardOptions.SectionName}:MaxFailedSignIns from 1 to 100.");
        }

        if (options.Lockout <= TimeSpan.Zero || options.Lockout > TimeSpan.FromDays(1))
        {
            errors.Add($"Set {DashboardOptions.SectionName}:Lockout above 0 and at most 1.00:00:00.");
        }

        if (options.SessionLifetime < TimeSpan.FromMinutes(1) || options.SessionLifetime > TimeSpan.FromDays(30))
        {
            errors.Add($"Set {DashboardOptions.SectionName}:SessionLifetime from 00:01:00 to 30.00:00:00.");
        }

        DashboardOidc.Validate(options.Oidc, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
