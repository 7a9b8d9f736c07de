using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The store contract on SQLite, over a migrated database file in a temporary directory.</summary>
public sealed class SqliteStoreConformanceTests : StoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoresAsync()
    {
        var test = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(test.Database);
        return new StoreUnderTest(new SqliteRouteStore(test.Database), log, new SqlitePriceStore(test.Database), new Owner(test, log));
    }

    private sealed class Owner(TestDatabase database, SqliteOperationLogStore log) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            log.Dispose();
            return database.DisposeAsync();
        }
    }
}
