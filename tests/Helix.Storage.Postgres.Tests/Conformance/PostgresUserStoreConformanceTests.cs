using Helix.Core.Accounts;
using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The account store contract on PostgreSQL, over a fresh migrated database.</summary>
public sealed class PostgresUserStoreConformanceTests : UserStoreConformanceTests
{
    protected override async Task<(IUserStore Store, IAsyncDisposable? Owner)> CreateStoreAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return (new PostgresUserStore(test.Database), test);
    }
}
