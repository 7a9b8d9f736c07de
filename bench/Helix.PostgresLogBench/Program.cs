using System.Diagnostics;
using System.Globalization;
using Helix.Core.Budgets;
using Helix.Core.Insights;
using Helix.Storage.Postgres;
using Npgsql;

// Usage: dotnet run -c Release --project bench/Helix.PostgresLogBench -- "<server connection string>" [rows]
// Creates a scratch database, generates the rows over 90 days (SQL generate_series, in chunks, so the rollup trigger
// sees each chunk as one batch), then times each query the spend summaries and charts run, and drops the database.
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
        for (var month = start; month < start.AddDays(days); month = month.AddMonths(1))
        {
            await using var ensure = new NpgsqlCommand("SELECT helix_ensure_log_partition($1)", connection);
            ensure.Parameters.AddWithValue(month);
            await ensure.ExecuteNonQueryAsync();
        }

        var generate = Stopwatch.StartNew();
        for (long from = 0; from < rows; from += Chunk)
        {
            // 9 operations, 12 models, 5,000 users, 40 keys, spread evenly over the 90 days; a tenth are retries.
            await using var insert = new NpgsqlCommand($"""
                INSERT INTO operation_log (request_id, ts, operation, principal, end_user, provider, model, attempt, status,
                    latency_ms, streamed, usage_known, input_tokens, cache_read_tokens, cache_write_5m_tokens, cache_write_1h_tokens,
                    input_audio_tokens, cache_read_audio_tokens, input_image_tokens, input_video_tokens, tool_prompt_tokens,
                    output_tokens, reasoning_tokens, output_audio_tokens, audio_seconds, characters, requests, web_search_requests,
                    cache_storage_token_hours, cost_usd, cost_status)
                SELECT 'r' || g, $1::timestamptz + (g * ($2::double precision / $3)) * interval '1 second',
                       (ARRAY['chat','agent','memory-synthesis','sentiment-analysis','email-drafting','video-understanding','audio-transcription','text-to-speech','embeddings'])[1 + g % 9],
                       'key-' || (g % 40), CASE WHEN g % 7 = 0 THEN NULL ELSE 'user-' || (g % 5000) END,
                       'p' || (g % 12 % 4), 'p' || (g % 12 % 4) || '/model-' || (g % 12), 1 + (g % 10 = 0)::int, 'success',
                       120.5, false, true, 800 + g % 500, 0, 0, 0, 0, 0, 0, 0, 0, 120 + g % 200, 0, 0, 0, 0, 0, 0, 0,
                       round((0.0001 + (g % 1000) * 0.0000013)::numeric, 9), 'priced'
                FROM generate_series($4::bigint, $5::bigint) AS g
                """, connection);
            insert.Parameters.AddWithValue(start);
            insert.Parameters.AddWithValue(days * 86400.0);
            insert.Parameters.AddWithValue((double)rows);
            insert.Parameters.AddWithValue(from);
            insert.Parameters.AddWithValue(Math.Min(rows, from + Chunk) - 1);
            await insert.ExecuteNonQueryAsync();
        }

        await using (var analyze = new NpgsqlCommand("ANALYZE operation_log; ANALYZE operation_log_hourly; ANALYZE operation_model_hourly; ANALYZE latency_hourly", connection))
        {
            await analyze.ExecuteNonQueryAsync();
        }

        Console.WriteLine($"generated {rows:N0} rows over {days} days in {generate.Elapsed.TotalSeconds:F1} s ({rows / generate.Elapsed.TotalSeconds:N0} rows/s, rollups kept by the trigger)");
        await using var rollups = new NpgsqlCommand("SELECT count(*) FROM operation_log_hourly", connection);
        Console.WriteLine($"rollup rows: {(long)(await rollups.ExecuteScalarAsync())!:N0}");
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

static async Task Execute(string server, string sql)
{
    await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Pooling = false }.ConnectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
