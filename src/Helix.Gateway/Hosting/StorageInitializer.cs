using Helix.Core.OperationLog;
using Helix.Storage.Sqlite;

namespace Helix.Gateway.Hosting;

/// <summary>Brings the database schema up to date, then settles the attempts a dead process left open, before anything reads it.</summary>
/// <remarks>Registered before the Helix services so that it starts first; a failed migration or recovery stops start-up.</remarks>
/// <remarks>
/// SQLite is migrated here; PostgreSQL is migrated earlier, in its own start-up step (under an advisory lock shared by
/// every instance), so only recovery is left for it.
/// </remarks>
internal sealed class StorageInitializer(IServiceProvider services, OpenAttemptRecovery recovery) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (services.GetService<SqliteDatabase>() is { } database)
        {
            await database.InitializeAsync(cancellationToken);
        }
        await recovery.RecoverAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
