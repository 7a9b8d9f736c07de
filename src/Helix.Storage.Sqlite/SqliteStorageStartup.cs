using Microsoft.Extensions.Hosting;

namespace Helix.Storage.Sqlite;

/// <summary>Brings the SQLite schema up to date as the host starts, before any hosted service reads the store.</summary>
/// <remarks>
/// Runs in <see cref="IHostedLifecycleService.StartingAsync"/>, which the host calls for every service before any
/// <see cref="IHostedService.StartAsync"/>, so the Helix services that load routes and prices find the schema
/// migrated whatever the registration order. A failed migration stops start-up.
/// </remarks>
internal sealed class SqliteStorageStartup(SqliteDatabase database) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => database.InitializeAsync(cancellationToken);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
