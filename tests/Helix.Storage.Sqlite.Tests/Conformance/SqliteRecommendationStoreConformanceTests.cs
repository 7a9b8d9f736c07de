using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The recommendation store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteRecommendationStoreConformanceTests : RecommendationStoreConformanceTests
{
    protected override async Task<IntelligenceStoresUnderTest> CreateStoresAsync()
    {
        var test = await TestDatabase.CreateAsync();
        return new IntelligenceStoresUnderTest(new SqliteExperimentStore(test.Database), new SqliteRecommendationStore(test.Database), test);
    }
}
