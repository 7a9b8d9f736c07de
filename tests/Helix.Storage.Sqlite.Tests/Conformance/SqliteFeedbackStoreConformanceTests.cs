using Helix.Core.Feedback;
using Helix.Core.OperationLog;
using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The feedback store contract on SQLite, over a migrated database file.</summary>
public sealed class SqliteFeedbackStoreConformanceTests : FeedbackStoreConformanceTests
{
    protected override async Task<(IFeedbackStore Feedback, IOperationLogStore Log, IAsyncDisposable? Owner)> CreateStoresAsync()
    {
        var test = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(test.Database);
        return (new SqliteFeedbackStore(test.Database), log, new SqliteOwner(test, log));
    }
}
