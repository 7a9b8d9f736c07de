using Helix.Testing;

using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The budget store contract on the in-memory fakes of Helix.Testing.</summary>
public sealed class InMemoryBudgetStoreConformanceTests : BudgetStoreConformanceTests
{
    protected override Task<BudgetStoresUnderTest> CreateStoresAsync()
    {
        var log = new InMemoryOperationLogStore();
        return Task.FromResult(new BudgetStoresUnderTest(new InMemoryBudgetStore(log), new InMemoryAlertStore(), log));
    }
}
