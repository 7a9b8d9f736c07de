using Helix.Core.Principals;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Helix.Dashboard.Accounts;

/// <summary>At start-up, creates the first admin account from <c>Helix:Dashboard:AdminPassword</c> when no account exists.</summary>
/// <remarks>Registered after the storage initializer, so the schema is migrated when it runs.</remarks>
public sealed partial class DashboardAdminSeeder(UserAccounts accounts, IOptions<DashboardOptions> options, ILogger<DashboardAdminSeeder> logger) : IHostedService
{
    /// <summary>The principal the seeded account's creation is recorded under.</summary>
    public static Principal Configuration { get; } = new("config", "Helix:Dashboard:AdminPassword", PrincipalRole.Admin);

    /// <inheritdoc/>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(options.Value.AdminPassword) || (await accounts.ListAsync(cancellationToken)).Count > 0)
        {
            return;
        }

        if (await accounts.CreateAsync("admin", PrincipalRole.Admin, options.Value.AdminPassword, Configuration, cancellationToken) is not null)
        {
            LogSeeded(logger);
        }
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Dashboard: created the account 'admin' from Helix:Dashboard:AdminPassword.")]
    private static partial void LogSeeded(ILogger logger);
}
