using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The experiment store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteExperimentStoreConformanceTests : ExperimentStoreConformanceTests
{
    protected override async Task<IntelligenceStoresUnderTest> CreateStoresAsync()
    {
        var test = await TestDatabase.CreateAsync();
        return new IntelligenceStoresUnderTest(new SqliteExperimentStore(test.Database), new SqliteRecommendationStore(test.Database), test);
    }
}
