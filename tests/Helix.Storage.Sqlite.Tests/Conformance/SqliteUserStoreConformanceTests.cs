using Helix.Core.Accounts;
using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The account store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteUserStoreConformanceTests : UserStoreConformanceTests
{
    protected override async Task<(IUserStore Store, IAsyncDisposable? Owner)> CreateStoreAsync()
    {
        var test = await TestDatabase.CreateAsync();
        return (new SqliteUserStore(test.Database), test);
    }
}
