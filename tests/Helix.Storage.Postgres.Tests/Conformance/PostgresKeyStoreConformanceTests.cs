using Helix.Core.Principals;
using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The key store contract on PostgreSQL, over a fresh migrated database.</summary>
public sealed class PostgresKeyStoreConformanceTests : KeyStoreConformanceTests
{
    protected override async Task<(IKeyStore Store, IAsyncDisposable? Owner)> CreateStoreAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return (new PostgresKeyStore(test.Database), test);
    }
}
