using Helix.Storage.Sqlite;

namespace Helix.Gateway;

/// <summary>Brings the database schema up to date before anything reads it.</summary>
/// <remarks>Registered before the Helix services so that it starts first; a failed migration stops start-up.</remarks>
internal sealed class StorageInitializer(SqliteDatabase database) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => database.InitializeAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
