using Helix.Testing;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteMigratorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Migrations_Embedded_AreNumberedFromOneAscendingWithoutRepeats()
    {
        var migrations = SqliteMigrator.Migrations;

        Assert.Equal(1, migrations[0].Version);
        Assert.All(migrations.Zip(migrations.Skip(1)), pair => Assert.True(pair.First.Version < pair.Second.Version));
        Assert.Equal("initial", migrations[0].Name);
        Assert.Equal("prices", migrations[1].Name);
        Assert.All(migrations, m => Assert.StartsWith(SqliteMigrator.ResourcePrefix, m.ResourceName, StringComparison.Ordinal));
        Assert.Equal(migrations[^1].Version, SqliteMigrator.LatestVersion);
    }

    [Fact]
    public async Task MigrateAsync_FreshDatabase_AppliesAndRecordsEveryScript()
    {
        await using var test = await TestDatabase.CreateAsync(migrate: false);
        Assert.Equal(0, await test.Database.Migrator.GetCurrentVersionAsync(Ct));

        await test.Database.Migrator.MigrateAsync(Ct);

        Assert.Equal(SqliteMigrator.LatestVersion, await test.Database.Migrator.GetCurrentVersionAsync(Ct));
        using var reader = test.OpenIndependentReader();
        var rows = reader.Rows("SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        Assert.Equal(SqliteMigrator.Migrations.Select(m => (object?)(long)m.Version), rows.Select(r => r[0]));
        Assert.Equal(SqliteMigrator.Migrations.Select(m => (object?)m.Name), rows.Select(r => r[1]));
        Assert.All(rows, r => Assert.Equal("2026-07-24T12:00:00.0000000Z", r[2]));
        foreach (var table in new[] { "models", "routes", "operation_log", "price_overrides", "cost_adjustments" })
        {
            Assert.Equal(1L, reader.Scalar($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"));
        }
    }

    [Fact]
    public async Task MigrateAsync_RunAgain_ChangesNothing()
    {
        await using var test = await TestDatabase.CreateAsync();
        test.Time.Advance(TimeSpan.FromDays(1));

        await test.Database.Migrator.MigrateAsync(Ct);
        await using (var second = new SqliteDatabase(test.ConnectionString))
        {
            await second.InitializeAsync(Ct);
        }

        using var reader = test.OpenIndependentReader();
        Assert.Equal((long)SqliteMigrator.Migrations.Count, reader.Count("schema_migrations"));
        Assert.Equal(0L, reader.Scalar("SELECT count(*) FROM schema_migrations WHERE applied_at <> '2026-07-24T12:00:00.0000000Z'"));
        Assert.Equal(9L, reader.Count("routes"));
        Assert.Equal(19L, reader.Count("models"));
    }

    [Fact]
    public async Task MigrateAsync_TwoProcessesAtOnce_ApplyEachScriptOnce()
    {
        await using var test = await TestDatabase.CreateAsync(migrate: false);
        await using var other = new SqliteDatabase(test.ConnectionString);

        await Task.WhenAll(
            Task.Run(() => test.Database.InitializeAsync(Ct), Ct),
            Task.Run(() => other.InitializeAsync(Ct), Ct));

        using var reader = test.OpenIndependentReader();
        Assert.Equal((long)SqliteMigrator.Migrations.Count, reader.Count("schema_migrations"));
        Assert.Equal(9L, reader.Count("routes"));
    }

    [Fact]
    public async Task MigrateAsync_DatabaseNewerThanCode_RefusesAndTouchesNothing()
    {
        await using var test = await TestDatabase.CreateAsync(migrate: false);
        using (var setup = new SqliteConnection(test.ConnectionString))
        {
            Directory.CreateDirectory(test.Directory);
            setup.Open();
            setup.Execute("CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL); " +
                "INSERT INTO schema_migrations VALUES (9999, 'from_the_future', '2027-01-01T00:00:00Z');");
        }

        var ex = await Assert.ThrowsAsync<SqliteSchemaException>(() => test.Database.InitializeAsync(Ct));

        Assert.Contains("9999", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"up to {SqliteMigrator.LatestVersion}", ex.Message, StringComparison.Ordinal);
        using var reader = test.OpenIndependentReader();
        Assert.Equal(0L, reader.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'models'"));
    }

    [Fact]
    public async Task MigrateAsync_AppliedScriptHasAnotherName_Refuses()
    {
        await using var test = await TestDatabase.CreateAsync();
        using (var setup = new SqliteConnection(test.ConnectionString))
        {
            setup.Open();
            setup.Execute("UPDATE schema_migrations SET name = 'other_branch' WHERE version = 2");
        }

        var ex = await Assert.ThrowsAsync<SqliteSchemaException>(() => test.Database.Migrator.MigrateAsync(Ct));

        Assert.Contains("other_branch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateAsync_From0003WithLogAndAdjustments_KeepsThemAndAllowsInterruptedRows()
    {
        await using var test = await TestDatabase.CreateAsync(migrate: false);
        Directory.CreateDirectory(test.Directory);
        using (var setup = new SqliteConnection(test.ConnectionString))
        {
            setup.Open();
            setup.Execute("PRAGMA foreign_keys=ON; CREATE TABLE schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            foreach (var migration in SqliteMigrator.Migrations.Where(m => m.Version <= 3))
            {
                using var script = new StreamReader(typeof(SqliteMigrator).Assembly.GetManifestResourceStream(migration.ResourceName)!);
                setup.Execute(script.ReadToEnd());
                setup.Execute($"INSERT INTO schema_migrations VALUES ({migration.Version}, '{migration.Name}', '2026-01-01T00:00:00Z')");
            }
        }

        using (var setup = new SqliteConnection(test.ConnectionString))
        {
            setup.Open();
            foreach (var requestId in new[] { "old-1", "old-2" })
            {
                setup.Execute($"""
                    INSERT INTO operation_log (request_id, ts, ts_ms, operation, principal, provider, model, attempt, status,
                        latency_ms, streamed, usage_known, input_tokens, cache_read_tokens, cache_write_5m_tokens,
                        cache_write_1h_tokens, input_audio_tokens, cache_read_audio_tokens, input_image_tokens,
                        input_video_tokens, tool_prompt_tokens, output_tokens, reasoning_tokens, output_audio_tokens,
                        audio_seconds, characters, requests, web_search_requests, cache_storage_token_hours, cost_usd, cost_status)
                    VALUES ('{requestId}', '2026-03-02T10:00:00.0000000Z', 1772445600000, 'chat', 'app:test', 'openai',
                        'openai/gpt-4o-mini', 1, 'success', 12.5, 0, 1, 100, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, '0', 0, 0, 0,
                        '0', '0.0001', 'priced')
                    """);
            }

            setup.Execute("""
                INSERT INTO cost_adjustments (log_id, cost_usd, cost_status, reason, adjusted_at, adjusted_at_ms, adjusted_by)
                VALUES (2, '0.5', 'priced', 'price fix', '2026-03-02T10:00:00Z', 0, 'admin')
                """);
        }

        await test.Database.Migrator.MigrateAsync(Ct);

        using var log = new SqliteOperationLogStore(test.Database);
        await log.AppendAsync([TestEntries.Success("new") with { Status = AttemptStatus.Interrupted, CostStatus = CostStatus.Estimated }], Ct);
        var items = (await log.QueryAsync(new LogQuery(), Ct)).Items;
        Assert.Equal([("new", 3L), ("old-2", 2L), ("old-1", 1L)], items.Select(e => (e.RequestId, e.Id)));
        Assert.Equal(AttemptStatus.Interrupted, items[0].Status);
        Assert.Equal(0.5m, items[1].RepricedCostUsd);
        using var reader = test.OpenIndependentReader();
        Assert.Equal(0L, reader.Count("open_attempts"));
        // Three indexes since 0001, 0007's covering index for spend, 0013's by request id and by model.
        Assert.Equal(6L, reader.Scalar("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'operation_log'"));
        Assert.Empty(reader.Rows("PRAGMA foreign_key_check"));
    }

    [Fact]
    public async Task MigrateAsync_ScriptFails_RollsThatScriptBackWhole()
    {
        await using var test = await TestDatabase.CreateAsync(migrate: false);
        using (var setup = new SqliteConnection(test.ConnectionString))
        {
            Directory.CreateDirectory(test.Directory);
            setup.Open();
            setup.Execute("CREATE TABLE operation_log (id INTEGER PRIMARY KEY)");
        }

        await Assert.ThrowsAsync<SqliteException>(() => test.Database.InitializeAsync(Ct));

        using var reader = test.OpenIndependentReader();
        Assert.Equal(0L, reader.Count("schema_migrations"));
        Assert.Equal(0L, reader.Scalar("SELECT count(*) FROM sqlite_master WHERE name IN ('models', 'routes')"));
    }

    [Fact]
    public async Task MigrateAsync_Seed_HoldsTheModelCatalog()
    {
        await using var test = await TestDatabase.CreateAsync();

        var models = (await new SqliteRouteStore(test.Database).GetModelsAsync(Ct)).ToDictionary(m => m.Id);

        Assert.Equal(19, models.Count);
        string[] chat =
        [
            "deepseek/deepseek-v4-flash", "deepseek/deepseek-v4-pro", "gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash-lite",
            "gemini/gemini-2.5-pro", "openai/gpt-4.1-mini", "openai/gpt-4.1", "openai/gpt-4o-mini", "openai/gpt-4o",
            "anthropic/claude-sonnet-4-5", "anthropic/claude-haiku-4-5",
        ];
        Assert.All(chat, id => Assert.Equal(Modality.Chat, models[id].Modality));
        Assert.All(chat, id => Assert.True(models[id].DefaultMaxOutputTokens > 0));
        Assert.All(["openai/text-embedding-3-small", "gemini/gemini-embedding-001"], id => Assert.Equal(Modality.Embeddings, models[id].Modality));
        Assert.All(["deepgram/nova-3", "openai/gpt-4o-mini-transcribe", "openai/whisper-1"], id => Assert.Equal(Modality.Transcription, models[id].Modality));
        Assert.All(["edge-tts/en-US-AriaNeural", "openai/tts-1", "openai/gpt-4o-mini-tts"], id => Assert.Equal(Modality.Speech, models[id].Modality));
        Assert.All(models.Values, m => Assert.Equal(ModelConfig.IdOf(m.Provider, m.ProviderModel), m.Id));
        Assert.DoesNotContain(models.Values, m => m.ProviderModel == "deepseek-chat");
    }

    [Theory]
    [InlineData("chat", "deepseek/deepseek-v4-flash", "gemini/gemini-2.5-flash", Modality.Chat)]
    [InlineData("agent", "deepseek/deepseek-v4-pro", "gemini/gemini-2.5-pro", Modality.Chat)]
    [InlineData("memory-synthesis", "gemini/gemini-2.5-flash", "deepseek/deepseek-v4-flash", Modality.Chat)]
    [InlineData("sentiment-analysis", "gemini/gemini-2.5-flash-lite", "deepseek/deepseek-v4-flash", Modality.Chat)]
    [InlineData("email-drafting", "gemini/gemini-2.5-flash", "deepseek/deepseek-v4-flash", Modality.Chat)]
    [InlineData("video-understanding", "gemini/gemini-2.5-pro", "openai/gpt-4.1", Modality.Chat)]
    [InlineData("audio-transcription", "deepgram/nova-3", "openai/gpt-4o-mini-transcribe", Modality.Transcription)]
    [InlineData("text-to-speech", "edge-tts/en-US-AriaNeural", "openai/tts-1", Modality.Speech)]
    [InlineData("embeddings", "openai/text-embedding-3-small", "gemini/gemini-embedding-001", Modality.Embeddings)]
    public async Task MigrateAsync_Seed_HoldsTheRouteOfEachOperation(string operation, string primary, string fallback, Modality modality)
    {
        await using var test = await TestDatabase.CreateAsync();

        var route = Assert.Single(await new SqliteRouteStore(test.Database).GetRoutesAsync(Ct), r => r.Operation == operation);

        Assert.Equal(primary, route.PrimaryModel);
        Assert.Equal([fallback], route.FallbackModels);
        Assert.Equal(modality, route.Modality);
        Assert.True(route.Enabled);
        Assert.Equal(UnknownPricePolicy.Flag, route.UnknownPricePolicy);
        Assert.Equal(1, route.Version);
        Assert.Equal("seed", route.UpdatedBy);
    }

    [Fact]
    public async Task MigrateAsync_Seed_MatchesTheTestCatalog()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteRouteStore(test.Database);
        var models = (await store.GetModelsAsync(Ct)).ToDictionary(m => m.Id);
        var routes = await store.GetRoutesAsync(Ct);

        Assert.All(Helix.Testing.TestModels.Catalog, m => Assert.Equal(m, models[m.Id]));
        Assert.Equal(
            Helix.Testing.TestModels.Routes.Select(r => (r.Operation, r.PrimaryModel, string.Join(",", r.FallbackModels), r.Modality)).Order(),
            routes.Select(r => (r.Operation, r.PrimaryModel, string.Join(",", r.FallbackModels), r.Modality)).Order());
    }
}
