using Helix.Core.Principals;
using Helix.Storage.Conformance;
using Helix.Testing;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The key store contract on the in-memory fake of Helix.Testing.</summary>
public sealed class InMemoryKeyStoreConformanceTests : KeyStoreConformanceTests
{
    protected override Task<(IKeyStore Store, IAsyncDisposable? Owner)> CreateStoreAsync() =>
        Task.FromResult<(IKeyStore, IAsyncDisposable?)>((new InMemoryKeyStore(), null));
}
