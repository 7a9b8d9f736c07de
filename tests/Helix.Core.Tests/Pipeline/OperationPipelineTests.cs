using Helix.Core.Estimation;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Testing;
using Xunit;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.Pipeline;

public sealed class OperationPipelineTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CompleteChatAsync_ProviderAnswers_PricesFromUsageAndLogsOneSuccessRow()
    {
        await using var h = await CreateAsync();
        var body = Body(maxTokens: 256);
        var estimate = ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(body));
        h.Alpha.OnComplete = (_, _) =>
        {
            h.Time.Advance(TimeSpan.FromMilliseconds(250));
            return Task.FromResult(ProviderResult<ChatCompletion>.Success(
                FakeChatProvider.Completion(estimate.InputTokens, 200, providerRequestId: "chatcmpl-1")));
        };

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), body, Ct));

        var expectedCost = A1Cost(estimate.InputTokens, 200);
        Assert.Equal("req-1", outcome.RequestId);
        Assert.Equal("chat", outcome.Operation);
        Assert.Equal(A1, outcome.Model);
        Assert.Equal(1, outcome.Attempts);
        Assert.Equal(CostStatus.Priced, outcome.Cost.Status);
        Assert.Equal(expectedCost, outcome.Cost.TotalUsd);
        var call = Assert.Single(h.Alpha.Calls);
        Assert.Equal(body.ToJsonString(), call.Request.ToJsonObject().ToJsonString());
        Assert.Equal(A1, call.Model);
        Assert.Equal("req-1", call.RequestId);
        Assert.Empty(h.Beta.Calls);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal("req-1", row.RequestId);
        Assert.Equal(TestEntries.Epoch, row.Timestamp);
        Assert.Equal("chat", row.Operation);
        Assert.Equal("app:billing", row.Principal);
        Assert.Equal("user-42", row.User);
        Assert.Equal("alpha", row.Provider);
        Assert.Equal("alpha/a-1", row.Model);
        Assert.Equal(1, row.Attempt);
        Assert.Equal(AttemptStatus.Success, row.Status);
        Assert.Null(row.ErrorCode);
        Assert.Equal(250, row.LatencyMs);
        Assert.False(row.Streamed);
        Assert.True(row.UsageKnown);
        Assert.Equal(estimate.InputTokens, row.Meters.InputTokens);
        Assert.Equal(200, row.Meters.OutputTokens);
        Assert.Equal(expectedCost, row.CostUsd);
        Assert.Equal(CostStatus.Priced, row.CostStatus);
        Assert.Equal(PriceSource, row.PriceSource);
        Assert.Equal(PriceDate, row.PriceSourceDate);
        Assert.Equal("chatcmpl-1", row.ProviderRequestId);
        Assert.Equal(A1Cost(estimate.InputTokens, 256), row.EstimatedCostUsd);
        Assert.True(row.EstimatedCostUsd > row.CostUsd);
        Assert.Empty(h.Alerts.Recent);
    }

    [Fact]
    public async Task CompleteChatAsync_UnknownOperation_ReturnsUnknownOperationAndLogsNothing()
    {
        await using var h = await CreateAsync();

        var result = await h.Pipeline.CompleteChatAsync(Request("translate"), Body(), Ct);

        var error = Failed(result);
        Assert.Equal("unknown_operation", error.Code);
        Assert.Equal(404, error.StatusCode);
        Assert.Contains("'translate'", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Alpha.Calls);
        Assert.Equal(0L, h.Store.Batches);
    }

    [Fact]
    public async Task CompleteChatAsync_DisabledRoute_ReturnsOperationDisabled()
    {
        await using var h = await CreateAsync(null, Route("chat", A1.Id) with { Enabled = false });

        var result = await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);

        var error = Failed(result);
        Assert.Equal("operation_disabled", error.Code);
        Assert.Equal(403, error.StatusCode);
        Assert.Empty(h.Alpha.Calls);
        Assert.Equal(0L, h.Store.Batches);
    }

    [Fact]
    public async Task CompleteChatAsync_RouteMakesEmbeddings_ReturnsModalityMismatch()
    {
        await using var h = await CreateAsync(null, Route("embed", E1.Id) with { Modality = Modality.Embeddings });

        var result = await h.Pipeline.CompleteChatAsync(Request("embed"), Body(), Ct);

        var error = Failed(result);
        Assert.Equal("operation_modality_mismatch", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Empty(h.Alpha.Calls);
    }

    [Fact]
    public async Task CompleteChatAsync_ServerErrorThenSuccess_LogsFailedThenSuccessOnSameModel()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Sequence(
            ServerError(), ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(100, 10)));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(A1, outcome.Model);
        Assert.Equal(2, h.Alpha.Calls.Count);
        Assert.Empty(h.Beta.Calls);
        Assert.Collection(
            h.Store.Entries,
            failed =>
            {
                Assert.Equal((1, AttemptStatus.Failed, "alpha/a-1"), (failed.Attempt, failed.Status, failed.Model));
                Assert.Equal("upstream_server_error", failed.ErrorCode);
                Assert.Equal(503, failed.HttpStatus);
                Assert.Equal(CostStatus.NotBilled, failed.CostStatus);
                Assert.Equal(0m, failed.CostUsd);
                Assert.False(failed.UsageKnown);
            },
            success =>
            {
                Assert.Equal((2, AttemptStatus.Success, "alpha/a-1"), (success.Attempt, success.Status, success.Model));
                Assert.Equal(A1Cost(100, 10), success.CostUsd);
            });

        // Each attempt's open record is its own commit before the provider is called, and its row its own commit
        // when that attempt ends: a failed attempt's row does not wait for the call (nor hold a reservation through it).
        Assert.Equal(4L, h.Store.Batches);
        Assert.Empty(h.Store.OpenAttempts);
    }

    [Fact]
    public async Task CompleteChatAsync_PrimaryFailsEveryRetry_FallbackAnswers()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 2 });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());
        h.Beta.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(100, 10));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(B1, outcome.Model);
        Assert.Equal(4, outcome.Attempts);
        Assert.Equal(3, h.Alpha.Calls.Count);
        Assert.Equal(B1, Assert.Single(h.Beta.Calls).Model);
        Assert.Equal(
            [(1, "alpha/a-1", AttemptStatus.Failed), (2, "alpha/a-1", AttemptStatus.Failed), (3, "alpha/a-1", AttemptStatus.Failed), (4, "beta/b-1", AttemptStatus.Success)],
            h.Store.Entries.Select(r => (r.Attempt, r.Model, r.Status)));
        Assert.All(h.Store.Entries, r => Assert.Equal("req-1", r.RequestId));
        Assert.Equal((100 * 2m + 10 * 8m) / 1_000_000m, h.Store.Entries[^1].CostUsd);
    }

    [Fact]
    public async Task CompleteChatAsync_QuotaExhausted_FallsBackWithoutRetrying()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 2 });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(new ProviderError(ProviderErrorKind.QuotaExhausted, "out of credit", 429));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(B1, outcome.Model);
        Assert.Single(h.Alpha.Calls);
        Assert.Equal("upstream_quota_exhausted", h.Store.Entries[0].ErrorCode);
        Assert.False(h.Circuits.For(A1.Id).IsOpen);
    }

    [Fact]
    public async Task CompleteChatAsync_InvalidRequest_ReturnsInvalidRequestWithoutFallback()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(new ProviderError(ProviderErrorKind.InvalidRequest, "messages must not be empty", 400));

        var result = await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);

        var error = Failed(result);
        Assert.Equal("invalid_request", error.Code);
        Assert.Equal(400, error.StatusCode);
        Assert.Contains("messages must not be empty", error.Message, StringComparison.Ordinal);
        Assert.Single(h.Alpha.Calls);
        Assert.Empty(h.Beta.Calls);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "upstream_invalid_request", 400), (row.Status, row.ErrorCode, row.HttpStatus));
    }

    [Fact]
    public async Task CompleteChatAsync_EveryModelFails_ReturnsUpstreamUnavailableWithEveryAttemptLogged()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 2 });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());
        h.Beta.OnComplete = FakeChatProvider.Fail<ChatCompletion>(new ProviderError(ProviderErrorKind.Network, "connection reset"));

        var result = await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);

        var error = Failed(result);
        Assert.Equal("upstream_unavailable", error.Code);
        Assert.Equal(502, error.StatusCode);
        Assert.Contains("6 attempt(s)", error.Message, StringComparison.Ordinal);
        Assert.Contains("connection reset", error.Message, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3, 4, 5, 6], h.Store.Entries.Select(r => r.Attempt));
        Assert.Equal(
            ["upstream_server_error", "upstream_server_error", "upstream_server_error", "upstream_network_error", "upstream_network_error", "upstream_network_error"],
            h.Store.Entries.Select(r => r.ErrorCode));
        Assert.All(h.Store.Entries, r => Assert.Equal(CostStatus.NotBilled, r.CostStatus));
    }

    [Fact]
    public async Task CompleteChatAsync_RetryAfterWithinLimit_WaitsThenRetriesSameModel()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(10) });
        h.Alpha.OnComplete = FakeChatProvider.Sequence(
            RateLimited(TimeSpan.FromSeconds(2)), ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(100, 10)));

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);

        // Each attempt first awaits its open record's commit on the writer's thread, so the retry's timer starts at a
        // moment the test cannot observe: step the clock until the retry happens, and check how long it waited.
        await WaitUntilAsync(() => h.Alpha.Calls.Count == 1);
        var stepped = TimeSpan.Zero;
        while (h.Alpha.Calls.Count < 2 && stepped < TimeSpan.FromSeconds(5))
        {
            Assert.False(call.IsCompleted);
            h.Time.Advance(TimeSpan.FromMilliseconds(50));
            stepped += TimeSpan.FromMilliseconds(50);
            await Task.Delay(1, Ct);
        }

        var outcome = Succeeded(await call.WaitAsync(s_wait, Ct));

        Assert.Equal((A1, 2), (outcome.Model, outcome.Attempts));
        Assert.Empty(h.Beta.Calls);
        Assert.Equal(("upstream_rate_limited", 429), (h.Store.Entries[0].ErrorCode, h.Store.Entries[0].HttpStatus));
        Assert.True(h.Store.Entries[1].Timestamp - h.Store.Entries[0].Timestamp >= TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task CompleteChatAsync_RetryAfterAboveMax_FallsBackWithoutWaiting()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(10) });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(RateLimited(TimeSpan.FromSeconds(30)));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct).WaitAsync(s_wait, Ct));

        Assert.Equal((B1, 2), (outcome.Model, outcome.Attempts));
        Assert.Single(h.Alpha.Calls);
        Assert.Equal(TestEntries.Epoch, h.Time.GetUtcNow());
    }

    [Fact]
    public async Task CompleteChatAsync_RetryAfterBeyondDeadline_FallsBackWithoutWaiting()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetryAfter = TimeSpan.FromSeconds(60), OverallDeadline = TimeSpan.FromSeconds(30) });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(RateLimited(TimeSpan.FromSeconds(40)));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct).WaitAsync(s_wait, Ct));

        Assert.Equal((B1, 2), (outcome.Model, outcome.Attempts));
        Assert.Single(h.Alpha.Calls);
    }

    [Fact]
    public async Task CompleteChatAsync_RetryAfterInThePast_RetriesAtOnce()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Sequence(
            RateLimited(TimeSpan.FromSeconds(-5)), ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(100, 10)));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct).WaitAsync(s_wait, Ct));

        Assert.Equal((A1, 2), (outcome.Model, outcome.Attempts));
    }

    [Fact]
    public async Task CompleteChatAsync_AttemptTimesOut_LogsTimeoutThenFallsBack()
    {
        await using var h = await CreateAsync(new ResilienceOptions { AttemptTimeout = TimeSpan.FromSeconds(30), MaxRetriesPerModel = 0 });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Alpha.OnComplete = FakeChatProvider.Hang<ChatCompletion>(entered);

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);
        await entered.Task.WaitAsync(s_wait, Ct);
        h.Time.Advance(TimeSpan.FromSeconds(29));

        Assert.False(call.IsCompleted);
        Assert.Empty(h.Beta.Calls);

        h.Time.Advance(TimeSpan.FromSeconds(1));
        var outcome = Succeeded(await call.WaitAsync(s_wait, Ct));

        Assert.Equal((B1, 2), (outcome.Model, outcome.Attempts));
        var timedOut = h.Store.Entries[0];
        Assert.Equal((AttemptStatus.Failed, "upstream_timeout", "alpha/a-1"), (timedOut.Status, timedOut.ErrorCode, timedOut.Model));
        Assert.Equal(30_000, timedOut.LatencyMs);
        Assert.Equal((AttemptStatus.Success, "beta/b-1"), (h.Store.Entries[1].Status, h.Store.Entries[1].Model));
    }

    [Fact]
    public async Task CompleteChatAsync_OverallDeadlinePasses_StopsWithoutTryingFallback()
    {
        await using var h = await CreateAsync(new ResilienceOptions { AttemptTimeout = TimeSpan.FromSeconds(60), OverallDeadline = TimeSpan.FromSeconds(20) });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Alpha.OnComplete = FakeChatProvider.Hang<ChatCompletion>(entered);

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);
        await entered.Task.WaitAsync(s_wait, Ct);
        h.Time.Advance(TimeSpan.FromSeconds(20));
        var error = Failed(await call.WaitAsync(s_wait, Ct));

        Assert.Equal("upstream_unavailable", error.Code);
        Assert.Contains("overall deadline of 20 s", error.Message, StringComparison.Ordinal);
        Assert.Single(h.Alpha.Calls);
        Assert.Empty(h.Beta.Calls);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(("upstream_timeout", 20_000d), (row.ErrorCode, row.LatencyMs));
    }

    [Fact]
    public async Task CompleteChatAsync_CallerCancelsDuringAttempt_LogsCancelledAndThrows()
    {
        await using var h = await CreateAsync();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Alpha.OnComplete = FakeChatProvider.Hang<ChatCompletion>(entered);

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), caller.Token);
        await entered.Task.WaitAsync(s_wait, Ct);
        h.Time.Advance(TimeSpan.FromMilliseconds(40));
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(s_wait, Ct));
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Cancelled, "client_disconnected", 1), (row.Status, row.ErrorCode, row.Attempt));
        Assert.Equal((CostStatus.NotBilled, 0m), (row.CostStatus, row.CostUsd));
        Assert.Equal(40, row.LatencyMs);
        Assert.Empty(h.Beta.Calls);
    }

    [Fact]
    public async Task CompleteChatAsync_CallerCancelsDuringBackoff_LogsFailedAttemptAndThrows()
    {
        await using var h = await CreateAsync();
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(RateLimited(TimeSpan.FromSeconds(2)));

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), caller.Token);
        Assert.False(call.IsCompleted);
        await caller.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(s_wait, Ct));
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "upstream_rate_limited"), (row.Status, row.ErrorCode));
        Assert.Single(h.Alpha.Calls);
        Assert.Empty(h.Beta.Calls);
    }

    [Fact]
    public async Task CompleteChatAsync_FailuresReachThreshold_OpenCircuitSkipsModelUntilBreakEnds()
    {
        var resilience = new ResilienceOptions { MaxRetriesPerModel = 2, CircuitFailureThreshold = 3, CircuitBreakDuration = TimeSpan.FromSeconds(30) };
        await using var h = await CreateAsync(resilience);
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());

        var first = Succeeded(await h.Pipeline.CompleteChatAsync(Request(requestId: "req-1"), Body(), Ct));
        var second = Succeeded(await h.Pipeline.CompleteChatAsync(Request(requestId: "req-2"), Body(), Ct));

        Assert.Equal((B1, 4), (first.Model, first.Attempts));
        Assert.True(h.Circuits.For("ALPHA/A-1").IsOpen);
        Assert.Equal((B1, 1), (second.Model, second.Attempts));
        Assert.Equal(3, h.Alpha.Calls.Count);
        Assert.Equal("beta/b-1", Assert.Single(h.Store.Entries, r => r.RequestId == "req-2").Model);

        h.Time.Advance(TimeSpan.FromSeconds(30));
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(100, 10));
        var third = Succeeded(await h.Pipeline.CompleteChatAsync(Request(requestId: "req-3"), Body(), Ct));

        Assert.Equal((A1, 1), (third.Model, third.Attempts));
        Assert.False(h.Circuits.For(A1.Id).IsOpen);
        Assert.True(h.Circuits.For(A1.Id).TryEnter());
    }

    [Fact]
    public async Task CompleteChatAsync_HalfOpenTrialEndsWithoutVerdict_NextCallTriesModelAgain()
    {
        var resilience = new ResilienceOptions { MaxRetriesPerModel = 0, CircuitFailureThreshold = 1, CircuitBreakDuration = TimeSpan.FromSeconds(30) };
        await using var h = await CreateAsync(resilience);
        h.Alpha.OnComplete = FakeChatProvider.Sequence(
            ServerError(),
            new ProviderError(ProviderErrorKind.Unauthorized, "key revoked", 401),
            ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(100, 10)));

        Succeeded(await h.Pipeline.CompleteChatAsync(Request(requestId: "req-1"), Body(), Ct));
        h.Time.Advance(TimeSpan.FromSeconds(30));
        var trial = Succeeded(await h.Pipeline.CompleteChatAsync(Request(requestId: "req-2"), Body(), Ct));
        var after = Succeeded(await h.Pipeline.CompleteChatAsync(Request(requestId: "req-3"), Body(), Ct));

        Assert.Equal(B1, trial.Model);
        Assert.Equal(A1, after.Model);
        Assert.Equal(3, h.Alpha.Calls.Count);
    }

    [Fact]
    public async Task CompleteChatAsync_BlockPolicy_SkipsUnpricedModel()
    {
        await using var h = await CreateAsync(null, Route("chat", AUnpriced.Id, B1.Id) with { UnknownPricePolicy = UnknownPricePolicy.Block });

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal((B1, 1), (outcome.Model, outcome.Attempts));
        Assert.Empty(h.Alpha.Calls);
        Assert.Equal("beta/b-1", Assert.Single(h.Store.Entries).Model);
    }

    [Fact]
    public async Task CompleteChatAsync_BlockPolicyWithoutPricedModel_ReturnsPriceUnknownBeforeAnyProviderCall()
    {
        await using var h = await CreateAsync(null, Route("chat", AUnpriced.Id) with { UnknownPricePolicy = UnknownPricePolicy.Block });

        var error = Failed(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(("price_unknown", 503), (error.Code, error.StatusCode));
        Assert.Contains("alpha/a-x", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Alpha.Calls);
        Assert.Equal(0L, h.Store.Batches);
    }

    [Fact]
    public async Task CompleteChatAsync_FlagPolicy_RunsUnpricedModelAndRaisesPriceUnknown()
    {
        await using var h = await CreateAsync(null, Route("chat", AUnpriced.Id, B1.Id));
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(100, 10));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(AUnpriced, outcome.Model);
        Assert.Equal((CostStatus.Unpriced, (decimal?)null), (outcome.Cost.Status, outcome.Cost.TotalUsd));
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Success, CostStatus.Unpriced), (row.Status, row.CostStatus));
        Assert.Null(row.CostUsd);
        Assert.Null(row.EstimatedCostUsd);
        Assert.True(row.UsageKnown);
        Assert.Equal(100, row.Meters.InputTokens);
        var alert = Assert.Single(h.Alerts.Recent);
        Assert.Equal(("price_unknown", "chat", "alpha/a-x"), (alert.Kind, alert.Operation, alert.Model));
        Assert.Equal(TestEntries.Epoch, alert.At);
    }

    [Fact]
    public async Task CompleteChatAsync_BatchServiceTierInBody_AppliesBatchMultiplier()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(1000, 200));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(serviceTier: "batch"), Ct));

        Assert.Equal(A1Cost(1000, 200) * 0.5m, outcome.Cost.TotalUsd);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(A1Cost(1000, 200) * 0.5m, row.CostUsd);
        Assert.Equal("batch", row.ServiceTier);
    }

    [Fact]
    public async Task CompleteChatAsync_AutoServiceTier_PricesAtDefaultRates()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(1000, 200));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(serviceTier: "auto"), Ct));

        Assert.Equal(A1Cost(1000, 200), outcome.Cost.TotalUsd);
        Assert.Null(Assert.Single(h.Store.Entries).ServiceTier);
    }

    [Fact]
    public async Task CompleteChatAsync_PriorityServiceTier_WorstCaseCoversPriorityRates()
    {
        await using var h = await CreateAsync();
        var body = Body(maxTokens: 256, serviceTier: "priority");
        var estimate = ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(body));
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(estimate.InputTokens, 250));

        await h.Pipeline.CompleteChatAsync(Request(), body, Ct);

        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((estimate.InputTokens * 2m + 250 * 8m) / 1_000_000m, row.CostUsd);
        Assert.Equal((estimate.InputTokens * 2m + 256 * 8m) / 1_000_000m, row.EstimatedCostUsd);
        Assert.True(row.EstimatedCostUsd >= row.CostUsd);
    }

    [Fact]
    public async Task CompleteChatAsync_ResponseReportsOtherModel_PricesReportedModel()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Answer(FakeChatProvider.Completion(1000, 200, reportedModel: "a-1-mini"));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal((1000 * 0.5m + 200 * 1m) / 1_000_000m, outcome.Cost.TotalUsd);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(("alpha/a-1", "a-1-mini"), (row.Model, row.ReportedModel));
        Assert.Equal("https://prices.example/alpha-mini", row.PriceSource);
    }

    [Fact]
    public async Task CompleteChatAsync_LogCommitPending_DoesNotReturnUntilCommitted()
    {
        await using var h = await CreateAsync();
        var committing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.OnAppend = async (_, _) =>
        {
            committing.TrySetResult();
            await release.Task;
        };

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);
        await committing.Task.WaitAsync(s_wait, Ct);

        Assert.False(call.IsCompleted);
        Assert.Empty(h.Store.Entries);

        release.TrySetResult();
        Succeeded(await call.WaitAsync(s_wait, Ct));

        Assert.Single(h.Store.Entries);
    }

    [Fact]
    public async Task CompleteChatAsync_ProviderNotConfigured_FallsBackToConfiguredModel()
    {
        await using var h = await CreateAsync(null, Route("chat", G1.Id, B1.Id));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal((B1, 1), (outcome.Model, outcome.Attempts));
    }

    [Fact]
    public async Task CompleteChatAsync_OnlyModelsWithoutProvider_ReturnsUnavailableAndLogsOneRefusedRow()
    {
        await using var h = await CreateAsync(null, Route("chat", G1.Id));

        var error = Failed(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(("upstream_unavailable", 503), (error.Code, error.StatusCode));
        Assert.Contains("provider 'gamma' is not configured", error.Message, StringComparison.Ordinal);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "provider_not_configured", "gamma/g-1"), (row.Status, row.ErrorCode, row.Model));
        Assert.Equal((CostStatus.NotBilled, 0m, (decimal?)null), (row.CostStatus, row.CostUsd, row.EstimatedCostUsd));
        Assert.Empty(h.Store.OpenAttempts);
    }

    [Fact]
    public async Task CompleteChatAsync_ProviderThrows_LogsAttemptsSoFarAndRethrows()
    {
        await using var h = await CreateAsync();
        var calls = 0;
        h.Alpha.OnComplete = (_, _) => Interlocked.Increment(ref calls) == 1
            ? Task.FromResult<ProviderResult<ChatCompletion>>(ServerError())
            : throw new InvalidOperationException("adapter bug");

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal("adapter bug", thrown.Message);
        Assert.Empty(h.Beta.Calls);
        Assert.Collection(
            h.Store.Entries,
            first => Assert.Equal("upstream_server_error", first.ErrorCode),
            second =>
            {
                Assert.Equal((2, AttemptStatus.Failed, "provider_exception"), (second.Attempt, second.Status, second.ErrorCode));
                Assert.Equal((CostStatus.Unpriced, (decimal?)null), (second.CostStatus, second.CostUsd));
            });
    }

    [Fact]
    public async Task CompleteChatAsync_NullArguments_Throw()
    {
        await using var h = await CreateAsync();

        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Pipeline.CompleteChatAsync(null!, Body(), Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Pipeline.CompleteChatAsync(Request(), null!, Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Pipeline.StreamChatAsync(null!, Body(), Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => h.Pipeline.StreamChatAsync(Request(), null!, Ct));
    }

    [Fact]
    public async Task StreamChatAsync_PrimaryFailsToOpen_FallsBackBeforeFirstChunk()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 0 });
        h.Alpha.OnStream = FakeChatProvider.Fail<IChatCompletionStream>(ServerError());
        var stream = new FakeChatStream("from", " beta") { FinalUsage = new(new() { InputTokens = 10, OutputTokens = 2 }, IsKnown: true) };
        h.Beta.OnStream = FakeChatProvider.Answer(stream);

        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        Assert.Equal((B1, 2, "req-1", "chat"), (outcome.Model, outcome.Attempt, outcome.RequestId, outcome.Operation));
        var failed = Assert.Single(h.Store.Entries);
        Assert.Equal((1, "alpha/a-1", "upstream_server_error", true), (failed.Attempt, failed.Model, failed.ErrorCode, failed.Streamed));

        var chunks = await ChatStreamOutcomeTests.ReadAllAsync(outcome, Ct);

        Assert.Equal(3, chunks.Count);
        Assert.Equal(
            [(1, AttemptStatus.Failed), (2, AttemptStatus.Success)],
            h.Store.Entries.Select(r => (r.Attempt, r.Status)));
        Assert.Equal("beta/b-1", h.Store.Entries[1].Model);
    }

    [Fact]
    public async Task StreamChatAsync_UnknownOperation_ReturnsUnknownOperation()
    {
        await using var h = await CreateAsync();

        var error = Failed(await h.Pipeline.StreamChatAsync(Request("nope"), Body(), Ct));

        Assert.Equal("unknown_operation", error.Code);
        Assert.Empty(h.Alpha.Calls);
    }

    [Fact]
    public async Task StreamChatAsync_HalfOpenTrialStreamCompletes_ClosesCircuit()
    {
        var resilience = new ResilienceOptions { CircuitFailureThreshold = 1, CircuitBreakDuration = TimeSpan.FromSeconds(30) };
        await using var h = await CreateAsync(resilience);
        h.Circuits.For(A1.Id).RecordFailure();
        h.Time.Advance(TimeSpan.FromSeconds(30));

        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        Assert.Equal(A1, outcome.Model);
        Assert.False(h.Circuits.For(A1.Id).TryEnter());

        await ChatStreamOutcomeTests.ReadAllAsync(outcome, Ct);

        Assert.True(h.Circuits.For(A1.Id).TryEnter());
        Assert.True(h.Circuits.For(A1.Id).TryEnter());
    }

    internal static T Succeeded<T>(Result<T> result)
    {
        Assert.True(result.IsSuccess, result.Error?.Message);
        return result.Value;
    }

    internal static GatewayError Failed<T>(Result<T> result)
    {
        Assert.False(result.IsSuccess);
        return result.Error;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < s_wait, "The condition did not hold in time.");
            await Task.Delay(1, Ct);
        }
    }
}
