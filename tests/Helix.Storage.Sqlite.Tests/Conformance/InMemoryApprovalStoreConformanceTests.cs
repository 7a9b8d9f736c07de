using Helix.Core.Approvals;
using Helix.Storage.Conformance;
using Helix.Testing;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The approval store contract on the in-memory fake of Helix.Testing.</summary>
public sealed class InMemoryApprovalStoreConformanceTests : ApprovalStoreConformanceTests
{
    protected override Task<(IApprovalStore Store, IAsyncDisposable? Owner)> CreateStoreAsync() =>
        Task.FromResult<(IApprovalStore, IAsyncDisposable?)>((new InMemoryApprovalStore(), null));
}
