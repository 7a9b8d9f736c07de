using Helix.Core.OperationLog;
using Helix.Storage.Sqlite;

namespace Helix.Gateway.Hosting;

/// <summary>Brings the database schema up to date, then settles the attempts a dead process left open, before anything reads it.</summary>
/// <remarks>Registered before the Helix services so that it starts first; a failed migration or recovery stops start-up.</remarks>
internal sealed class StorageInitializer(SqliteDatabase database, OpenAttemptRecovery recovery) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await database.InitializeAsync(cancellationToken);
        await recovery.RecoverAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
