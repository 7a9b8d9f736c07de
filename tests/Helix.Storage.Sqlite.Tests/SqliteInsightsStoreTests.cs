using System.Diagnostics;
using Helix.Core.Feedback;
using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteInsightsStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetHourlyUsageAsync_RowsAppended_AreRolledUpPerHourOperationAndModel()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(db.Database);
        var insights = new SqliteInsightsStore(db.Database);
        var at = TestEntries.Epoch;
        await log.AppendAsync(
        [
            TestEntries.Success("r1", at: at, costUsd: 0.000001234m),
            TestEntries.Failure("r2", at: at.AddMinutes(1)),
            TestEntries.Success("r2", attempt: 2, at: at.AddMinutes(1), costUsd: 0.5m),
            TestEntries.Success("r3", at: at.AddHours(1), operation: "agent", model: "gemini/gemini-2.5-pro", costUsd: 1m),
        ], Ct);

        var rows = await insights.GetHourlyUsageAsync(at, at.AddHours(2), Ct);

        Assert.Equal(2, rows.Count);
        var first = rows[0];
        Assert.Equal((at, "chat", "openai/gpt-4o-mini"), (first.Hour, first.Operation, first.Model));
        Assert.Equal((2L, 3L, 1L), (first.Calls, first.Attempts, first.Failures));
        Assert.Equal(500_001_234L, first.CostNanos);
        Assert.Equal(("agent", 1_000_000_000L), (rows[1].Operation, rows[1].CostNanos));
        Assert.Empty(await insights.GetHourlyUsageAsync(at.AddHours(2), at.AddHours(3), Ct));
    }

    [Theory]
    [InlineData(0.4)]
    [InlineData(1)]
    [InlineData(1.2)]
    [InlineData(699)]
    [InlineData(700)]
    [InlineData(700.5)]
    [InlineData(250_000)]
    public async Task GetLatencyAsync_SuccessfulAttempt_LandsInTheBucketOfLatencyHistogram(double latencyMs)
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(db.Database);
        await log.AppendAsync([TestEntries.Success("r1") with { LatencyMs = latencyMs }, TestEntries.Failure("r2") with { LatencyMs = latencyMs }], Ct);

        var counts = await new SqliteInsightsStore(db.Database).GetLatencyAsync(TestEntries.Epoch, TestEntries.Epoch.AddHours(1), Ct);

        var count = Assert.Single(counts);
        Assert.Equal(LatencyHistogram.BucketOf(latencyMs), count.Bucket);
        Assert.Equal(1, count.Count);
    }

    [Fact]
    public async Task SearchAsync_Filters_ReturnOnlyMatchingRowsNewestFirstWithACursor()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(db.Database);
        var at = TestEntries.Epoch;
        await log.AppendAsync(
        [
            TestEntries.Success("a", at: at, model: "openai/gpt-4o"),
            TestEntries.Failure("b", at: at.AddMinutes(1)),
            TestEntries.Success("c", at: at.AddMinutes(2), model: "openai/gpt-4o", user: "alice"),
            TestEntries.Success("d", at: at.AddMinutes(3), model: "openai/gpt-4o"),
        ], Ct);
        var insights = new SqliteInsightsStore(db.Database);

        var first = await insights.SearchAsync(new LogSearch(Model: "openai/gpt-4o", Status: AttemptStatus.Success, Limit: 2), Ct);
        var second = await insights.SearchAsync(new LogSearch(Model: "openai/gpt-4o", Status: AttemptStatus.Success, Limit: 2, BeforeId: first.NextBeforeId), Ct);
        var failed = await insights.SearchAsync(new LogSearch(Status: AttemptStatus.Failed), Ct);
        var alice = await insights.SearchAsync(new LogSearch(User: "alice", From: at.AddMinutes(2), To: at.AddMinutes(3)), Ct);

        Assert.Equal(["d", "c"], first.Items.Select(e => e.RequestId));
        Assert.Equal(["a"], second.Items.Select(e => e.RequestId));
        Assert.Null(second.NextBeforeId);
        Assert.Equal("b", Assert.Single(failed.Items).RequestId);
        Assert.Equal("c", Assert.Single(alice.Items).RequestId);
    }

    [Fact]
    public async Task GetQualityAsync_Feedback_IsJoinedToTheModelThatAnswered()
    {
        await using var db = await TestDatabase.CreateAsync();
        var log = new SqliteOperationLogStore(db.Database);
        await log.AppendAsync([TestEntries.Failure("r1"), TestEntries.Success("r1", attempt: 2, model: "gemini/gemini-2.5-flash"), TestEntries.Success("r2")], Ct);
        var feedback = new SqliteFeedbackStore(db.Database);
        var at = TestEntries.Epoch.AddMinutes(5);

        Assert.True(await feedback.AddAsync(new CallFeedback("r1", 5, 1m, "great", "app", at), Ct));
        Assert.True(await feedback.AddAsync(new CallFeedback("r1", 1, 0.5m, null, "app", at), Ct));
        Assert.True(await feedback.AddAsync(new CallFeedback("r2", -1, 0m, null, "app", at), Ct));
        Assert.False(await feedback.AddAsync(new CallFeedback("unknown", 1, 1m, null, "app", at), Ct));

        var quality = await new SqliteInsightsStore(db.Database).GetQualityAsync(TestEntries.Epoch, TestEntries.Epoch.AddHours(1), Ct);

        Assert.Equal(
            [("gemini/gemini-2.5-flash", 2L, 0.75m), ("openai/gpt-4o-mini", 1L, 0m)],
            quality.Select(q => (q.Model, q.Ratings, q.MeanQuality)));
        Assert.Equal(2, (await feedback.ListAsync("r1", Ct)).Count);
        Assert.Equal(2, (await new SqliteInsightsStore(db.Database).GetCallAsync("r1", Ct)).Count);
    }

    [Fact]
    public async Task Reads_OverAMillionLogRows_AnswerFromRollupsAndIndexesInUnder300Ms()
    {
        await using var db = await TestDatabase.CreateAsync();
        var at = TestEntries.Epoch;
        await new SqliteOperationLogStore(db.Database).AppendAsync([TestEntries.Success("seed", at: at)], Ct);

        // One million rows over 30 days, written through the rollup trigger like the log writer's batches.
        await using (var connection = await db.Database.OpenConnectionAsync(Ct))
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000000)
                INSERT INTO operation_log (request_id, ts, ts_ms, operation, principal, end_user, provider, model, attempt, status, latency_ms,
                    streamed, usage_known, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens, input_audio_tokens,
                    cache_read_audio_tokens, input_image_tokens, input_video_tokens, tool_prompt_tokens, output_tokens, reasoning_tokens,
                    output_audio_tokens, audio_seconds, characters, requests, web_search_requests, cache_storage_token_hours, cost_usd, cost_status)
                SELECT 'req_' || i, '2026-03-02T10:00:00.0000000Z', $start + (i * 2592), 'op' || (i % 8), 'key', 'user' || (i % 50), 'openai',
                    'openai/model-' || (i % 6), 1, CASE WHEN i % 50 = 0 THEN 'failed' ELSE 'success' END, 50 + (i % 3000),
                    0, 1, 100, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, '0', 0, 1, 0, '0', '0.000012', 'priced'
                FROM n
                """;
            command.Parameters.AddWithValue("$start", at.AddDays(-29).ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(Ct);
            await transaction.CommitAsync(Ct);
        }

        var insights = new SqliteInsightsStore(db.Database);
        var to = at.AddDays(1);
        var from = at.AddDays(-29);
        await insights.GetHourlyUsageAsync(from, to, Ct);

        var timings = new Dictionary<string, long>();
        async Task Time(string name, Func<Task> read)
        {
            var clock = Stopwatch.StartNew();
            await read();
            timings[name] = clock.ElapsedMilliseconds;
        }

        await Time("hourly month", () => insights.GetHourlyUsageAsync(from, to, Ct));
        await Time("latency month", () => insights.GetLatencyAsync(from, to, Ct));
        await Time("log page", () => insights.SearchAsync(new LogSearch(Limit: 50), Ct));
        await Time("log page by model", () => insights.SearchAsync(new LogSearch(Model: "openai/model-3", From: from, To: to, Limit: 50), Ct));
        await Time("log page failed", () => insights.SearchAsync(new LogSearch(Status: AttemptStatus.Failed, Limit: 50), Ct));
        await Time("call", () => insights.GetCallAsync("req_500000", Ct));

        TestContext.Current.SendDiagnosticMessage(string.Join(", ", timings.Select(t => $"{t.Key} {t.Value} ms")));
        Assert.All(timings, t => Assert.True(t.Value < 300, $"{t.Key} took {t.Value} ms"));
    }
}
