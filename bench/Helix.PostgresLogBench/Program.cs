using System.Diagnostics;
using System.Globalization;
using Helix.Core.Budgets;
using Helix.Core.Insights;
using Helix.Storage.Postgres;
using Npgsql;

// Usage: dotnet run -c Release --project bench/Helix.PostgresLogBench -- "<server connection string>" [rows]
// Creates a scratch database, generates the rows over 90 days (SQL generate_series into each month's partition,
// attached once filled; the hourly rollups computed over all rows at once), then times each query the spend summaries
// and the dashboard's charts run, and drops the database.
if (args.Length < 1)
{
    Console.Error.WriteLine("usage: Helix.PostgresLogBench \"Host=…;Username=…;Database=postgres\" [rows (default 10000000)]");
    return 2;
}

var server = args[0];
var rows = args.Length > 1 ? long.Parse(args[1], CultureInfo.InvariantCulture) : 10_000_000L;
const long Chunk = 1_000_000;
var name = "helix_bench_" + Guid.NewGuid().ToString("N")[..12];
var start = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
var days = 90;

await Execute(server, $"CREATE DATABASE {name} TEMPLATE template0");
try
{
    var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 0 }.ConnectionString;
    await using var database = new PostgresDatabase(connectionString);
    await database.InitializeAsync();
    await using (var connection = await database.OpenConnectionAsync())
    {
        // Bulk load, as a restore or an import would: each month's rows go into a plain table without indexes, which is
        // then attached as that month's partition (PostgreSQL builds its indexes in one sorted pass), and the hourly
        // rollups are computed once over all rows by the statements the rollup triggers and migration 0014's backfill
        // run. Row by row through the triggers the same rows take far longer on a loaded machine (about 10,000 rows/s
        // measured), and what this bench measures is the reads.
        var generate = Stopwatch.StartNew();
        var step = days * 86400.0 / rows;
        for (var month = start; month < start.AddDays(days); month = month.AddMonths(1))
        {
            var monthEnd = month.AddMonths(1);
            var part = "operation_log_" + month.ToString("yyyyMM", CultureInfo.InvariantCulture);
            // Unlogged: a scratch database need not survive a crash, and the load writes no WAL.
            await Run(connection, $"CREATE UNLOGGED TABLE {part} (LIKE operation_log INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            var first = Math.Max(0, (long)Math.Floor((month - start).TotalSeconds / step) - 2);
            var last = Math.Min(rows - 1, (long)Math.Ceiling((monthEnd - start).TotalSeconds / step) + 2);
            for (var from = first; from <= last; from += Chunk)
            {
                // 9 operations, 12 models, 5,000 users, 40 keys, spread evenly over the 90 days; a tenth are retries.
                await using var insert = new NpgsqlCommand($"""
                    INSERT INTO {part} (id, request_id, ts, operation, principal, end_user, provider, model, attempt, status,
                        latency_ms, streamed, usage_known, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
                        input_audio_tokens, cache_read_audio_tokens, input_image_tokens, input_video_tokens, tool_prompt_tokens,
                        output_tokens, reasoning_tokens, output_audio_tokens, audio_seconds, characters, requests, web_search_requests,
                        cache_storage_token_hours, cost_usd, cost_status)
                    SELECT * FROM (
                        SELECT g + 1, 'r' || g, $1::timestamptz + (g * ($2::double precision / $3)) * interval '1 second' AS ts,
                               (ARRAY['chat','agent','memory-synthesis','sentiment-analysis','email-drafting','video-understanding','audio-transcription','text-to-speech','embeddings'])[1 + g % 9],
                               'key-' || (g % 40), CASE WHEN g % 7 = 0 THEN NULL ELSE 'user-' || (g % 5000) END,
                               'p' || (g % 12 % 4), 'p' || (g % 12 % 4) || '/model-' || (g % 12), 1 + (g % 10 = 0)::int,
                               CASE WHEN g % 50 = 0 THEN 'failed' ELSE 'success' END,
                               20 + (g % 40) * 37.5, false, true, 800 + g % 500, 0, 0, 0, 0, 0, 0, 0, 0, 120 + g % 200, 0, 0, 0, 0, 0, 0, 0,
                               round((0.0001 + (g % 1000) * 0.0000013)::numeric, 9), 'priced'
                        FROM generate_series($4::bigint, $5::bigint) AS g) AS r
                    WHERE r.ts >= $6 AND r.ts < $7
                    """, connection);
                insert.Parameters.AddWithValue(start);
                insert.Parameters.AddWithValue(days * 86400.0);
                insert.Parameters.AddWithValue((double)rows);
                insert.Parameters.AddWithValue(from);
                insert.Parameters.AddWithValue(Math.Min(last, from + Chunk - 1));
                insert.Parameters.AddWithValue(month);
                insert.Parameters.AddWithValue(monthEnd);
                await insert.ExecuteNonQueryAsync();
            }

            await Run(connection, $"ALTER TABLE operation_log ATTACH PARTITION {part} FOR VALUES FROM ('{month:O}') TO ('{monthEnd:O}')");
        }

        Console.WriteLine($"generated {rows:N0} rows over {days} days, indexes included, in {generate.Elapsed.TotalSeconds:F1} s");
        var rollup = Stopwatch.StartNew();
        foreach (var statement in (string[])[
            """
            INSERT INTO operation_log_hourly (hour, dimension, subject, calls, attempts, cost_nanos)
            SELECT hour, CASE WHEN GROUPING(operation) = 0 THEN 'operation' WHEN GROUPING(model) = 0 THEN 'model'
            WHEN GROUPING(end_user) = 0 THEN 'user' WHEN GROUPING(principal) = 0 THEN 'key'
            WHEN GROUPING(provider) = 0 THEN 'provider' ELSE 'global' END,
            coalesce(operation, model, end_user, principal, provider, '*'),
            count(*) FILTER (WHERE attempt = 1), count(*), coalesce(sum(nanos), 0)::bigint
            FROM (SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, attempt, round(cost_usd * 1000000000) AS nanos,
            operation, model, coalesce(end_user, '') AS end_user, principal, provider
            FROM operation_log) r
            GROUP BY GROUPING SETS ((hour), (hour, operation), (hour, model), (hour, end_user), (hour, principal), (hour, provider))
            """,
            """
            INSERT INTO operation_model_hourly (hour, operation, model, calls, attempts, failures, cost_nanos)
            SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', operation, model, count(*) FILTER (WHERE attempt = 1),
            count(*), count(*) FILTER (WHERE status IN ('failed', 'interrupted')), coalesce(sum(round(cost_usd * 1000000000)), 0)::bigint
            FROM operation_log GROUP BY 1, 2, 3
            """,
            """
            INSERT INTO latency_hourly (hour, model, bucket, count)
            SELECT hour, model, helix_latency_bucket(latency_ms), sum(n)
            FROM (SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, model, latency_ms, count(*) AS n
            FROM operation_log WHERE status = 'success' GROUP BY 1, 2, 3) r
            GROUP BY 1, 2, 3
            """,
            """
            ANALYZE operation_log
            """,
            """
            ANALYZE operation_log_hourly
            """,
            """
            ANALYZE operation_model_hourly
            """,
            """
            ANALYZE latency_hourly
            """,
        ])
        {
            var clock = Stopwatch.StartNew();
            await Run(connection, statement);
            Console.WriteLine($"  {statement.Split('\n')[0].Trim()}: {clock.Elapsed.TotalSeconds:F1} s");
        }

        Console.WriteLine($"computed the hourly rollups over every row in {rollup.Elapsed.TotalSeconds:F1} s");
        await using var rollups = new NpgsqlCommand("SELECT (SELECT count(*) FROM operation_log), (SELECT count(*) FROM operation_log_hourly)", connection);
        await using (var reader = await rollups.ExecuteReaderAsync())
        {
            await reader.ReadAsync();
            Console.WriteLine($"log rows: {reader.GetInt64(0):N0}; rollup rows (operation_log_hourly): {reader.GetInt64(1):N0}");
        }
    }

    var store = new PostgresBudgetStore(database);
    var insights = new PostgresInsightsStore(database);
    var end = start.AddDays(days);
    var half = TimeSpan.FromMinutes(30);
    (string Name, Func<Task<int>> Run)[] queries =
    [
        ("spend summary: month x operation, 90 days", async () => (await store.GetSpendAsync(new SpendQuery(BudgetPeriod.Month, SpendGrouping.Operation, start, end))).Count),
        ("spend summary: day x model, 30 days", async () => (await store.GetSpendAsync(new SpendQuery(BudgetPeriod.Day, SpendGrouping.Model, end.AddDays(-30), end))).Count),
        ("spend summary: day x key, 30 days", async () => (await store.GetSpendAsync(new SpendQuery(BudgetPeriod.Day, SpendGrouping.Key, end.AddDays(-30), end))).Count),
        ("chart: hourly activity per operation, 7 days", async () => (await store.GetHourlyActivityAsync(SpendGrouping.Operation, end.AddDays(-7), end)).Count),
        ("chart: hourly activity per user, 24 hours", async () => (await store.GetHourlyActivityAsync(SpendGrouping.User, end.AddDays(-1), end)).Count),
        ("budget seed: global month spend", async () => { await store.GetSpendNanosAsync(BudgetScope.Global, BudgetConfig.GlobalSubject, end.AddDays(-30), end); return 1; }),
        ("budget seed: one user's day, zone +05:30 (raw edges)", async () => { await store.GetSpendNanosAsync(BudgetScope.User, "user-42", end.AddDays(-1).Add(half), end.Add(half)); return 1; }),
        ("dashboard: usage per operation and model, 30 days", async () => (await insights.GetHourlyUsageAsync(end.AddDays(-30), end)).Count),
        ("dashboard: latency histogram per model, 30 days", async () => (await insights.GetLatencyAsync(end.AddDays(-30), end)).Count),
        ("dashboard: log page, newest 50", async () => (await insights.SearchAsync(new LogSearch(Limit: 50))).Items.Count),
        ("dashboard: log page by model, 30 days", async () => (await insights.SearchAsync(new LogSearch(Model: "p3/model-7", From: end.AddDays(-30), To: end, Limit: 50))).Items.Count),
        ("dashboard: one call's attempts", async () => (await insights.GetCallAsync("r" + (rows / 2).ToString(CultureInfo.InvariantCulture))).Count),
    ];

    Console.WriteLine();
    Console.WriteLine("| query | result rows | median | max (of 5, after 1 warm-up) |");
    Console.WriteLine("| --- | ---: | ---: | ---: |");
    foreach (var (title, run) in queries)
    {
        var count = await run();
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            await run();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine($"| {title} | {count:N0} | {times[2]:F1} ms | {times[^1]:F1} ms |");
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await Execute(server, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
}

return 0;

static async Task Run(NpgsqlConnection connection, string sql)
{
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}

static async Task Execute(string server, string sql)
{
    await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
