namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>Disposes a test's log store, then its database.</summary>
internal sealed class SqliteOwner(TestDatabase database, SqliteOperationLogStore log) : IAsyncDisposable
{
    public ValueTask DisposeAsync()
    {
        log.Dispose();
        return database.DisposeAsync();
    }
}
