using Helix.Core.Principals;
using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The key store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteKeyStoreConformanceTests : KeyStoreConformanceTests
{
    protected override async Task<(IKeyStore Store, IAsyncDisposable? Owner)> CreateStoreAsync()
    {
        var test = await TestDatabase.CreateAsync();
        return (new SqliteKeyStore(test.Database), test);
    }
}
