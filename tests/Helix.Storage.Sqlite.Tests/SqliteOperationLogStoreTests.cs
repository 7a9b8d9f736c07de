using Helix.Testing;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteOperationLogStoreTests
{
    private static readonly DateTimeOffset s_at = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AppendAsync_Decimals_StoredAsInvariantText()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);

        await log.AppendAsync([TestEntries.Success("a", costUsd: 0.000444696m) with { EstimatedCostUsd = 12345.6789m, Meters = new() { AudioSeconds = 1.50m } }], Ct);

        using var reader = test.OpenIndependentReader();
        var row = Assert.Single(reader.Rows("SELECT typeof(cost_usd), cost_usd, estimated_cost_usd, audio_seconds, cache_storage_token_hours FROM operation_log"));
        Assert.Equal(["text", "0.000444696", "12345.6789", "1.50", "0"], row);
    }

    [Fact]
    public async Task AppendAsync_Timestamp_StoredAsIsoUtcTextAndUnixMilliseconds()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);

        await log.AppendAsync([TestEntries.Success("a", at: s_at)], Ct);

        using var reader = test.OpenIndependentReader();
        var row = Assert.Single(reader.Rows("SELECT ts, ts_ms FROM operation_log"));
        Assert.Equal("2026-03-02T10:00:00.1234567Z", row[0]);
        Assert.Equal(s_at.ToUnixTimeMilliseconds(), row[1]);
    }

    [Fact]
    public async Task AppendAsync_EveryBoundColumn_StoredWithTheTypeAndTextOfItsValue()
    {
        // The hot INSERT binds by position with SQLite's own calls: each kind of value must land as the type the
        // readers expect (integers, REAL latency, text decimals and dates, NULL for what is absent), in both tables.
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        var open = new OpenAttempt
        {
            RequestId = "o", Attempt = 2, Timestamp = s_at, Operation = "op", Principal = "p", User = "u\u00e9",
            Provider = "deepseek", Model = "deepseek-chat", Streamed = true, EstimatedCostUsd = 0.25m,
        };
        var entry = TestEntries.Success("a", costUsd: 0.5m, at: s_at) with
        {
            User = "\u00fcser \U0001F600", HttpStatus = 200, LatencyMs = 12.5, Streamed = true, RequestedMaxTokens = 32,
            PriceSourceDate = new DateOnly(2026, 2, 1), ErrorCode = null, Meters = new() { InputTokens = 7, OutputTokens = 3 },
        };

        await log.AppendAsync([entry], [open], Ct);

        using var reader = test.OpenIndependentReader();
        var row = Assert.Single(reader.Rows(
            "SELECT typeof(ts_ms), typeof(attempt), typeof(http_status), typeof(latency_ms), latency_ms, typeof(streamed), streamed, " +
            "typeof(input_tokens), input_tokens, output_tokens, typeof(price_source_date), price_source_date, typeof(error_code), " +
            "typeof(requested_max_tokens), requested_max_tokens, end_user, typeof(id), typeof(hash) FROM operation_log"));
        Assert.Equal<object?>(
            ["integer", "integer", "integer", "real", 12.5, "integer", 1L, "integer", 7L, 3L, "text", "2026-02-01", "null",
             "integer", 32L, "\u00fcser \U0001F600", "integer", "text"], row);
        var opened = Assert.Single(reader.Rows(
            "SELECT attempt, ts, typeof(ts_ms), end_user, streamed, estimated_cost_usd, typeof(experiment_id) FROM open_attempts"));
        Assert.Equal<object?>([2L, "2026-03-02T10:00:00.1234567Z", "integer", "u\u00e9", 1L, "0.25", "null"], opened);
    }

    [Fact]
    public async Task AppendAsync_Enums_StoredAsLowerCaseWords()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);

        await log.AppendAsync([TestEntries.Failure("a"), TestEntries.Success("b") with { Status = AttemptStatus.Cancelled, CostStatus = CostStatus.Estimated }], Ct);

        using var reader = test.OpenIndependentReader();
        var rows = reader.Rows("SELECT status, cost_status, streamed FROM operation_log ORDER BY id");
        Assert.Equal(["failed", "not_billed", 0L], rows[0]);
        Assert.Equal(["cancelled", "estimated", 0L], rows[1]);
    }

    [Fact]
    public async Task AppendAsync_RowFailsMidBatch_CommitsNothingAndRecovers()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        var batch = Enumerable.Range(0, 2000).Select(i => TestEntries.Success($"r{i}")).ToArray();
        batch[1500] = batch[1500] with { Principal = null! };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(batch, Ct));

        Assert.Contains("Principal", ex.Message, StringComparison.Ordinal);
        Assert.Empty((await log.QueryAsync(new(), Ct)).Items);
        batch[1500] = TestEntries.Success("r1500");
        await log.AppendAsync(batch, Ct);
        using var reader = test.OpenIndependentReader();
        Assert.Equal(2000L, reader.Count("operation_log"));
    }

    [Fact]
    public async Task AppendAsync_CancelledBeforeCommit_CommitsNothing()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.AppendAsync([TestEntries.Success("a")], cts.Token));

        Assert.Empty((await log.QueryAsync(new(), Ct)).Items);
    }

    [Fact]
    public async Task AppendAsync_CommittedBatch_IsOnDiskForAnIndependentReaderWhileTheWriterStaysOpen()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        var batch = Enumerable.Range(0, 500).Select(i => TestEntries.Success($"r{i}", costUsd: 0.000444696m)).ToArray();

        await log.AppendAsync(batch, Ct);

        // As if the process were killed now: copy the files as they are (no checkpoint, no clean close) and open the copy.
        var copy = Path.Combine(test.Directory, "copy.db");
        File.Copy(test.FilePath, copy);
        if (File.Exists(test.FilePath + "-wal"))
        {
            File.Copy(test.FilePath + "-wal", copy + "-wal");
        }

        using (var reader = test.OpenIndependentReader(copy))
        {
            Assert.Equal(500L, reader.Count("operation_log"));
            Assert.Equal("0.000444696", reader.Scalar("SELECT cost_usd FROM operation_log WHERE request_id = 'r499'"));
        }

        await using var second = new SqliteDatabase(test.ConnectionString);
        var page = await new SqliteOperationLogStore(second).QueryAsync(new(Limit: 1), Ct);
        Assert.Equal("r499", Assert.Single(page.Items).RequestId);
    }

    [Fact]
    public async Task AppendAsync_ThroughTheGroupCommitWriter_EveryRowDurable()
    {
        await using var test = await TestDatabase.CreateAsync();
        using var log = new SqliteOperationLogStore(test.Database);
        await using (var writer = new OperationLogWriter(log, NullLogger<OperationLogWriter>.Instance))
        {
            await Task.WhenAll(Enumerable.Range(0, 300).Select(i => Task.Run(() => writer.AppendAsync(TestEntries.Success($"r{i}")), Ct)));
            Assert.Equal(300, writer.CommittedRows);
        }

        using var reader = test.OpenIndependentReader();
        Assert.Equal(300L, reader.Count("operation_log"));
    }

    [Theory]
    [InlineData("SELECT id FROM operation_log WHERE operation = 'chat' AND id < 100 ORDER BY id DESC LIMIT 10", "ix_operation_log_operation_id")]
    [InlineData("SELECT id FROM operation_log WHERE end_user = 'u' AND id < 100 ORDER BY id DESC LIMIT 10", "ix_operation_log_end_user_id")]
    [InlineData("SELECT id FROM operation_log l WHERE (l.ts_ms, l.id) > (0, 0) AND l.ts_ms <= 100 ORDER BY l.ts_ms, l.id LIMIT 512", "ix_operation_log_ts_ms")]
    public async Task Queries_UseTheirIndex_WithoutSorting(string sql, string index)
    {
        await using var test = await TestDatabase.CreateAsync();
        using var reader = test.OpenIndependentReader();

        var plan = string.Join(" | ", reader.Rows("EXPLAIN QUERY PLAN " + sql).Select(r => r[3]));

        Assert.Contains(index, plan, StringComparison.Ordinal);
        Assert.DoesNotContain("TEMP B-TREE", plan, StringComparison.Ordinal);
    }
}
