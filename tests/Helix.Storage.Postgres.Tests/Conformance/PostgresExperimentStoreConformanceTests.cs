using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The experiment store contract on PostgreSQL, over a fresh migrated database.</summary>
public sealed class PostgresExperimentStoreConformanceTests : ExperimentStoreConformanceTests
{
    protected override async Task<IntelligenceStoresUnderTest> CreateStoresAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return new IntelligenceStoresUnderTest(new PostgresExperimentStore(test.Database), new PostgresRecommendationStore(test.Database), test);
    }
}
