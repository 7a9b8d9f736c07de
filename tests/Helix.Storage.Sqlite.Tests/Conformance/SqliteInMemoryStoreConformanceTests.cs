using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The store contract on an in-memory shared-cache SQLite database, as the gateway's tests use it.</summary>
public sealed class SqliteInMemoryStoreConformanceTests : StoreConformanceTests
{
    protected override async Task<StoreUnderTest> CreateStoresAsync()
    {
        var database = new SqliteDatabase($"Data Source=file:conformance-{Guid.NewGuid():N}?mode=memory&cache=shared");
        await database.InitializeAsync(Ct);
        return new StoreUnderTest(new SqliteRouteStore(database), new SqliteOperationLogStore(database), new SqlitePriceStore(database), database);
    }
}
