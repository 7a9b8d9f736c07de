using System.Text.Json.Nodes;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Core.Telemetry;
using Helix.Testing;
using Xunit;
using static Helix.Core.Tests.Pipeline.OperationPipelineTests;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.Pipeline;

public sealed class OperationPipelineStepsTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Builder_ThrowAwayStepAfterRouting_StopsCallBeforeAnyProviderWithItsError()
    {
        await using var h = await CreateAsync();
        var refusal = new GatewayError("approval_required", "Someone must approve.", 403, "invalid_request_error");
        string? routedOperation = null;
        var pipeline = Build(h, b => b
            .UseTelemetry()
            .UseRouting()
            .Use((context, next) =>
            {
                routedOperation = context.Route?.Route.Operation;
                return ValueTask.FromResult<GatewayError?>(refusal);
            })
            .UseRefusedCallLog().UseFailover().UseUnknownPricePolicy().UseRetry().UseCircuitBreaker()
            .UseOperationLog().UseMetering().UseAttemptTimeout());

        var error = Failed(await pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Same(refusal, error);
        Assert.Equal("chat", routedOperation);
        Assert.Empty(h.Alpha.Calls);
        Assert.Empty(h.Store.Entries);
        Assert.Equal(0L, h.Store.Batches);
    }

    [Fact]
    public async Task Builder_ThrowAwayPerAttemptStep_SeesEachAttemptEndAfterItsRowIsDurable()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Sequence(ServerError(), ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(100, 10)));
        var seen = new List<(int Attempt, AttemptStatus Status, CostStatus Cost, int RowsThen)>();
        var pipeline = Build(h, b => b
            .UseRouting().UseFailover().UseRetry().UseCircuitBreaker()
            .Use((context, next) =>
            {
                var attempt = context.Attempt!;
                attempt.OnEnded(ended =>
                {
                    seen.Add((ended.Number, ended.Status, ended.Cost.Status, h.Store.Entries.Count));
                    return ValueTask.CompletedTask;
                });
                return next(context);
            })
            .UseOperationLog().UseMetering().UseAttemptTimeout());

        Succeeded(await pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal([(1, AttemptStatus.Failed, CostStatus.NotBilled, 1), (2, AttemptStatus.Success, CostStatus.Priced, 2)], seen);
    }

    [Fact]
    public async Task CompleteChatAsync_FailedAttempt_RowIsDurableBeforeTheFallbackIsCalled()
    {
        await using var h = await CreateAsync(new ResilienceOptions { MaxRetriesPerModel = 0 });
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(ServerError());
        var rowsWhenFallbackCalled = -1;
        h.Beta.OnComplete = (_, _) =>
        {
            rowsWhenFallbackCalled = h.Store.Entries.Count;
            return Task.FromResult(ProviderResult<ChatCompletion>.Success(FakeChatProvider.Completion(10, 5)));
        };

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal((B1, 2), (outcome.Model, outcome.Attempts));
        Assert.Equal(1, rowsWhenFallbackCalled);
    }

    [Fact]
    public async Task CompleteChatAsync_OperationNamedInOtherCase_LogsAndAnswersCanonicalName()
    {
        await using var h = await CreateAsync();

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(operation: "ChAt"), Body(), Ct));

        Assert.Equal("chat", outcome.Operation);
        Assert.Equal("chat", Assert.Single(h.Store.Entries).Operation);
    }

    [Fact]
    public async Task CompleteChatAsync_BilledMalformedAnswer_LogsEstimateAndFallsBackWithoutRetrying()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(
            new ProviderError(ProviderErrorKind.MalformedResponse, "alpha answered 200 with a body that is not a JSON object", 200));

        var outcome = Succeeded(await h.Pipeline.CompleteChatAsync(Request(), Body(maxTokens: 256), Ct));

        Assert.Equal((B1, 2), (outcome.Model, outcome.Attempts));
        Assert.Single(h.Alpha.Calls);
        var billed = h.Store.Entries[0];
        Assert.Equal((AttemptStatus.Failed, "upstream_malformed_response", 200), (billed.Status, billed.ErrorCode, billed.HttpStatus));
        Assert.Equal(CostStatus.Estimated, billed.CostStatus);
        Assert.NotNull(billed.CostUsd);
        Assert.True(billed.CostUsd > 0m);
        Assert.Equal(billed.EstimatedCostUsd, billed.CostUsd);
        Assert.Contains("billed", billed.CostReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompleteChatAsync_AdapterRefusesBeforeSending_ClosesRecordWithUnpricedRowAndAnswers400()
    {
        await using var h = await CreateAsync();
        h.Alpha.OnComplete = FakeChatProvider.Fail<ChatCompletion>(
            new ProviderError(ProviderErrorKind.InvalidRequest, "alpha: audio parts cannot be translated"));

        var error = Failed(await h.Pipeline.CompleteChatAsync(Request(), Body(), Ct));

        Assert.Equal(("invalid_request", 400), (error.Code, error.StatusCode));
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "request_not_sent"), (row.Status, row.ErrorCode));
        Assert.Equal((CostStatus.NotBilled, 0m, (decimal?)null), (row.CostStatus, row.CostUsd, row.EstimatedCostUsd));
        Assert.Empty(h.Store.OpenAttempts);
        Assert.False(h.Circuits.For(A1.Id).IsOpen);
    }

    [Fact]
    public async Task CompleteChatAsync_PrimaryHangs_FallsBackAfterAttemptTimeoutWithoutRetryingIt()
    {
        await using var h = await CreateAsync(new ResilienceOptions());
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Alpha.OnComplete = FakeChatProvider.Hang<ChatCompletion>(entered);

        var call = h.Pipeline.CompleteChatAsync(Request(), Body(), Ct);
        await entered.Task.WaitAsync(s_wait, Ct);
        h.Time.Advance(h.Resilience.AttemptTimeout);
        var outcome = Succeeded(await call.WaitAsync(s_wait, Ct));

        Assert.Equal((B1, 2), (outcome.Model, outcome.Attempts));
        Assert.Single(h.Alpha.Calls);
        Assert.Equal("upstream_timeout", h.Store.Entries[0].ErrorCode);
        Assert.True(h.Resilience.AttemptTimeout * 2 < h.Resilience.OverallDeadline, "the defaults leave the fallback a full attempt inside the deadline");
    }

    [Fact]
    public async Task StreamChatAsync_StreamDoesNotBegin_FallsBackAfterFirstByteTimeout()
    {
        await using var h = await CreateAsync(new ResilienceOptions { FirstByteTimeout = TimeSpan.FromSeconds(5), AttemptTimeout = TimeSpan.FromSeconds(60) });
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Alpha.OnStream = FakeChatProvider.Hang<IChatCompletionStream>(entered);

        var call = h.Pipeline.StreamChatAsync(Request(), Body(), Ct);
        await entered.Task.WaitAsync(s_wait, Ct);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        await using var outcome = Succeeded(await call.WaitAsync(s_wait, Ct));

        Assert.Equal(B1, outcome.Model);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal(("upstream_timeout", 5_000d), (row.ErrorCode, row.LatencyMs));
    }

    [Fact]
    public async Task CompleteChatAsync_RouteCapAndRequestWithout_SendsCapOnACopyAndEstimatesWithIt()
    {
        await using var h = await CreateAsync(null, Route("chat", A1.Id) with { MaxOutputTokens = 100 });
        var body = Body(maxTokens: null);

        Succeeded(await h.Pipeline.CompleteChatAsync(Request(), body, Ct));

        var sent = Assert.Single(h.Alpha.Calls).Request;
        Assert.Equal(100, sent.ToJsonObject()["max_tokens"]!.GetValue<int>());
        Assert.Equal(100, System.Text.Json.Nodes.JsonNode.Parse(sent.WriteUpstreamJson("a-1", stream: false).Span)!["max_tokens"]!.GetValue<int>());
        Assert.Null(body["max_tokens"]);
        Assert.Null(sent.RequestedMaxTokens);
        var row = Assert.Single(h.Store.Entries);
        var input = Helix.Core.Estimation.ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(body)).InputTokens;
        Assert.Equal(A1Cost(input, 100), row.EstimatedCostUsd);
    }

    [Fact]
    public async Task CompleteChatAsync_RequestSetsItsOwnCap_SendsCallersBodyUnchanged()
    {
        await using var h = await CreateAsync(null, Route("chat", A1.Id) with { MaxOutputTokens = 100 });
        using var body = ChatRequest.FromJsonObject(Body(maxTokens: 30));

        Succeeded(await h.Pipeline.CompleteChatAsync(Request(), body, Ct));

        Assert.Same(body, Assert.Single(h.Alpha.Calls).Request);
    }

    [Fact]
    public async Task CompleteChatAsync_NeitherCap_EstimatesWithModelsCatalogMaximum()
    {
        await using var h = await CreateAsync();
        var body = Body(maxTokens: null);

        Succeeded(await h.Pipeline.CompleteChatAsync(Request(), body, Ct));

        var input = Helix.Core.Estimation.ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(body)).InputTokens;
        Assert.Equal(A1Cost(input, A1.DefaultMaxOutputTokens), Assert.Single(h.Store.Entries).EstimatedCostUsd);
    }

    private static OperationPipeline Build(PipelineHarness h, Action<OperationPipelineBuilder> configure) =>
        new(new PipelineServices(h.Routes, new ProviderRegistry([h.Alpha, h.Beta]), h.Costs, h.Log, h.Circuits, h.Resilience, h.Alerts, h.Time), configure);
}
