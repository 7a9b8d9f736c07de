using Helix.Core.Estimation;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Testing;
using Xunit;
using static Helix.Core.Tests.Pipeline.OperationPipelineTests;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.Pipeline;

/// <summary>Reserve before the call, settle after: each attempt is journalled as open before its provider is called.</summary>
public sealed class OpenAttemptJournalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompleteChatAsync_ProviderCalled_OpenAttemptIsDurableBeforeAndClosedAfter()
    {
        await using var h = await CreateAsync();
        var body = Body(maxTokens: 256);
        var estimate = ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(body));
        IReadOnlyList<OpenAttempt>? openDuringCall = null;
        h.Alpha.OnComplete = (_, _) =>
        {
            openDuringCall = h.Store.OpenAttempts;
            return Task.FromResult(ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(estimate.InputTokens, 20)));
        };

        Succeeded(await h.Pipeline.CompleteChatAsync(Request(), body, Ct));

        var open = Assert.Single(openDuringCall!);
        Assert.Equal(("req-1", 1, "chat", "app:billing", "user-42"), (open.RequestId, open.Attempt, open.Operation, open.Principal, open.User));
        Assert.Equal(("alpha", "alpha/a-1", false), (open.Provider, open.Model, open.Streamed));
        Assert.Equal(TestEntries.Epoch, open.Timestamp);
        Assert.Equal(A1Cost(estimate.InputTokens, 256), open.EstimatedCostUsd);
        Assert.Empty(h.Store.OpenAttempts);
        Assert.Equal(AttemptStatus.Success, Assert.Single(h.Store.Entries).Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task CompleteChatAsync_RecordCommitHeld_OnlyAProviderThatHoldsItsRequestIsCalled_AndNothingEndsBeforeTheCommit(bool holds)
    {
        await using var h = await CreateAsync();
        var commit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.OnAppend = async (entries, _) =>
        {
            if (entries.Count == 0)
            {
                await commit.Task;
            }
        };
        var called = new TaskCompletionSource<ChatCall>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Alpha.HoldsRequestForRecord = holds;
        h.Alpha.OnComplete = async (call, ct) =>
        {
            called.TrySetResult(call);
            await call.RecordCommitted.WaitAsync(ct);
            return ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(10, 5));
        };

        var overlapping = new OperationPipeline(
            new PipelineServices(h.Routes, h.Providers, h.Costs, h.Log, h.Circuits, h.Resilience, h.Alerts, h.Time) { OverlapRecordCommit = true },
            b => OperationPipeline.UseDefaultSteps(b));
        var pending = overlapping.CompleteChatAsync(Request(), Body(), Ct);
        await Task.WhenAny(called.Task, Task.Delay(TimeSpan.FromMilliseconds(300), Ct));

        Assert.Equal(holds, called.Task.IsCompleted);
        Assert.False(pending.IsCompleted);
        Assert.Empty(h.Store.OpenAttempts);
        Assert.Empty(h.Store.Entries);
        if (holds)
        {
            Assert.False((await called.Task).RecordCommitted.IsCompleted);
        }

        commit.SetResult();
        Succeeded(await pending);

        Assert.True((await called.Task).RecordCommitted.IsCompletedSuccessfully);
        Assert.Equal(AttemptStatus.Success, Assert.Single(h.Store.Entries).Status);
        Assert.Empty(h.Store.OpenAttempts);
    }

    [Fact]
    public async Task CompleteChatAsync_RetriedAttempts_EachIsOpenedBeforeItsCallAndAllAreClosed()
    {
        await using var h = await CreateAsync();
        var seen = new List<int>();
        var answers = FakeChatProvider.Sequence(ServerError(), ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(100, 10)));
        h.Alpha.OnComplete = (call, ct) =>
        {
            seen.Add(h.Store.OpenAttempts.Max(a => a.Attempt));
            return answers(call, ct);
        };

        Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal([1, 2], seen);
        Assert.Empty(h.Store.OpenAttempts);
        Assert.Equal(2, h.Store.Entries.Count);
    }

    [Fact]
    public async Task StreamChatAsync_WhileStreaming_AttemptStaysOpenUntilTheStreamIsSettled()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnStream = FakeChatProvider.Answer(new FakeChatStream("Hello", " world"));

        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        var open = Assert.Single(h.Store.OpenAttempts);
        Assert.True(open.Streamed);
        await foreach (var _ in outcome.ReadAsync(Ct))
        {
        }

        Assert.Empty(h.Store.OpenAttempts);
        Assert.Equal(AttemptStatus.Success, Assert.Single(h.Store.Entries).Status);
    }

    [Fact]
    public async Task RecoverOpenAttemptsAsync_AttemptLeftOpen_BecomesInterruptedRowAtItsWorstCase()
    {
        var store = new InMemoryOperationLogStore();
        await store.AppendAsync([], [Open("req-9", 1, 0.0125m), Open("req-9", 2, null)], Ct);

        var recovered = await store.RecoverOpenAttemptsAsync(TestEntries.Epoch.AddMinutes(1), Ct);

        Assert.Equal(2, recovered);
        Assert.Empty(store.OpenAttempts);
        Assert.Collection(
            store.Entries,
            priced =>
            {
                Assert.Equal((AttemptStatus.Interrupted, OpenAttempt.InterruptedCode, false), (priced.Status, priced.ErrorCode, priced.UsageKnown));
                Assert.Equal((CostStatus.Estimated, 0.0125m, 0.0125m), (priced.CostStatus, priced.CostUsd, priced.EstimatedCostUsd));
                Assert.Contains("process stopped", priced.CostReason, StringComparison.Ordinal);
            },
            unpriced =>
            {
                Assert.Equal((AttemptStatus.Interrupted, 2), (unpriced.Status, unpriced.Attempt));
                Assert.Equal(CostStatus.Unpriced, unpriced.CostStatus);
                Assert.Null(unpriced.CostUsd);
            });
    }

    private static OpenAttempt Open(string requestId, int attempt, decimal? estimate) => new()
    {
        RequestId = requestId,
        Attempt = attempt,
        Timestamp = TestEntries.Epoch,
        Operation = "chat",
        Principal = "app:billing",
        Provider = "alpha",
        Model = "alpha/a-1",
        EstimatedCostUsd = estimate,
    };
}
