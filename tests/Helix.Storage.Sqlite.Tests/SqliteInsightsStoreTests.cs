using System.Diagnostics;
using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

/// <summary>SQLite-only insights cases; the shared contract is in <c>SqliteInsightsStoreConformanceTests</c>.</summary>
public sealed class SqliteInsightsStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
