using Helix.Core.Budgets;
using Helix.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Listens on <see cref="PostgresChangeChannel"/> and reloads what another instance changed, within a moment of its commit.</summary>
/// <remarks>
/// One dedicated connection runs <c>LISTEN</c>; a notice naming routes reloads the route table, prices the price book,
/// budgets the budget ledger, toggles the toggle table, keys the key directory (a revoked key is refused at once),
/// approvals the routes' approval policies, experiments the experiment table. A lost connection is reopened after a pause and everything is reloaded then (notices
/// sent meanwhile are lost); the TTL reload of <see cref="HelixRefreshService"/> remains the safety net.
/// The reloads are resolved lazily, so a host without budgets (or without Helix) still listens.
/// </remarks>
internal sealed partial class PostgresChangeListener(PostgresDatabase database, IServiceProvider services, ILogger<PostgresChangeListener> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reconnect = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                HashSet<string> pending = [];
                connection.Notification += (_, e) =>
                {
                    lock (pending)
                    {
                        pending.Add(e.Payload);
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeChannel.Name}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (reconnect)
                {
                    // Notices sent while the connection was down are gone: catch up on everything.
                    await ReloadAsync([PostgresChangeChannel.Routes, PostgresChangeChannel.Prices, PostgresChangeChannel.Budgets, PostgresChangeChannel.Toggles,
                        PostgresChangeChannel.Keys, PostgresChangeChannel.Approvals, PostgresChangeChannel.Experiments], stoppingToken);
                }

                reconnect = true;
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                    string[] changed;
                    lock (pending)
                    {
                        changed = [.. pending];
                        pending.Clear();
                    }

                    await ReloadAsync(changed, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogListenFailed(logger, ex);
                await Task.Delay(TimeSpan.FromSeconds(1), database.TimeProvider, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task ReloadAsync(string[] changed, CancellationToken cancellationToken)
    {
        if (changed.Contains(PostgresChangeChannel.Routes) && services.GetService<Core.Routing.RouteTable>() is { } routes)
        {
            await routes.ReloadAsync(cancellationToken);
        }

        if (changed.Contains(PostgresChangeChannel.Prices) && services.GetService<HelixInitializer>() is { } initializer)
        {
            await initializer.ReloadPricesAsync(cancellationToken);
        }

        if (changed.Contains(PostgresChangeChannel.Budgets) && services.GetService<BudgetService>() is { } budgets)
        {
            await budgets.ReloadAsync(cancellationToken);
        }

        if (changed.Contains(PostgresChangeChannel.Toggles) && services.GetService<Core.Toggles.ToggleTable>() is { } toggles)
        {
            await toggles.ReloadAsync(cancellationToken);
        }

        if (changed.Contains(PostgresChangeChannel.Keys) && services.GetService<Core.Principals.KeyDirectory>() is { } keys)
        {
            await keys.ReloadAsync(cancellationToken);
        }

        if (changed.Contains(PostgresChangeChannel.Approvals) && services.GetService<Core.Approvals.ApprovalPolicyTable>() is { } approvals)
        {
            await approvals.ReloadAsync(cancellationToken);
        }

        if (changed.Contains(PostgresChangeChannel.Experiments) && services.GetService<Core.Experiments.ExperimentTable>() is { } experiments)
        {
            await experiments.ReloadAsync(cancellationToken);
        }

        if (changed.Length > 0)
        {
            LogReloaded(logger, string.Join(", ", changed));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for changes made by other instances failed; retrying (the periodic reload still runs).")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Reloaded after a change made through another instance: {Changed}.")]
    private static partial void LogReloaded(ILogger logger, string changed);
}
