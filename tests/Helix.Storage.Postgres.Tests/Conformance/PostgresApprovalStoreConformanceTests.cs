using Helix.Core.Approvals;
using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The approval store contract on PostgreSQL, over a fresh migrated database; concurrent retries come from two instances' stores.</summary>
public sealed class PostgresApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    private PostgresTestDatabase? _test;

    protected override async Task<(IApprovalStore Store, IAsyncDisposable? Owner)> CreateStoreAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        return (new PostgresApprovalStore(_test.Database), _test);
    }

    protected override IApprovalStore OtherInstance(IApprovalStore store) =>
        new PostgresApprovalStore((_test ?? throw new InvalidOperationException("The store is created in InitializeAsync.")).Open("other-instance"));
}
