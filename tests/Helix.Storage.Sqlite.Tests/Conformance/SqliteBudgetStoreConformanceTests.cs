using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The budget store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteBudgetStoreConformanceTests : BudgetStoreConformanceTests
{
    protected override async Task<BudgetStoresUnderTest> CreateStoresAsync()
    {
        var test = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(test.Database);
        return new BudgetStoresUnderTest(new SqliteBudgetStore(test.Database), new SqliteAlertStore(test.Database), log, new Owner(test, log));
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
