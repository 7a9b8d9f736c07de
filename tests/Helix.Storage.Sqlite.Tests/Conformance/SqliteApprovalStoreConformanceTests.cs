using Helix.Core.Approvals;
using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The approval store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    protected override async Task<(IApprovalStore Store, IAsyncDisposable? Owner)> CreateStoreAsync()
    {
        var test = await TestDatabase.CreateAsync();
        return (new SqliteApprovalStore(test.Database), test);
    }
}
