using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The insights contract on SQLite (charts from the rollups of migration 0013), over a migrated database file.</summary>
public sealed class SqliteInsightsStoreConformanceTests : InsightsStoreConformanceTests
{
    protected override async Task<InsightsStoresUnderTest> CreateStoresAsync()
    {
        var test = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(test.Database);
        return new InsightsStoresUnderTest(new SqliteInsightsStore(test.Database), log, new SqliteFeedbackStore(test.Database), new Owner(test, log));
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
