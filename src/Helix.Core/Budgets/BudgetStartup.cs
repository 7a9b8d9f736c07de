using Microsoft.Extensions.Hosting;

namespace Helix.Core.Budgets;

/// <summary>Loads the budgets and rebuilds their spend at start-up, before calls are served.</summary>
/// <remarks>Register it after the storage's migrations and open-attempt recovery; a failure stops start-up.</remarks>
public sealed class BudgetStartup(BudgetService budgets) : IHostedService
{
    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => budgets.InitializeAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
