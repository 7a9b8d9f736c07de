using Microsoft.Extensions.Hosting;

namespace Helix.Storage.Postgres;

/// <summary>Migrates the schema and takes this instance's lease as the host starts, before any service reads the store.</summary>
/// <remarks>
/// Runs in <see cref="IHostedLifecycleService.StartingAsync"/>, which the host calls for every service before any
/// <see cref="IHostedService.StartAsync"/>, so routes, prices and budgets load from a migrated schema, and open
/// attempts are recovered (by the host's recovery step) while this instance's lease is already held. A failed
/// migration stops start-up.
/// </remarks>
internal sealed class PostgresStorageStartup(PostgresDatabase database, PostgresStorageOptions options, PostgresInstanceLease lease) : IHostedLifecycleService
{
    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (options.Migrate)
        {
            await database.InitializeAsync(cancellationToken);
        }
        else if (await database.Migrator.GetCurrentVersionAsync(cancellationToken) < PostgresMigrator.LatestVersion)
        {
            throw new PostgresSchemaException(
                $"The database at '{database.Description}' is not migrated to version {PostgresMigrator.LatestVersion} and Helix:Storage:Migrate is false: run 'helix db migrate --connection \"…\"' first.");
        }

        await lease.RenewAsync(cancellationToken);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
