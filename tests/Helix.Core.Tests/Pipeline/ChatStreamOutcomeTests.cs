using System.Text;
using Helix.Core.Estimation;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Testing;
using Xunit;
using static Helix.Core.Tests.Pipeline.OperationPipelineTests;
using static Helix.Core.Tests.Pipeline.PipelineHarness;

namespace Helix.Core.Tests.Pipeline;

public sealed class ChatStreamOutcomeTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ReadAsync_ProviderSendsUsage_PassesChunksThroughAndYieldsUsageLastOnceDurable()
    {
        await using var h = await CreateAsync();
        var usage = new UsageReport(new UsageMeters { InputTokens = 12, OutputTokens = 2 }, IsKnown: true, ProviderRequestId: "chatcmpl-9");
        var stream = new FakeChatStream("Hel", "lo")
        {
            FinalUsage = usage,
            BeforeChunk = (_, _) =>
            {
                h.Time.Advance(TimeSpan.FromMilliseconds(100));
                return Task.CompletedTask;
            },
        };
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));
        var committing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Store.OnAppend = async (_, _) =>
        {
            committing.TrySetResult();
            await release.Task;
        };
        var chunks = outcome.ReadAsync(Ct).GetAsyncEnumerator(Ct);

        Assert.True(await chunks.MoveNextAsync());
        Assert.Equal(FakeChatStream.ContentChunkJson("Hel"), Utf8(chunks.Current));
        Assert.True(await chunks.MoveNextAsync());
        Assert.Equal(FakeChatStream.ContentChunkJson("lo"), Utf8(chunks.Current));
        Assert.False(chunks.Current.IsUsageOnly);

        var usageChunk = chunks.MoveNextAsync().AsTask();
        await committing.Task.WaitAsync(s_wait, Ct);

        Assert.False(usageChunk.IsCompleted);
        Assert.Null(outcome.Cost);
        Assert.Empty(h.Store.Entries);

        release.TrySetResult();

        Assert.True(await usageChunk.WaitAsync(s_wait, Ct));
        Assert.True(chunks.Current.IsUsageOnly);
        Assert.Equal(FakeChatStream.UsageChunkJson(usage.Meters), Utf8(chunks.Current));
        Assert.False(await chunks.MoveNextAsync());
        await chunks.DisposeAsync();
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Success, true, true, 1), (row.Status, row.Streamed, row.UsageKnown, row.Attempt));
        Assert.Equal(usage.Meters, row.Meters);
        Assert.Equal(A1Cost(12, 2), row.CostUsd);
        Assert.Equal(CostStatus.Priced, row.CostStatus);
        Assert.Equal("chatcmpl-9", row.ProviderRequestId);
        Assert.Equal(300, row.LatencyMs);
        Assert.Null(row.ErrorCode);
        Assert.Equal(A1Cost(12, 2), outcome.Cost?.TotalUsd);
        Assert.Equal(usage, outcome.Usage);
        Assert.Null(outcome.Error);
        Assert.Empty(h.Alerts.Recent);
    }

    [Fact]
    public async Task ReadAsync_StreamCutWithoutUsage_LogsEstimatedCostAndRaisesUsageUnknown()
    {
        await using var h = await CreateAsync();
        var body = Body();
        h.Alpha.OnStream = FakeChatProvider.Answer(new FakeChatStream("Hello", " world"));
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), body, Ct));

        var chunks = await ReadAllAsync(outcome, Ct);

        var meters = ChatRequestEstimator.EstimateUsage(ChatRequestEstimator.Estimate(ChatRequest.FromJsonObject(body)), "Hello world");
        Assert.True(meters.OutputTokens > 0);
        Assert.Equal(2, chunks.Count);
        Assert.DoesNotContain(chunks, c => c.IsUsageOnly);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Success, CostStatus.Estimated, false), (row.Status, row.CostStatus, row.UsageKnown));
        Assert.Equal(A1Cost(meters.InputTokens, meters.OutputTokens), row.CostUsd);
        Assert.True(row.CostUsd > 0m);
        Assert.Contains("usage unknown", row.CostReason, StringComparison.Ordinal);
        Assert.Equal(PriceSource, row.PriceSource);
        Assert.Equal(CostStatus.Estimated, outcome.Cost?.Status);
        var alert = Assert.Single(h.Alerts.Recent);
        Assert.Equal(("usage_unknown", "alpha/a-1"), (alert.Kind, alert.Model));
        Assert.Contains("req-1", alert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_UnpricedModelCutWithoutUsage_LogsUnpricedAndRaisesBothAlerts()
    {
        await using var h = await CreateAsync(null, Route("chat", AUnpriced.Id));
        h.Alpha.OnStream = FakeChatProvider.Answer(new FakeChatStream("Hello"));
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        await ReadAllAsync(outcome, Ct);

        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((CostStatus.Unpriced, (decimal?)null, false), (row.CostStatus, row.CostUsd, row.UsageKnown));
        Assert.Equal(["price_unknown", "usage_unknown"], h.Alerts.Recent.Select(a => a.Kind));
    }

    [Fact]
    public async Task ReadAsync_StreamFailsMidway_LogsFailedWithErrorCodeAndCountsAgainstCircuit()
    {
        await using var h = await CreateAsync(new ResilienceOptions { CircuitFailureThreshold = 1 });
        h.Alpha.OnStream = FakeChatProvider.Answer(new FakeChatStream("one", "two", "three") { FailWith = ServerError(), FailAfterChunks = 1 });
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        var chunks = await ReadAllAsync(outcome, Ct);

        Assert.Single(chunks);
        Assert.Equal(ProviderErrorKind.ServerError, outcome.Error?.Kind);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "upstream_server_error", 503), (row.Status, row.ErrorCode, row.HttpStatus));
        Assert.Equal(CostStatus.Estimated, row.CostStatus);
        Assert.True(h.Circuits.For(A1.Id).IsOpen);
    }

    [Fact]
    public async Task ReadAsync_CallerCancelsMidStream_LogsCancelledAndThrows()
    {
        await using var h = await CreateAsync(new ResilienceOptions { CircuitFailureThreshold = 1 });
        using var caller = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var stream = new FakeChatStream("one", "two", "three")
        {
            BeforeChunk = (i, _) => i == 1 ? caller.CancelAsync() : Task.CompletedTask,
        };
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ReadAllAsync(outcome, caller.Token));

        Assert.Equal(1, stream.ChunksSent);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Cancelled, "client_disconnected"), (row.Status, row.ErrorCode));
        Assert.NotNull(outcome.Cost);
        Assert.False(h.Circuits.For(A1.Id).IsOpen);
    }

    [Fact]
    public async Task ReadAsync_ConsumerStopsReading_LogsCancelled()
    {
        await using var h = await CreateAsync();
        var stream = new FakeChatStream("one", "two", "three");
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        await foreach (var chunk in outcome.ReadAsync(Ct))
        {
            Assert.False(chunk.IsUsageOnly);
            break;
        }

        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Cancelled, "client_disconnected"), (row.Status, row.ErrorCode));
        Assert.Equal(1, stream.ChunksSent);
    }

    [Fact]
    public async Task ReadAsync_ProviderStreamThrows_LogsFailedWithProviderException()
    {
        await using var h = await CreateAsync();
        var stream = new FakeChatStream("one", "two")
        {
            BeforeChunk = (i, _) => i == 1 ? throw new IOException("socket reset") : Task.CompletedTask,
        };
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(outcome, Ct));

        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Failed, "provider_exception"), (row.Status, row.ErrorCode));
    }

    [Fact]
    public async Task ReadAsync_SecondEnumeration_ThrowsAndLogsNothingMore()
    {
        await using var h = await CreateAsync();
        await using var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));
        await ReadAllAsync(outcome, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ReadAllAsync(outcome, Ct));

        Assert.Single(h.Store.Entries);
    }

    [Fact]
    public async Task DisposeAsync_StreamNeverRead_LogsCancelledAndDisposesProviderStream()
    {
        await using var h = await CreateAsync();
        var stream = new FakeChatStream("never", "read");
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));

        await outcome.DisposeAsync();

        Assert.True(stream.IsDisposed);
        Assert.Equal(0, stream.ChunksSent);
        var row = Assert.Single(h.Store.Entries);
        Assert.Equal((AttemptStatus.Cancelled, "client_disconnected", true), (row.Status, row.ErrorCode, row.Streamed));
        Assert.NotNull(outcome.Cost);
    }

    [Fact]
    public async Task DisposeAsync_AfterStreamWasRead_DoesNotLogAgain()
    {
        await using var h = await CreateAsync();
        var stream = new FakeChatStream("hi") { FinalUsage = new(new() { InputTokens = 3, OutputTokens = 1 }, IsKnown: true) };
        h.Alpha.OnStream = FakeChatProvider.Answer(stream);
        var outcome = Succeeded(await h.Pipeline.StreamChatAsync(Request(), Body(), Ct));
        await ReadAllAsync(outcome, Ct);

        await outcome.DisposeAsync();

        Assert.True(stream.IsDisposed);
        Assert.Equal(AttemptStatus.Success, Assert.Single(h.Store.Entries).Status);
    }

    internal static async Task<List<StreamChunk>> ReadAllAsync(ChatStreamOutcome outcome, CancellationToken cancellationToken)
    {
        List<StreamChunk> chunks = [];
        await foreach (var chunk in outcome.ReadAsync(cancellationToken))
        {
            chunks.Add(chunk);
        }

        return chunks;
    }

    private static string Utf8(StreamChunk chunk) => Encoding.UTF8.GetString(chunk.Json.Span);
}
