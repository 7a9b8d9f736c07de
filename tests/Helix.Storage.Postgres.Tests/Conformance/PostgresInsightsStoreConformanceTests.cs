using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The insights contract on PostgreSQL (charts from the rollups of migration 0014), over a fresh migrated database.</summary>
public sealed class PostgresInsightsStoreConformanceTests : InsightsStoreConformanceTests
{
    protected override async Task<InsightsStoresUnderTest> CreateStoresAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return new InsightsStoresUnderTest(new PostgresInsightsStore(test.Database), new PostgresOperationLogStore(test.Database), new PostgresFeedbackStore(test.Database), test);
    }
}
