using Helix.Core.Feedback;
using Helix.Core.OperationLog;
using Helix.Storage.Conformance;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The feedback store contract on PostgreSQL, over a fresh migrated database.</summary>
public sealed class PostgresFeedbackStoreConformanceTests : FeedbackStoreConformanceTests
{
    protected override async Task<(IFeedbackStore Feedback, IOperationLogStore Log, IAsyncDisposable? Owner)> CreateStoresAsync()
    {
        var test = await PostgresTestDatabase.CreateAsync();
        return (new PostgresFeedbackStore(test.Database), new PostgresOperationLogStore(test.Database), test);
    }
}
