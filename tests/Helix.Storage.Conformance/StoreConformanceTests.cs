using Helix.Testing;
using System.Globalization;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Routing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>
/// What every back-end of <see cref="IRouteStore"/>, <see cref="IOperationLogStore"/> and <see cref="IPriceStore"/> must do.
/// A back-end subclasses it and returns fresh stores over a database seeded like the SQLite migrations.
/// </summary>
public abstract class StoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_epoch = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    private StoreUnderTest? _stores;

    protected IRouteStore Routes => Stores.Routes;

    protected IOperationLogStore Log => Stores.Log;

    protected IPriceStore Prices => Stores.Prices;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private StoreUnderTest Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    /// <summary>The finest step of time the back-end keeps (a tick for SQLite and the fakes; a microsecond for PostgreSQL).</summary>
    protected virtual long TimestampResolutionTicks => 1;

    /// <summary>Creates the stores over a new database holding the seed (the catalog and one route per operation).</summary>
    protected abstract Task<StoreUnderTest> CreateStoresAsync();

    /// <summary>An instant as the back-end keeps it: truncated to <see cref="TimestampResolutionTicks"/>.</summary>
    protected DateTimeOffset AsStored(DateTimeOffset at) =>
        new(at.UtcTicks - (at.UtcTicks % TimestampResolutionTicks), TimeSpan.Zero);

    public async ValueTask InitializeAsync() => _stores = await CreateStoresAsync();

    public async ValueTask DisposeAsync()
    {
        if (_stores?.Owner is { } owner)
        {
            await owner.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    // ---- routes and the catalog

    [Fact]
    public async Task GetRoutesAsync_Seeded_LoadsIntoARoutingSnapshot()
    {
        using var table = new RouteTable(Routes, TimeProvider.System);

        var snapshot = await table.ReloadAsync(Ct);

        Assert.True(snapshot.TryGetRoute("chat", out var chat));
        Assert.Equal(["deepseek/deepseek-v4-flash", "gemini/gemini-2.5-flash"], chat.Targets.Select(t => t.Id));
        Assert.Equal("deepseek-v4-flash", chat.Targets[0].ProviderModel);
        Assert.Equal("deepseek", chat.Targets[0].Provider);
    }

    [Fact]
    public async Task GetRoutesAsync_Seeded_ChatRouteIsVersionOneFromTheSeed()
    {
        var routes = await Routes.GetRoutesAsync(Ct);

        var chat = Assert.Single(routes, r => r.Operation == "chat");
        Assert.Equal("deepseek/deepseek-v4-flash", chat.PrimaryModel);
        Assert.Equal(["gemini/gemini-2.5-flash"], chat.FallbackModels);
        Assert.Equal(Modality.Chat, chat.Modality);
        Assert.True(chat.Enabled);
        Assert.Equal(UnknownPricePolicy.Flag, chat.UnknownPricePolicy);
        Assert.Equal(1, chat.Version);
        Assert.Equal("seed", chat.UpdatedBy);
    }

    [Fact]
    public async Task GetRoutesAsync_Seeded_EveryOperationHasARouteOfItsModality()
    {
        var routes = (await Routes.GetRoutesAsync(Ct)).ToDictionary(r => r.Operation);
        var models = (await Routes.GetModelsAsync(Ct)).ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);

        Assert.Equal(
            ["agent", "audio-transcription", "chat", "email-drafting", "embeddings", "memory-synthesis", "sentiment-analysis", "text-to-speech", "video-understanding"],
            routes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Modality.Transcription, routes["audio-transcription"].Modality);
        Assert.Equal(Modality.Speech, routes["text-to-speech"].Modality);
        foreach (var route in routes.Values)
        {
            foreach (var id in route.FallbackModels.Prepend(route.PrimaryModel))
            {
                Assert.Equal(route.Modality, models[id].Modality);
            }
        }
    }

    [Fact]
    public async Task SaveRouteAsync_NextVersion_BecomesTheRouteInForce()
    {
        var chat = await RouteAsync("chat");
        var changed = chat with
        {
            PrimaryModel = "gemini/gemini-2.5-flash",
            FallbackModels = ["deepseek/deepseek-v4-flash"],
            Version = 2,
            UpdatedAt = s_epoch,
            UpdatedBy = "admin:ana",
        };

        var saved = await Routes.SaveRouteAsync(changed, Ct);

        Assert.True(saved);
        Assert.Equal(changed, await RouteAsync("chat"), RouteComparer.Instance);
        Assert.Equal(9, (await Routes.GetRoutesAsync(Ct)).Count);
    }

    [Fact]
    public async Task SaveRouteAsync_VersionAlreadySaved_ReturnsFalseAndKeepsTheFirst()
    {
        var chat = await RouteAsync("chat");
        var first = chat with { Version = 2, PrimaryModel = "gemini/gemini-2.5-flash", UpdatedBy = "first" };
        var second = chat with { Version = 2, PrimaryModel = "openai/gpt-4o-mini", UpdatedBy = "second" };

        Assert.True(await Routes.SaveRouteAsync(first, Ct));
        var saved = await Routes.SaveRouteAsync(second, Ct);

        Assert.False(saved);
        Assert.Equal("first", (await RouteAsync("chat")).UpdatedBy);
        Assert.Equal(2, (await Routes.GetRouteHistoryAsync("chat", Ct)).Count);
    }

    [Fact]
    public async Task SaveRouteAsync_StaleVersion_ReturnsFalse()
    {
        var chat = await RouteAsync("chat");

        var saved = await Routes.SaveRouteAsync(chat with { UpdatedBy = "stale" }, Ct);

        Assert.False(saved);
        Assert.Equal("seed", (await RouteAsync("chat")).UpdatedBy);
    }

    [Fact]
    public async Task SaveRouteAsync_ConcurrentSavesOfOneVersion_ExactlyOneWins()
    {
        var chat = await RouteAsync("chat");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            Task.Run(() => Routes.SaveRouteAsync(chat with { Version = 2, UpdatedBy = $"admin-{i}" }, Ct), Ct)));

        Assert.Equal(1, results.Count(r => r));
        var winner = $"admin-{Array.IndexOf(results, true)}";
        Assert.Equal(winner, (await RouteAsync("chat")).UpdatedBy);
    }

    [Fact]
    public async Task SaveRouteAsync_EveryField_RoundTrips()
    {
        var route = new RouteConfig
        {
            Operation = "invoice-extraction",
            PrimaryModel = "openai/gpt-4o-mini",
            FallbackModels = ["gemini/gemini-2.5-flash", "deepseek/deepseek-v4-flash"],
            Modality = Modality.Chat,
            Enabled = false,
            UnknownPricePolicy = UnknownPricePolicy.Block,
            MaxOutputTokens = 1024,
            Version = 1,
            UpdatedAt = new DateTimeOffset(2026, 7, 24, 15, 59, 1, TimeSpan.FromHours(-4)).AddTicks(1234567),
            UpdatedBy = "admin:bo",
        };

        Assert.True(await Routes.SaveRouteAsync(route, Ct));

        Assert.Equal(route with { UpdatedAt = AsStored(route.UpdatedAt) }, await RouteAsync("invoice-extraction"), RouteComparer.Instance);
        Assert.Equal(10, (await Routes.GetRoutesAsync(Ct)).Count);
    }

    [Fact]
    public async Task SaveRouteAsync_NoFallbacks_RoundTripsAsEmpty()
    {
        var chat = await RouteAsync("chat");

        Assert.True(await Routes.SaveRouteAsync(chat with { Version = 2, FallbackModels = [] }, Ct));

        Assert.Empty((await RouteAsync("chat")).FallbackModels);
    }

    [Fact]
    public async Task GetRouteHistoryAsync_AfterTwoChanges_ReturnsEveryVersionNewestFirst()
    {
        var v1 = await RouteAsync("agent");
        var v2 = v1 with { Version = 2, PrimaryModel = "gemini/gemini-2.5-pro", FallbackModels = ["deepseek/deepseek-v4-pro"], UpdatedAt = s_epoch, UpdatedBy = "a" };
        var v3 = v2 with { Version = 3, Enabled = false, UpdatedAt = s_epoch.AddMinutes(1), UpdatedBy = "b" };
        Assert.True(await Routes.SaveRouteAsync(v2, Ct));
        Assert.True(await Routes.SaveRouteAsync(v3, Ct));

        var history = await Routes.GetRouteHistoryAsync("agent", Ct);

        Assert.Equal([v3, v2, v1], history, RouteComparer.Instance);
    }

    [Fact]
    public async Task SaveRouteAsync_RetiringVersion_HidesTheOperationAndKeepsItsHistory()
    {
        var v1 = await RouteAsync("email-drafting");
        var retired = v1 with { Version = 2, Retired = true, UpdatedAt = s_epoch, UpdatedBy = "admin:retire" };

        Assert.True(await Routes.SaveRouteAsync(retired, Ct));

        var routes = await Routes.GetRoutesAsync(Ct);
        Assert.DoesNotContain(routes, r => r.Operation == "email-drafting");
        Assert.Equal(8, routes.Count);
        Assert.Equal([retired, v1], await Routes.GetRouteHistoryAsync("email-drafting", Ct), RouteComparer.Instance);

        var revived = v1 with { Version = 3, MaxOutputTokens = 300, UpdatedAt = s_epoch.AddMinutes(1), UpdatedBy = "admin:revive" };
        Assert.True(await Routes.SaveRouteAsync(revived, Ct));

        Assert.Equal(revived, await RouteAsync("email-drafting"), RouteComparer.Instance);
        Assert.Equal([3L, 2L, 1L], (await Routes.GetRouteHistoryAsync("email-drafting", Ct)).Select(r => r.Version));
    }

    [Fact]
    public async Task SaveRouteAsync_NoCap_RoundTripsAsNull()
    {
        var chat = await RouteAsync("chat");

        Assert.True(await Routes.SaveRouteAsync(chat with { Version = 2, MaxOutputTokens = 64 }, Ct));
        Assert.True(await Routes.SaveRouteAsync(chat with { Version = 3, MaxOutputTokens = null }, Ct));

        var history = await Routes.GetRouteHistoryAsync("chat", Ct);
        Assert.Equal([null, 64, null], history.Select(r => r.MaxOutputTokens));
    }

    [Fact]
    public async Task CreateAndRetireAsync_ThroughRouteTable_ContinueOneHistory()
    {
        using var table = new RouteTable(Routes, TimeProvider.System);
        await table.ReloadAsync(Ct);

        var created = await table.CreateAsync(new NewRoute("ticket-triage", "gemini/gemini-2.5-flash-lite", ["deepseek-v4-flash"], MaxOutputTokens: 200), "admin:ana", Ct);
        var retired = await table.RetireAsync("ticket-triage", "admin:bo", Ct);
        var again = await table.CreateAsync(new NewRoute("ticket-triage", "deepseek/deepseek-v4-flash"), "admin:cy", Ct);

        Assert.True(created.IsSuccess && retired.IsSuccess && again.IsSuccess);
        var history = await Routes.GetRouteHistoryAsync("ticket-triage", Ct);
        Assert.Equal([3L, 2L, 1L], history.Select(r => r.Version));
        Assert.Equal(["admin:cy", "admin:bo", "admin:ana"], history.Select(r => r.UpdatedBy));
        Assert.Equal([false, true, false], history.Select(r => r.Retired));
        Assert.Equal(200, history[2].MaxOutputTokens);
        Assert.True(table.Current.TryGetRoute("ticket-triage", out var decision));
        Assert.Equal("deepseek/deepseek-v4-flash", decision.Route.PrimaryModel);
    }

    [Fact]
    public async Task GetRouteHistoryAsync_UnknownOperation_ReturnsEmpty()
    {
        var history = await Routes.GetRouteHistoryAsync("no-such-operation", Ct);

        Assert.Empty(history);
    }

    [Fact]
    public async Task UpdateModelsAsync_ThroughRouteTable_SavesTheNextVersion()
    {
        using var table = new RouteTable(Routes, TimeProvider.System);
        await table.ReloadAsync(Ct);

        var result = await table.UpdateModelsAsync("chat", "openai/gpt-4o-mini", ["deepseek/deepseek-v4-flash"], "admin:ana", Ct);

        Assert.True(result.IsSuccess);
        var history = await Routes.GetRouteHistoryAsync("chat", Ct);
        Assert.Equal([2L, 1L], history.Select(r => r.Version));
        Assert.Equal("openai/gpt-4o-mini", history[0].PrimaryModel);
    }

    // ---- operation log

    [Fact]
    public async Task AppendAsync_EveryField_RoundTripsExactly()
    {
        var entry = EveryField("req-full");

        await Log.AppendAsync([entry], Ct);

        var stored = Assert.Single((await Log.QueryAsync(new LogQuery(), Ct)).Items);
        Assert.True(stored.Id > 0);
        Assert.Equal(entry with { Id = stored.Id, Timestamp = AsStored(entry.Timestamp) }, stored);
        Assert.Equal(TimeSpan.Zero, stored.Timestamp.Offset);
        Assert.Equal("0.000444696", Invariant(stored.CostUsd));
        Assert.Equal("0.1234567890123456789012345678", Invariant(stored.EstimatedCostUsd));
        Assert.Equal("12.340", Invariant(stored.Meters.AudioSeconds));
        Assert.Equal("0.0000015", Invariant(stored.Meters.CacheStorageTokenHours));
    }

    [Fact]
    public async Task AppendAsync_OptionalFieldsUnset_RoundTripAsNull()
    {
        var entry = new OperationLogEntry
        {
            RequestId = "req-min",
            Timestamp = s_epoch,
            Operation = "chat",
            Principal = "key",
            Provider = "deepseek",
            Model = "deepseek/deepseek-v4-flash",
            Attempt = 1,
            Status = AttemptStatus.Failed,
            LatencyMs = 0,
        };

        await Log.AppendAsync([entry], Ct);

        var stored = Assert.Single((await Log.QueryAsync(new LogQuery(), Ct)).Items);
        Assert.Equal(entry with { Id = stored.Id, Timestamp = AsStored(entry.Timestamp) }, stored);
        Assert.Null(stored.CostUsd);
        Assert.Null(stored.RepricedCostUsd);
        Assert.True(stored.Meters.IsEmpty);
    }

    [Theory]
    [InlineData(AttemptStatus.Success, CostStatus.Priced)]
    [InlineData(AttemptStatus.Failed, CostStatus.NotBilled)]
    [InlineData(AttemptStatus.Cancelled, CostStatus.Estimated)]
    [InlineData(AttemptStatus.Success, CostStatus.Unpriced)]
    [InlineData(AttemptStatus.Interrupted, CostStatus.Estimated)]
    public async Task AppendAsync_EveryStatus_RoundTrips(AttemptStatus status, CostStatus costStatus)
    {
        await Log.AppendAsync([TestEntries.Success("r") with { Status = status, CostStatus = costStatus }], Ct);

        var stored = Assert.Single((await Log.QueryAsync(new LogQuery(), Ct)).Items);
        Assert.Equal(status, stored.Status);
        Assert.Equal(costStatus, stored.CostStatus);
    }

    [Fact]
    public async Task RecoverOpenAttemptsAsync_AttemptClosedByItsRow_RecoversNothing()
    {
        await Log.AppendAsync([], [OpenAttemptOf("a", 1), OpenAttemptOf("a", 2)], Ct);
        await Log.AppendAsync([TestEntries.Success("a") with { Attempt = 1, Status = AttemptStatus.Failed }, TestEntries.Success("a") with { Attempt = 2 }], [], Ct);

        var recovered = await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(1), Ct);

        Assert.Equal(0, recovered);
        Assert.Equal([2, 1], (await Log.QueryAsync(new LogQuery(), Ct)).Items.Select(e => e.Attempt));
    }

    [Fact]
    public async Task AppendAsync_OpenAndCloseInOneBatch_LeavesNothingOpen()
    {
        await Log.AppendAsync([TestEntries.Success("a")], [OpenAttemptOf("a", 1)], Ct);

        Assert.Equal(0, await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(1), Ct));
        Assert.Single((await Log.QueryAsync(new LogQuery(), Ct)).Items);
    }

    [Fact]
    public async Task RecoverOpenAttemptsAsync_AttemptsLeftOpen_BecomeInterruptedRowsOnce()
    {
        var open = OpenAttemptOf("a", 1) with { User = "u-1", Streamed = true, EstimatedCostUsd = 0.004567m, ExperimentId = "exp_1", ExperimentArm = "candidate-1" };
        await Log.AppendAsync([], [open, OpenAttemptOf("b", 2) with { EstimatedCostUsd = null }], Ct);
        await Log.AppendAsync([TestEntries.Success("c")], Ct);

        var recovered = await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(1), Ct);
        var again = await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(1), Ct);

        Assert.Equal((2, 0), (recovered, again));
        var items = (await Log.QueryAsync(new LogQuery(), Ct)).Items;
        Assert.Equal(3, items.Count);
        var a = Assert.Single(items, e => e.RequestId == "a");
        Assert.Equal(open.ToInterruptedEntry() with { Id = a.Id }, a);
        Assert.Equal((AttemptStatus.Interrupted, "process_interrupted", false), (a.Status, a.ErrorCode, a.UsageKnown));
        Assert.Equal((CostStatus.Estimated, 0.004567m, "u-1", true), (a.CostStatus, a.CostUsd, a.User, a.Streamed));
        Assert.Equal(("exp_1", "candidate-1"), (a.ExperimentId, a.ExperimentArm));
        var b = Assert.Single(items, e => e.RequestId == "b");
        Assert.Equal((null, null), (b.ExperimentId, b.ExperimentArm));
        Assert.Equal((AttemptStatus.Interrupted, 2, CostStatus.Unpriced), (b.Status, b.Attempt, b.CostStatus));
        Assert.Null(b.CostUsd);
    }

    [Fact]
    public async Task RecoverOpenAttemptsAsync_AttemptOpenedAfterNow_IsLeftOpen()
    {
        await Log.AppendAsync([], [OpenAttemptOf("later", 1) with { Timestamp = s_epoch.AddHours(2) }], Ct);

        Assert.Equal(0, await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(1), Ct));
        Assert.Equal(1, await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(3), Ct));
    }

    [Fact]
    public async Task AppendAsync_SameAttemptOpenedTwice_ThrowsAndStoresNothingOfTheBatch()
    {
        await Log.AppendAsync([], [OpenAttemptOf("a", 1)], Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => Log.AppendAsync([TestEntries.Success("x")], [OpenAttemptOf("a", 1)], Ct));

        Assert.Empty((await Log.QueryAsync(new LogQuery(), Ct)).Items);
        Assert.Equal(1, await Log.RecoverOpenAttemptsAsync(s_epoch.AddHours(1), Ct));
    }

    [Fact]
    public async Task AppendAsync_SeveralBatches_AssignsIncreasingIds()
    {
        await Log.AppendAsync([TestEntries.Success("a"), TestEntries.Success("b")], Ct);
        await Log.AppendAsync([TestEntries.Success("c")], Ct);

        var items = (await Log.QueryAsync(new LogQuery(), Ct)).Items;

        Assert.Equal(["c", "b", "a"], items.Select(e => e.RequestId));
        Assert.True(items[0].Id > items[1].Id && items[1].Id > items[2].Id);
    }

    [Fact]
    public async Task AppendAsync_RowWithoutPrincipal_ThrowsAndStoresNothingOfTheBatch()
    {
        var batch = new[] { TestEntries.Success("a"), TestEntries.Success("b") with { Principal = null! }, TestEntries.Success("c") };

        await Assert.ThrowsAsync<ArgumentException>(() => Log.AppendAsync(batch, Ct));

        Assert.Empty((await Log.QueryAsync(new LogQuery(), Ct)).Items);
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_StoresNothing()
    {
        await Log.AppendAsync([], Ct);

        Assert.Empty((await Log.QueryAsync(new LogQuery(), Ct)).Items);
    }

    [Fact]
    public async Task AppendAsync_BatchOf2000_StoresEveryRowInOrder()
    {
        var batch = Enumerable.Range(0, 2000).Select(i => TestEntries.Success($"r{i}", at: s_epoch.AddMilliseconds(i))).ToArray();

        await Log.AppendAsync(batch, Ct);

        var first = await Log.QueryAsync(new LogQuery(Limit: 1000), Ct);
        var second = await Log.QueryAsync(new LogQuery(Limit: 1000, BeforeId: first.NextBeforeId), Ct);
        Assert.Equal(1000, first.Items.Count);
        Assert.NotNull(first.NextBeforeId);
        Assert.Equal(1000, second.Items.Count);
        Assert.Null(second.NextBeforeId);
        Assert.Equal(batch.Select(e => e.RequestId).Reverse(), first.Items.Concat(second.Items).Select(e => e.RequestId));
    }

    [Fact]
    public async Task QueryAsync_Cursor_WalksEveryRowOnceNewestFirst()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 25).Select(i => TestEntries.Success($"r{i}"))], Ct);
        List<string> seen = [];
        List<int> pageSizes = [];

        long? cursor = null;
        do
        {
            var page = await Log.QueryAsync(new LogQuery(Limit: 10, BeforeId: cursor), Ct);
            seen.AddRange(page.Items.Select(e => e.RequestId));
            pageSizes.Add(page.Items.Count);
            if (page.NextBeforeId is { } next)
            {
                Assert.Equal(page.Items[^1].Id, next);
            }

            cursor = page.NextBeforeId;
        }
        while (cursor is not null);

        Assert.Equal([10, 10, 5], pageSizes);
        Assert.Equal(Enumerable.Range(0, 25).Reverse().Select(i => $"r{i}"), seen);
    }

    [Fact]
    public async Task QueryAsync_LastPageExactlyFull_HasNoCursor()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 10).Select(i => TestEntries.Success($"r{i}"))], Ct);

        var page = await Log.QueryAsync(new LogQuery(Limit: 10), Ct);

        Assert.Equal(10, page.Items.Count);
        Assert.Null(page.NextBeforeId);
    }

    [Fact]
    public async Task QueryAsync_OperationFilter_PagesThroughThatOperationOnly()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 12).Select(i => TestEntries.Success($"r{i}", operation: i % 3 == 0 ? "agent" : "chat"))], Ct);

        var first = await Log.QueryAsync(new LogQuery(Operation: "agent", Limit: 3), Ct);
        var second = await Log.QueryAsync(new LogQuery(Operation: "agent", Limit: 3, BeforeId: first.NextBeforeId), Ct);

        Assert.Equal(["r9", "r6", "r3"], first.Items.Select(e => e.RequestId));
        Assert.Equal(["r0"], second.Items.Select(e => e.RequestId));
        Assert.Null(second.NextBeforeId);
    }

    [Fact]
    public async Task QueryAsync_UserFilter_ReturnsThatUsersRowsOnly()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("a", user: "u1"),
            TestEntries.Success("b", user: "u2"),
            TestEntries.Success("c"),
            TestEntries.Success("d", user: "u1", operation: "agent"),
        ], Ct);

        var page = await Log.QueryAsync(new LogQuery(User: "u1"), Ct);

        Assert.Equal(["d", "a"], page.Items.Select(e => e.RequestId));
    }

    [Fact]
    public async Task QueryAsync_OperationAndUserFilters_ReturnRowsMatchingBoth()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("a", user: "u1"),
            TestEntries.Success("b", user: "u1", operation: "agent"),
            TestEntries.Success("c", user: "u2", operation: "agent"),
        ], Ct);

        var page = await Log.QueryAsync(new LogQuery(Operation: "agent", User: "u1"), Ct);

        Assert.Equal(["b"], page.Items.Select(e => e.RequestId));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(-5, 1)]
    [InlineData(5000, 1000)]
    public async Task QueryAsync_LimitOutOfRange_IsClamped(int limit, int expected)
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 1001).Select(i => TestEntries.Success($"r{i}"))], Ct);

        var page = await Log.QueryAsync(new LogQuery(Limit: limit), Ct);

        Assert.Equal(expected, page.Items.Count);
        Assert.Equal(page.Items[^1].Id, page.NextBeforeId);
    }

    [Fact]
    public async Task ReadRangeAsync_FromInclusiveToExclusive_OldestFirst()
    {
        await Log.AppendAsync(
        [
            TestEntries.Success("t3", at: s_epoch.AddMinutes(3)),
            TestEntries.Success("t1", at: s_epoch.AddMinutes(1)),
            TestEntries.Success("t0", at: s_epoch),
            TestEntries.Success("t2", at: s_epoch.AddMinutes(2)),
        ], Ct);

        var rows = await ReadRangeAsync(s_epoch.AddMinutes(1), s_epoch.AddMinutes(3));

        Assert.Equal(["t1", "t2"], rows.Select(e => e.RequestId));
    }

    [Fact]
    public async Task ReadRangeAsync_BoundsInsideAMillisecond_AreExact()
    {
        var at = s_epoch.AddTicks(5_000);
        var step = TimestampResolutionTicks;
        await Log.AppendAsync(
        [
            TestEntries.Success("before", at: at.AddTicks(-step)),
            TestEntries.Success("at", at: at),
            TestEntries.Success("last", at: at.AddTicks(2_000)),
            TestEntries.Success("end", at: at.AddTicks(2_000 + step)),
        ], Ct);

        var rows = await ReadRangeAsync(at, at.AddTicks(2_000 + step));

        Assert.Equal(["at", "last"], rows.Select(e => e.RequestId));
    }

    [Fact]
    public async Task ReadRangeAsync_ManyRows_StreamsEveryRowInTimeOrder()
    {
        var batch = Enumerable.Range(0, 1300).Select(i => TestEntries.Success($"r{i}", at: s_epoch.AddSeconds(1300 - i))).ToArray();
        await Log.AppendAsync(batch, Ct);

        var rows = await ReadRangeAsync(s_epoch, s_epoch.AddDays(1));

        Assert.Equal(1300, rows.Count);
        Assert.Equal(batch.Select(e => e.RequestId).Reverse(), rows.Select(e => e.RequestId));
    }

    [Fact]
    public async Task ReadRangeAsync_EmptyOrInvertedRange_ReturnsNothing()
    {
        await Log.AppendAsync([TestEntries.Success("a", at: s_epoch)], Ct);

        Assert.Empty(await ReadRangeAsync(s_epoch, s_epoch));
        Assert.Empty(await ReadRangeAsync(s_epoch.AddMinutes(1), s_epoch));
    }

    [Fact]
    public async Task ReadRangeAsync_ConsumerWritesWhileReading_Completes()
    {
        await Log.AppendAsync([.. Enumerable.Range(0, 600).Select(i => TestEntries.Success($"r{i}", at: s_epoch.AddSeconds(i)))], Ct);
        var read = 0;

        await foreach (var entry in Log.ReadRangeAsync(s_epoch, s_epoch.AddDays(1), Ct))
        {
            if (read++ % 100 == 0)
            {
                await Prices.AppendCostAdjustmentsAsync([Adjustment(entry.Id, 0.5m)], Ct);
                await Log.AppendAsync([TestEntries.Success($"late{read}", at: s_epoch.AddDays(2))], Ct);
            }
        }

        Assert.Equal(600, read);
    }

    // ---- prices and re-pricing

    [Fact]
    public async Task GetOverridesAsync_NoneSaved_ReturnsEmpty()
    {
        Assert.Empty(await Prices.GetOverridesAsync(Ct));
    }

    [Fact]
    public async Task SaveOverridesAsync_EveryPriceFeature_RoundTripsAsOverride()
    {
        var entry = RichPrice();

        await Prices.SaveOverridesAsync([entry], "admin:ana", Ct);

        var stored = Assert.Single(await Prices.GetOverridesAsync(Ct));
        Assert.True(stored.IsOverride);
        Assert.Equal("openai", stored.Provider);
        Assert.Equal("gpt-4o", stored.Model);
        Assert.Equal(entry.EffectiveFrom, stored.EffectiveFrom);
        Assert.Equal(entry.EffectiveUntil, stored.EffectiveUntil);
        Assert.Equal(entry.Rates, stored.Rates);
        Assert.Equal(entry.LongContext, stored.LongContext);
        Assert.Equal(entry.ServiceTiers.OrderBy(t => t.Key), stored.ServiceTiers.OrderBy(t => t.Key));
        Assert.Equal(entry.TimeWindows, stored.TimeWindows);
        Assert.Equal(entry.Source, stored.Source);
        Assert.Equal(entry.SourceDate, stored.SourceDate);
        Assert.Equal("0.0000001", Invariant(stored.Rates.CacheRead));
    }

    [Fact]
    public async Task RemoveOverridesAsync_RemovesOnlyThatModel_AndASaveLaterBringsItBack()
    {
        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2m), Price("gemini", "gemini-2.5-flash", 0.5m)], "a", Ct);

        await Prices.RemoveOverridesAsync(["openai/gpt-4o"], "b", Ct);

        var left = Assert.Single(await Prices.GetOverridesAsync(Ct));
        Assert.Equal("gemini", left.Provider);

        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 3m)], "c", Ct);

        Assert.Equal(2, (await Prices.GetOverridesAsync(Ct)).Count);
    }

    [Fact]
    public async Task SaveOverridesAsync_NewVersion_ReplacesEveryPeriodOfThatModel()
    {
        var old = Price("openai", "gpt-4o", 2.5m);
        await Prices.SaveOverridesAsync([old with { EffectiveUntil = s_epoch }, old with { EffectiveFrom = s_epoch, Rates = new PriceRates { Input = 3m, Output = 12m } }], "a", Ct);

        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2m)], "b", Ct);

        var stored = Assert.Single(await Prices.GetOverridesAsync(Ct));
        Assert.Equal(2m, stored.Rates.Input);
        Assert.Null(stored.EffectiveUntil);
    }

    [Fact]
    public async Task SaveOverridesAsync_OneModel_LeavesOtherModelsAlone()
    {
        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2.5m), Price("deepseek", "deepseek-v4-flash", 0.14m)], "a", Ct);

        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2m)], "b", Ct);

        var stored = (await Prices.GetOverridesAsync(Ct)).ToDictionary(e => PriceBook.Key(e.Provider, e.Model));
        Assert.Equal(2, stored.Count);
        Assert.Equal(2m, stored["openai/gpt-4o"].Rates.Input);
        Assert.Equal(0.14m, stored["deepseek/deepseek-v4-flash"].Rates.Input);
    }

    [Fact]
    public async Task SaveOverridesAsync_MixedCaseNames_StoredUnderTheCanonicalKey()
    {
        await Prices.SaveOverridesAsync([Price("OpenAI", "GPT-4o", 2.5m)], "a", Ct);
        await Prices.SaveOverridesAsync([Price("openai", "gpt-4o", 2m)], "b", Ct);

        var stored = Assert.Single(await Prices.GetOverridesAsync(Ct));
        Assert.Equal(2m, stored.Rates.Input);
    }

    [Fact]
    public async Task SaveOverridesAsync_IncompleteEntry_ThrowsAndSavesNothing()
    {
        var good = Price("openai", "gpt-4o", 2.5m);
        var bad = Price("deepseek", "deepseek-v4-flash", 0.14m) with { Source = "" };

        await Assert.ThrowsAsync<ArgumentException>(() => Prices.SaveOverridesAsync([good, bad], "a", Ct));

        Assert.Empty(await Prices.GetOverridesAsync(Ct));
    }

    [Fact]
    public async Task AppendCostAdjustmentsAsync_Twice_LatestSurfacesAsRepricedCost()
    {
        await Log.AppendAsync([TestEntries.Success("a", costUsd: 0.001m), TestEntries.Success("b", costUsd: 0.002m)], Ct);
        var rows = (await Log.QueryAsync(new LogQuery(), Ct)).Items;
        var a = rows.Single(r => r.RequestId == "a");

        await Prices.AppendCostAdjustmentsAsync([Adjustment(a.Id, 0.0015m)], Ct);
        await Prices.AppendCostAdjustmentsAsync([Adjustment(a.Id, 0.000444696m)], Ct);

        var page = (await Log.QueryAsync(new LogQuery(), Ct)).Items;
        var repriced = page.Single(r => r.RequestId == "a");
        Assert.Equal("0.000444696", Invariant(repriced.RepricedCostUsd));
        Assert.Equal(0.001m, repriced.CostUsd);
        Assert.Equal(0.000444696m, repriced.EffectiveCostUsd);
        Assert.Null(page.Single(r => r.RequestId == "b").RepricedCostUsd);
        var ranged = Assert.Single(await ReadRangeAsync(s_epoch, s_epoch.AddMinutes(1)), r => r.RequestId == "a");
        Assert.Equal(0.000444696m, ranged.RepricedCostUsd);
    }

    [Fact]
    public async Task AppendCostAdjustmentsAsync_UnknownLogRow_Throws()
    {
        await Assert.ThrowsAnyAsync<Exception>(() => Prices.AppendCostAdjustmentsAsync([Adjustment(424242, 1m)], Ct));
    }

    // ---- helpers

    protected static OperationLogEntry EveryField(string requestId) => new()
    {
        RequestId = requestId,
        Timestamp = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567),
        Operation = "memory-synthesis",
        Principal = "app:crm",
        User = "user-42",
        Provider = "gemini",
        Model = "gemini/gemini-2.5-flash",
        ReportedModel = "gemini-2.5-flash-preview-09-2025",
        Attempt = 2,
        Status = AttemptStatus.Cancelled,
        ErrorCode = "client_disconnected",
        HttpStatus = 499,
        LatencyMs = 1234.5678901234,
        Streamed = true,
        UsageKnown = true,
        Meters = new UsageMeters
        {
            InputTokens = 1,
            CacheReadTokens = 2,
            CacheWrite5mTokens = 3,
            CacheWrite1hTokens = 4,
            InputAudioTokens = 5,
            CacheReadAudioTokens = 6,
            InputImageTokens = 7,
            InputVideoTokens = 8,
            ToolPromptTokens = 9,
            OutputTokens = 10,
            ReasoningTokens = 11,
            OutputAudioTokens = 12_000_000_000,
            AudioSeconds = 12.340m,
            Characters = 13,
            Requests = 14,
            WebSearchRequests = 15,
            CacheStorageTokenHours = 0.0000015m,
        },
        CostUsd = 0.000444696m,
        CostStatus = CostStatus.Estimated,
        CostReason = "usage unknown: estimated",
        EstimatedCostUsd = 0.1234567890123456789012345678m,
        PriceSource = "https://ai.google.dev/gemini-api/docs/pricing",
        PriceSourceDate = new DateOnly(2026, 7, 24),
        ServiceTier = "flex",
        ProviderRequestId = "gen-abc123",
    };

    protected static PriceEntry Price(string provider, string model, decimal input) => new()
    {
        Provider = provider,
        Model = model,
        Rates = new PriceRates { Input = input, Output = input * 4 },
        Source = "https://example.com/pricing",
        SourceDate = new DateOnly(2026, 7, 1),
    };

    protected static CostAdjustment Adjustment(long logId, decimal? cost) =>
        new(logId, cost, CostStatus.Priced, "override", new DateOnly(2026, 7, 24), "price fix", s_epoch.AddDays(1), "admin:ana");

    protected async Task<List<OperationLogEntry>> ReadRangeAsync(DateTimeOffset from, DateTimeOffset to)
    {
        List<OperationLogEntry> rows = [];
        await foreach (var entry in Log.ReadRangeAsync(from, to, Ct))
        {
            rows.Add(entry);
        }

        return rows;
    }

    private static PriceEntry RichPrice() => new()
    {
        Provider = "openai",
        Model = "gpt-4o",
        EffectiveFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        EffectiveUntil = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
        Rates = new PriceRates { Input = 2.5m, CacheRead = 0.0000001m, Output = 10m, AudioPerMinute = 0.006m, WebSearchPerThousand = 25m },
        LongContext = new LongContextTier(200_000, new PriceRates { Input = 5m, Output = 15m }),
        ServiceTiers = new Dictionary<string, ServiceTierPrice>(StringComparer.OrdinalIgnoreCase)
        {
            ["batch"] = new(null, 0.5m),
            ["priority"] = new(new PriceRates { Input = 4.25m, Output = 17m }, null),
        },
        TimeWindows = [new TimeWindowPrice(new TimeOnly(16, 30), new TimeOnly(0, 30), new PriceRates { Input = 1.25m, Output = 5m })],
        Source = "https://openai.com/api/pricing",
        SourceDate = new DateOnly(2026, 7, 24),
    };

    private static string? Invariant(decimal? value) => value?.ToString(CultureInfo.InvariantCulture);

    private async Task<RouteConfig> RouteAsync(string operation) =>
        Assert.Single(await Routes.GetRoutesAsync(Ct), r => r.Operation == operation);

    /// <summary>Routes are equal when every field is, fallbacks compared as sequences.</summary>
    private sealed class RouteComparer : IEqualityComparer<RouteConfig>
    {
        public static RouteComparer Instance { get; } = new();

        public bool Equals(RouteConfig? x, RouteConfig? y) =>
            x is not null && y is not null
            && x.Operation == y.Operation
            && x.PrimaryModel == y.PrimaryModel
            && x.FallbackModels.SequenceEqual(y.FallbackModels)
            && x.Modality == y.Modality
            && x.Enabled == y.Enabled
            && x.UnknownPricePolicy == y.UnknownPricePolicy
            && x.Version == y.Version
            && x.UpdatedAt == y.UpdatedAt
            && x.UpdatedBy == y.UpdatedBy
            && x.MaxOutputTokens == y.MaxOutputTokens
            && x.Retired == y.Retired;

        public int GetHashCode(RouteConfig obj) => HashCode.Combine(obj.Operation, obj.Version);
    }

    private static OpenAttempt OpenAttemptOf(string requestId, int attempt) => new()
    {
        RequestId = requestId,
        Attempt = attempt,
        Timestamp = s_epoch,
        Operation = "chat",
        Principal = "app:test",
        Provider = "deepseek",
        Model = "deepseek/deepseek-v4-flash",
        EstimatedCostUsd = 0.001m,
    };
}
