using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The budget, alert and spend contract on PostgreSQL (spend read from the hourly rollups), over a fresh migrated database.</summary>
public sealed class PostgresBudgetStoreConformanceTests : BudgetStoreConformanceTests
{
    protected override async Task<BudgetStoresUnderTest> CreateStoresAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return new BudgetStoresUnderTest(new PostgresBudgetStore(test.Database), new PostgresAlertStore(test.Database), new PostgresOperationLogStore(test.Database), test);
    }
}
