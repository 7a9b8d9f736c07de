using Npgsql;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

public sealed class PostgresMigratorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MigrateAsync_TwoInstancesAtOnce_ApplyEachScriptOnce()
    {
        await using var test = await PostgresTestDatabase.CreateAsync(migrate: false);
        var first = test.Open("a");
        var second = test.Open("b");

        Assert.Equal(0, await first.Migrator.GetCurrentVersionAsync(Ct));

        var applied = await Task.WhenAll(first.Migrator.MigrateAsync(Ct), second.Migrator.MigrateAsync(Ct));

        Assert.Equal(PostgresMigrator.Migrations.Count, applied.Sum());
        Assert.Equal((long)PostgresMigrator.Migrations.Count, await test.ScalarAsync("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(PostgresMigrator.LatestVersion, await first.Migrator.GetCurrentVersionAsync(Ct));
        Assert.Equal(9L, await test.ScalarAsync("SELECT count(*) FROM routes"));
    }

    [Fact]
    public async Task MigrateAsync_AlreadyMigrated_AppliesNothing()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();

        Assert.Equal(0, await test.Database.Migrator.MigrateAsync(Ct));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanTheBuild_RefusesAndChangesNothing()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        await test.ScalarAsync($"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({PostgresMigrator.LatestVersion + 1}, 'future', now())");

        var ex = await Assert.ThrowsAsync<PostgresSchemaException>(() => test.Database.Migrator.MigrateAsync(Ct));

        Assert.Contains("newer Helix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scripts_AppliedAsPlainSqlInOrder_GiveTheSameSchemaAsTheMigrator()
    {
        // What a Supabase project (or psql -1 -f) does: each file as it is, in order, in its own transaction.
        await using var byHand = await PostgresTestDatabase.CreateAsync(migrate: false);
        await using var byMigrator = await PostgresTestDatabase.CreateAsync();
        await using (var connection = await byHand.Database.OpenConnectionAsync(Ct))
        {
            foreach (var migration in PostgresMigrator.Migrations)
            {
                var script = PostgresMigrator.ReadScript(migration);
                Assert.DoesNotMatch(@"(?im)^\s*(BEGIN|COMMIT|ROLLBACK)\s*;", script);
                await using var transaction = await connection.BeginTransactionAsync(Ct);
                await using var command = new NpgsqlCommand(script, connection, transaction);
                await command.ExecuteNonQueryAsync(Ct);
                await transaction.CommitAsync(Ct);
            }
        }

        const string Tables = "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' ORDER BY table_name, ordinal_position) FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE 'operation_log_2%' AND table_name <> 'schema_migrations'";
        Assert.Equal(await byMigrator.ScalarAsync(Tables), await byHand.ScalarAsync(Tables));
        Assert.Equal(await byMigrator.ScalarAsync("SELECT count(*) FROM models"), await byHand.ScalarAsync("SELECT count(*) FROM models"));
    }
}
