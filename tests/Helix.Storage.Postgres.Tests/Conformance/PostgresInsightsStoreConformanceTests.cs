using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The insights contract on PostgreSQL (charts from the rollups of migration 0014), over a fresh migrated database.</summary>
/// <remarks>No feedback store on PostgreSQL in this branch yet: the quality case is skipped until one is passed here.</remarks>
public sealed class PostgresInsightsStoreConformanceTests : InsightsStoreConformanceTests
{
    protected override async Task<InsightsStoresUnderTest> CreateStoresAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return new InsightsStoresUnderTest(new PostgresInsightsStore(test.Database), new PostgresOperationLogStore(test.Database), null, test);
    }
}
