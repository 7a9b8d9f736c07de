using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The store contract on PostgreSQL, over a fresh migrated database.</summary>
public sealed class PostgresStoreConformanceTests : StoreConformanceTests
{
    protected override long TimestampResolutionTicks => TimeSpan.TicksPerMicrosecond;

    protected override async Task<StoreUnderTest> CreateStoresAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return new StoreUnderTest(new PostgresRouteStore(test.Database), new PostgresOperationLogStore(test.Database), new PostgresPriceStore(test.Database), test);
    }
}
