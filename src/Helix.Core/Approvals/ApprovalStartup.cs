using Microsoft.Extensions.Hosting;

namespace Helix.Core.Approvals;

/// <summary>Loads the routes' approval policies into memory before the first call (a failure stops start-up).</summary>
public sealed class ApprovalStartup : IHostedService
{
    private readonly ApprovalPolicyTable _policies;

    /// <summary>Creates the start-up step.</summary>
    public ApprovalStartup(ApprovalPolicyTable policies)
    {
        ArgumentNullException.ThrowIfNull(policies);
        _policies = policies;
    }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken) => _policies.ReloadAsync(cancellationToken);

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
