using Helix.Core.Insights;
using Helix.Core.OperationLog;
using Helix.Testing;
using Npgsql;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

/// <summary>PostgreSQL-only insights cases: the bucket function against Core's bounds, and migration 0014's backfill.</summary>
public sealed class PostgresInsightsStoreTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HelixLatencyBucket_AtAndAroundEveryBound_MatchesLatencyHistogram()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        List<double> latencies = [0, -1, double.MaxValue];
        foreach (var bound in LatencyHistogram.UpperBoundsMs.Where(double.IsFinite))
        {
            latencies.AddRange([bound, Math.BitDecrement(bound), Math.BitIncrement(bound), bound + 0.25]);
        }

        await using var connection = await test.Database.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand("SELECT l, helix_latency_bucket(l) FROM unnest($1::double precision[]) AS l", connection);
        command.Parameters.AddWithValue(latencies.ToArray());
        var checkedCount = 0;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            Assert.Equal(LatencyHistogram.BucketOf(reader.GetDouble(0)), reader.GetInt32(1));
            checkedCount++;
        }

        Assert.Equal(latencies.Count, checkedCount);
    }

    [Fact]
    public async Task Migration0014_OverRowsLoggedBeforeIt_BackfillsWhatTheTriggerWouldHaveKept()
    {
        var at = TestEntries.Epoch;
        OperationLogEntry[] rows =
        [
            TestEntries.Success("a", at: at, costUsd: 0.000000123m) with { LatencyMs = 40 },
            TestEntries.Failure("b", at: at.AddMinutes(5)),
            TestEntries.Success("b", attempt: 2, at: at.AddMinutes(5), model: "gemini/gemini-2.5-flash", costUsd: 0.75m) with { LatencyMs = 900 },
            TestEntries.Success("c", at: at.AddHours(1).AddMinutes(1), operation: "agent") with { LatencyMs = 125_000 },
            TestEntries.Success("d", at: at.AddDays(40)),
        ];

        // Migrated up to 0013 by hand, rows logged, then 0014: its INSERT … SELECT fills the rollups from the rows.
        await using var before = await PostgresTestDatabase.CreateAsync(migrate: false);
        await ApplyScriptsAsync(before, m => m.Version < 14);
        await new PostgresOperationLogStore(before.Database).AppendAsync(rows, Ct);
        await ApplyScriptsAsync(before, m => m.Version >= 14);

        // The same rows appended to a database migrated whole: the trigger keeps the rollups.
        await using var after = await PostgresTestDatabase.CreateAsync();
        await new PostgresOperationLogStore(after.Database).AppendAsync(rows, Ct);

        var backfilled = new PostgresInsightsStore(before.Database);
        var kept = new PostgresInsightsStore(after.Database);
        var to = at.AddDays(41);
        var usage = await backfilled.GetHourlyUsageAsync(at, to, Ct);
        Assert.Equal(4, usage.Count);
        Assert.Equal(await kept.GetHourlyUsageAsync(at, to, Ct), usage);
        Assert.Equal(await kept.GetLatencyAsync(at, to, Ct), await backfilled.GetLatencyAsync(at, to, Ct));
        Assert.Equal(4, (await backfilled.GetLatencyAsync(at, to, Ct)).Count);
    }

    private static async Task ApplyScriptsAsync(PostgresTestDatabase test, Func<PostgresMigration, bool> which)
    {
        await using var connection = await test.Database.OpenConnectionAsync(Ct);
        foreach (var migration in PostgresMigrator.Migrations.Where(which))
        {
            await using var transaction = await connection.BeginTransactionAsync(Ct);
            await using (var command = new NpgsqlCommand(PostgresMigrator.ReadScript(migration), connection, transaction))
            {
                await command.ExecuteNonQueryAsync(Ct);
            }

            await transaction.CommitAsync(Ct);
        }
    }
}
