using System.Collections.Concurrent;
using Helix.Core.OperationLog;
using Helix.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.OperationLog;

public sealed class OperationLogWriterTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_ManyCallersWhileCommitting_CommitsEveryRowOnceInOneFollowingBatch()
    {
        var store = new InMemoryOperationLogStore();
        var (committing, release, sizes) = HoldFirstCommit(store);
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);

        var first = writer.AppendAsync(Rows("req-0"));
        await committing.WaitAsync(s_wait, Ct);
        var queued = Enumerable.Range(1, 200).Select(i => writer.AppendAsync(Rows($"req-{i}"))).ToArray();

        Assert.All(queued, t => Assert.False(t.IsCompleted));

        release.TrySetResult();
        await Task.WhenAll([first, .. queued]).WaitAsync(s_wait, Ct);

        Assert.Equal([3, 600], sizes);
        Assert.Equal(603, writer.CommittedRows);
        Assert.Equal(2, writer.CommittedBatches);
        var rows = store.Entries;
        Assert.Equal(603, rows.Select(r => (r.RequestId, r.Attempt)).Distinct().Count());
        Assert.All(rows.GroupBy(r => r.RequestId), call => Assert.Equal([1, 2, 3], call.Select(r => r.Attempt)));
    }

    [Fact]
    public async Task OpenAsync_OpensAndRowsQueuedTogether_CommitInOneBatchAndRowsCloseTheirAttempts()
    {
        var store = new InMemoryOperationLogStore();
        var (committing, release, sizes) = HoldFirstCommit(store);
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);

        var first = writer.AppendAsync(TestEntries.Success("req-0"));
        await committing.WaitAsync(s_wait, Ct);
        var opened = new[] { writer.OpenAsync(Open("req-1", 1)), writer.OpenAsync(Open("req-2", 1)) };
        var closing = writer.AppendAsync(TestEntries.Success("req-1"));

        Assert.All(opened, t => Assert.False(t.IsCompleted));

        release.TrySetResult();
        await Task.WhenAll([first, closing, .. opened]).WaitAsync(s_wait, Ct);

        Assert.Equal([1, 1], sizes);
        Assert.Equal(2L, store.Batches);
        Assert.Equal(2, writer.CommittedRows);
        var open = Assert.Single(store.OpenAttempts);
        Assert.Equal(("req-2", 1), (open.RequestId, open.Attempt));
        Assert.Equal(["req-0", "req-1"], store.Entries.Select(r => r.RequestId));
    }

    [Fact]
    public async Task OpenAsync_Alone_IsDurableWhenItCompletes()
    {
        var store = new InMemoryOperationLogStore();
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);

        await writer.OpenAsync(Open("req-1", 3)).WaitAsync(s_wait, Ct);

        Assert.Equal(("req-1", 3), (Assert.Single(store.OpenAttempts).RequestId, store.OpenAttempts[0].Attempt));
        Assert.Empty(store.Entries);
        Assert.Equal(1, writer.CommittedBatches);
    }

    [Fact]
    public async Task AppendAsync_MoreRowsThanBatchLimit_SplitsIntoBatchesOfAtMostTheLimit()
    {
        var store = new InMemoryOperationLogStore();
        var (committing, release, sizes) = HoldFirstCommit(store);
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);

        var first = writer.AppendAsync(TestEntries.Success("req-0"));
        await committing.WaitAsync(s_wait, Ct);
        var queued = Enumerable.Range(1, OperationLogWriter.MaxRowsPerBatch + 100).Select(i => writer.AppendAsync(TestEntries.Success($"req-{i}"))).ToArray();
        release.TrySetResult();
        await Task.WhenAll([first, .. queued]).WaitAsync(s_wait, Ct);

        Assert.Equal([1, OperationLogWriter.MaxRowsPerBatch, 100], sizes);
        Assert.Equal(
            Enumerable.Range(0, OperationLogWriter.MaxRowsPerBatch + 101).Select(i => $"req-{i}"),
            store.Entries.Select(r => r.RequestId));
    }

    [Fact]
    public async Task AppendAsync_StoreFailsTransiently_RetriesUntilDurableAndLosesNothing()
    {
        var time = new FakeTimeProvider(TestEntries.Epoch);
        var store = new InMemoryOperationLogStore();
        var attempts = 0;
        store.OnAppend = (_, _) => ++attempts < OperationLogWriter.FailuresBeforeUnavailable ? throw new IOException("database is locked") : Task.CompletedTask;
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance, time);

        var append = writer.AppendAsync(Rows("req-1"));
        await AdvanceUntilCompletedAsync(time, append);
        await append;

        Assert.Equal(OperationLogWriter.FailuresBeforeUnavailable, attempts);
        Assert.Equal(["req-1", "req-1", "req-1"], store.Entries.Select(r => r.RequestId));
        Assert.Equal(1L, store.Batches);
        Assert.Equal((3L, 1L), (writer.CommittedRows, writer.CommittedBatches));
        Assert.True(writer.IsStoreAvailable);
    }

    [Fact]
    public async Task AppendAsync_StoreStaysDown_FailsCallerFastAndHoldsRowsUntilTheStoreRecovers()
    {
        var time = new FakeTimeProvider(TestEntries.Epoch);
        var attempts = 0;
        var store = new InMemoryOperationLogStore
        {
            OnAppend = (_, _) =>
            {
                attempts++;
                throw new IOException("disk full");
            },
        };
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance, time);

        var append = writer.AppendAsync(Rows("req-1"));
        await AdvanceUntilCompletedAsync(time, append);

        var thrown = await Assert.ThrowsAsync<StoreUnavailableException>(() => append);
        Assert.Equal("disk full", thrown.InnerException?.Message);
        Assert.Equal(OperationLogWriter.FailuresBeforeUnavailable, attempts);
        Assert.False(writer.IsStoreAvailable);
        Assert.Equal(3, writer.HeldRows);
        Assert.Empty(store.Entries);

        store.OnAppend = null;
        await AdvanceUntilAsync(time, () => writer.IsStoreAvailable && store.Entries.Count == 3);

        Assert.Equal(["req-1", "req-1", "req-1"], store.Entries.Select(r => r.RequestId));
        Assert.Equal(0, writer.HeldRows);
        Assert.Equal(3, writer.CommittedRows);
    }

    [Fact]
    public async Task OpenAsync_StoreKnownToFail_FailsAtOnceAndOpensNothing()
    {
        var time = new FakeTimeProvider(TestEntries.Epoch);
        var store = new InMemoryOperationLogStore { OnAppend = (_, _) => throw new IOException("attempt to write a readonly database") };
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance, time);
        var first = writer.OpenAsync(Open("req-1", 1));
        await AdvanceUntilCompletedAsync(time, first);

        var second = writer.OpenAsync(Open("req-2", 1));

        Assert.True(second.IsFaulted);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => first);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => second);
        Assert.Equal(0, writer.HeldRows);

        store.OnAppend = null;
        await AdvanceUntilAsync(time, () => writer.IsStoreAvailable);
        await writer.AppendAsync(TestEntries.Success("req-3")).WaitAsync(s_wait, Ct);

        Assert.Empty(store.OpenAttempts);
        Assert.Equal("req-3", Assert.Single(store.Entries).RequestId);
    }

    [Fact]
    public async Task AppendAsync_RowOfAnAttemptOpenedBeforeTheFailure_ClosesItWithItsUsageOnceTheStoreRecovers()
    {
        var time = new FakeTimeProvider(TestEntries.Epoch);
        var store = new InMemoryOperationLogStore();
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance, time);
        await writer.OpenAsync(Open("req-1", 1)).WaitAsync(s_wait, Ct);
        store.OnAppend = (_, _) => throw new IOException("disk full");

        var append = writer.AppendAsync(TestEntries.Success("req-1"));
        await AdvanceUntilCompletedAsync(time, append);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => append);
        var later = writer.AppendAsync(TestEntries.Success("req-2"));

        Assert.True(later.IsFaulted);
        Assert.Single(store.OpenAttempts);

        store.OnAppend = null;
        await AdvanceUntilAsync(time, () => store.Entries.Count == 2);

        Assert.Empty(store.OpenAttempts);
        Assert.Equal(["req-1", "req-2"], store.Entries.Select(r => r.RequestId));
        Assert.All(store.Entries, r => Assert.True(r.UsageKnown));
    }

    [Fact]
    public async Task ProbeAsync_StoreRefusesWrites_MarksItFailingAndNoticesItsRecoveryWithoutCalls()
    {
        var time = new FakeTimeProvider(TestEntries.Epoch);
        var store = new InMemoryOperationLogStore { OnAppend = (_, _) => throw new IOException("attempt to write a readonly database") };
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance, time);

        var probe = writer.ProbeAsync();
        await AdvanceUntilCompletedAsync(time, probe);

        await Assert.ThrowsAsync<StoreUnavailableException>(() => probe);
        Assert.False(writer.IsStoreAvailable);

        store.OnAppend = null;
        await AdvanceUntilAsync(time, () => writer.IsStoreAvailable);

        await writer.ProbeAsync().WaitAsync(s_wait, Ct);
        Assert.Empty(store.Entries);
        Assert.Equal(0L, store.Batches);
    }

    [Fact]
    public async Task DisposeAsync_StoreStillFailing_GivesUpAfterBoundedTries()
    {
        var time = new FakeTimeProvider(TestEntries.Epoch);
        var store = new InMemoryOperationLogStore { OnAppend = (_, _) => throw new IOException("disk full") };
        var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance, time);
        var append = writer.AppendAsync(Rows("req-1"));
        await AdvanceUntilCompletedAsync(time, append);

        var disposing = writer.DisposeAsync().AsTask();
        await AdvanceUntilCompletedAsync(time, disposing);

        Assert.True(disposing.IsCompletedSuccessfully);
        Assert.Equal(0, writer.HeldRows);
        Assert.Empty(store.Entries);
    }

    [Fact]
    public async Task DisposeAsync_RowsQueued_DrainsThemBeforeReturning()
    {
        var store = new InMemoryOperationLogStore();
        var (committing, release, _) = HoldFirstCommit(store);
        var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);
        var first = writer.AppendAsync(TestEntries.Success("req-1"));
        await committing.WaitAsync(s_wait, Ct);
        var second = writer.AppendAsync(TestEntries.Success("req-2"));

        var disposing = writer.DisposeAsync().AsTask();

        Assert.False(disposing.IsCompleted);

        release.TrySetResult();
        await disposing.WaitAsync(s_wait, Ct);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(["req-1", "req-2"], store.Entries.Select(r => r.RequestId));
    }

    [Fact]
    public async Task AppendAsync_AfterDispose_ThrowsObjectDisposed()
    {
        var store = new InMemoryOperationLogStore();
        var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);
        await writer.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => { _ = writer.AppendAsync(TestEntries.Success("req-1")); });
        Assert.Equal(0L, store.Batches);
    }

    [Fact]
    public async Task AppendAsync_EmptyList_CompletesAtOnceWithoutCommit()
    {
        var commits = 0;
        var store = new InMemoryOperationLogStore
        {
            OnAppend = (_, _) =>
            {
                commits++;
                return Task.CompletedTask;
            },
        };
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);

        var append = writer.AppendAsync([]);

        Assert.True(append.IsCompletedSuccessfully);
        Assert.Equal(0, commits);
    }

    [Fact]
    public async Task AppendAsync_Null_Throws()
    {
        await using var writer = new OperationLogWriter(new InMemoryOperationLogStore(), NullLogger<OperationLogWriter>.Instance);

        Assert.Throws<ArgumentNullException>(() => { _ = writer.AppendAsync((IReadOnlyList<OperationLogEntry>)null!); });
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new OperationLogWriter(null!, NullLogger<OperationLogWriter>.Instance));
        Assert.Throws<ArgumentNullException>(() => new OperationLogWriter(new InMemoryOperationLogStore(), null!));
        Assert.Throws<ArgumentNullException>(() => new OperationLogWriter(new InMemoryOperationLogStore(), NullLogger<OperationLogWriter>.Instance, null!));
    }

    private static OperationLogEntry[] Rows(string requestId) =>
    [
        TestEntries.Failure(requestId, attempt: 1),
        TestEntries.Failure(requestId, attempt: 2),
        TestEntries.Success(requestId, attempt: 3),
    ];

    /// <summary>Holds the first commit until released, so that later appends queue behind it; records each batch's size.</summary>
    [Fact]
    public async Task AppendAsync_IdleWriter_CommitsOnTheCallingThreadBeforeReturning()
    {
        // An unloaded call hands nothing to another thread: queueing work for an idle writer runs its commit in place.
        var store = new InMemoryOperationLogStore();
        var insideCall = new ThreadLocal<bool>();
        var committedInsideCall = 0;
        store.OnAppend = (_, _) =>
        {
            if (insideCall.Value)
            {
                Interlocked.Increment(ref committedInsideCall);
            }

            return Task.CompletedTask;
        };
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);

        var returnedDone = 0;
        for (var i = 0; i < 20; i++)
        {
            insideCall.Value = true;
            var done = writer.AppendAsync(TestEntries.Success($"req-{i}"));
            insideCall.Value = false;
            returnedDone += done.IsCompletedSuccessfully ? 1 : 0;
            await done.WaitAsync(s_wait, Ct);
        }

        // The first call may find the writer not yet waiting (it starts on the thread pool); the calls after it do not.
        Assert.InRange(committedInsideCall, 15, 20);
        Assert.Equal(committedInsideCall, returnedDone);
        Assert.Equal(20, writer.CommittedRows);
    }

    [Fact]
    public async Task AppendAsync_WorkQueuedBehindAnInPlaceCommit_DoesNotHoldTheCallThatStartedIt()
    {
        // The call whose thread runs the writer's loop gets its answer when its own rows are durable, not after every
        // batch queued behind them: with more work waiting, the loop moves to the thread pool.
        var store = new InMemoryOperationLogStore();
        var first = true;
        var queuedDuringFirst = new List<Task>();
        OperationLogWriter? writerRef = null;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        store.OnAppend = (rows, token) =>
        {
            if (rows.Count == 0)
            {
                return Task.CompletedTask; // a probe
            }

            if (first)
            {
                // While the first (in-place) commit runs, other calls queue theirs; the second commit waits.
                first = false;
                for (var i = 1; i <= 3; i++)
                {
                    queuedDuringFirst.Add(writerRef!.AppendAsync(TestEntries.Success($"req-{i}")));
                }

                return Task.CompletedTask;
            }

            // A commit that blocks its thread (SQLite's does, for its fsync): it must not be the first call's thread.
            release.Task.Wait(s_wait, token);
            return Task.CompletedTask;
        };
        await using var writer = new OperationLogWriter(store, NullLogger<OperationLogWriter>.Instance);
        writerRef = writer;
        await writer.ProbeAsync().WaitAsync(s_wait, Ct);

        var call = Task.Factory.StartNew(() => writer.AppendAsync(TestEntries.Success("req-0")), Ct, TaskCreationOptions.None, TaskScheduler.Default);
        var returned = await call.WaitAsync(s_wait, Ct);

        await returned.WaitAsync(s_wait, Ct);
        Assert.All(queuedDuringFirst, t => Assert.False(t.IsCompleted));
        release.TrySetResult();
        await Task.WhenAll(queuedDuringFirst).WaitAsync(s_wait, Ct);
        Assert.Equal(4, writer.CommittedRows);
    }

    private static (Task Committing, TaskCompletionSource Release, ConcurrentQueue<int> BatchSizes) HoldFirstCommit(InMemoryOperationLogStore store)
    {
        var committing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sizes = new ConcurrentQueue<int>();
        store.OnAppend = (rows, _) =>
        {
            sizes.Enqueue(rows.Count);
            committing.TrySetResult();
            return release.Task;
        };
        return (committing.Task, release, sizes);
    }

    private static async Task AdvanceUntilCompletedAsync(FakeTimeProvider time, Task task)
    {
        for (var i = 0; i < 10_000 && !task.IsCompleted; i++)
        {
            time.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(1, Ct);
        }

        Assert.True(task.IsCompleted, "The writer did not finish within 10,000 retry intervals.");
    }

    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> condition)
    {
        for (var i = 0; i < 10_000 && !condition(); i++)
        {
            time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, Ct);
        }

        Assert.True(condition(), "The condition did not hold within 10,000 retry intervals.");
    }

    private static OpenAttempt Open(string requestId, int attempt) => new()
    {
        RequestId = requestId,
        Attempt = attempt,
        Timestamp = TestEntries.Epoch,
        Operation = "chat",
        Principal = "app:test",
        Provider = "deepseek",
        Model = "deepseek/deepseek-v4-flash",
        EstimatedCostUsd = 0.001m,
    };
}
