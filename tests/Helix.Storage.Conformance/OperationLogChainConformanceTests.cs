using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end whose log is hash-chained (<see cref="IOperationLogChain"/>) must do.</summary>
public abstract class OperationLogChainConformanceTests : IAsyncLifetime
{
    private ChainStoresUnderTest? _stores;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ChainStoresUnderTest Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    private IOperationLogStore Log => Stores.Log;

    private IOperationLogChain Chain => Stores.Chain;

    /// <summary>Creates the stores over a new, empty database.</summary>
    protected abstract Task<ChainStoresUnderTest> CreateStoresAsync();

    /// <summary>Runs <paramref name="sql"/> on the database as someone with the file or the server would, past the append-only triggers.</summary>
    protected abstract Task TamperAsync(string sql);

    /// <summary>Another log store over the same database, as another instance (or a restart) would hold it.</summary>
    protected abstract IOperationLogStore OtherInstance();

    public async ValueTask InitializeAsync() => _stores = await CreateStoresAsync();

    public async ValueTask DisposeAsync()
    {
        if (_stores?.Owner is { } owner)
        {
            await owner.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    [Fact]
    public async Task AppendAsync_LinksEveryRowToTheOneBefore_AcrossBatches()
    {
        await Log.AppendAsync([TestEntries.Success("r1"), TestEntries.Failure("r2")], Ct);
        await Log.AppendAsync([TestEntries.Success("r3", user: "u1") with { RequestedMaxTokens = 512, PromptPrefixHash = "ab12" }], Ct);
        var verification = await Chain.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(3, verification.Entries);
        Assert.Null(verification.FirstBrokenId);
        var rows = (await Log.QueryAsync(new LogQuery(), Ct)).Items;
        Assert.Equal([3L, 2L, 1L], rows.Select(r => r.Id));
    }

    [Fact]
    public async Task VerifyAsync_EmptyLog_IsIntactWithNoEntries()
    {
        var verification = await Chain.VerifyAsync(Ct);

        Assert.True(verification.IsIntact);
        Assert.Equal(0, verification.Entries);
    }

    [Fact]
    public async Task VerifyAsync_ManyRows_ChecksThemAllInChunks()
    {
        for (var batch = 0; batch < 3; batch++)
        {
            await Log.AppendAsync([.. Enumerable.Range(0, 400).Select(i => TestEntries.Success($"r{batch}-{i}", at: TestEntries.Epoch.AddMilliseconds(i)))], Ct);
        }

        var verification = await Chain.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(1200, verification.Entries);
    }

    [Theory]
    [InlineData("input_tokens = input_tokens + 1")]
    [InlineData("model = 'openai/gpt-4o'")]
    [InlineData("end_user = 'someone-else'")]
    [InlineData("principal = 'another-key'")]
    [InlineData("cost_usd = '0.00001'")]
    [InlineData("latency_ms = latency_ms + 1")]
    public async Task VerifyAsync_NamesTheRowEditedBehindTheStoresBack(string edit)
    {
        await Log.AppendAsync([.. Enumerable.Range(1, 5).Select(i => TestEntries.Success($"r{i}", user: "u1"))], Ct);

        await TamperAsync($"UPDATE operation_log SET {edit} WHERE id = 3");
        var verification = await Chain.VerifyAsync(Ct);

        Assert.False(verification.IsIntact);
        Assert.Equal(3, verification.FirstBrokenId);
        Assert.Contains("changed after it was written", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_NamesAGapWhereARowWasDeleted()
    {
        await Log.AppendAsync([.. Enumerable.Range(1, 4).Select(i => TestEntries.Success($"r{i}"))], Ct);

        await TamperAsync("DELETE FROM operation_log WHERE id IN (2, 4)");
        var middle = await Chain.VerifyAsync(Ct);

        Assert.Equal(3, middle.FirstBrokenId);
        Assert.Contains("row 2 is missing", middle.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_RowWhoseHashWasRemoved_IsBroken()
    {
        await Log.AppendAsync([TestEntries.Success("r1"), TestEntries.Success("r2")], Ct);

        await TamperAsync("UPDATE operation_log SET hash = NULL WHERE id = 1");
        var verification = await Chain.VerifyAsync(Ct);

        Assert.Equal(1, verification.FirstBrokenId);
        Assert.Contains("no hash", verification.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Repricing_AddsAdjustments_AndLeavesTheChainIntact()
    {
        await Log.AppendAsync([TestEntries.Success("r1"), TestEntries.Success("r2")], Ct);

        await Stores.Prices.AppendCostAdjustmentsAsync(
            [new CostAdjustment(1, 0.5m, CostStatus.Priced, "fix", new DateOnly(2026, 3, 1), "price fix", TestEntries.Epoch, "admin")], Ct);
        var verification = await Chain.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(0.5m, (await Log.QueryAsync(new LogQuery(), Ct)).Items.Single(e => e.Id == 1).RepricedCostUsd);
    }

    [Fact]
    public async Task UpdateAndDelete_AreRefusedByTheDatabase()
    {
        await Log.AppendAsync([TestEntries.Success("r1")], Ct);

        await Assert.ThrowsAnyAsync<Exception>(() => Stores.ExecuteAsync("UPDATE operation_log SET input_tokens = 1"));
        await Assert.ThrowsAnyAsync<Exception>(() => Stores.ExecuteAsync("DELETE FROM operation_log"));
        Assert.True((await Chain.VerifyAsync(Ct)).IsIntact);
    }

    [Fact]
    public async Task AFailedBatch_LeavesNoHole_SoTheNextBatchLinksToWhatWasCommitted()
    {
        await Log.AppendAsync([TestEntries.Success("r1")], Ct);

        // A row without a request id fails the batch: the whole batch rolls back.
        await Assert.ThrowsAsync<ArgumentException>(() => Log.AppendAsync([TestEntries.Success("r2"), TestEntries.Success(null!)], Ct));
        await Log.AppendAsync([TestEntries.Success("r3")], Ct);
        var verification = await Chain.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(2, verification.Entries);
    }

    [Fact]
    public async Task TwoWritersOnOneDatabase_InterleavedBatches_StayOneIntactChain()
    {
        var other = OtherInstance();

        await Task.WhenAll(Enumerable.Range(0, 20).Select(b => Task.Run(
            () => (b % 2 == 0 ? Log : other).AppendAsync([.. Enumerable.Range(0, 5).Select(i => TestEntries.Success($"b{b}-r{i}"))], Ct), Ct)));
        await Log.RecoverOpenAttemptsAsync(TestEntries.Epoch, Ct);
        var verification = await Chain.VerifyAsync(Ct);

        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(100, verification.Entries);
    }

    [Fact]
    public async Task RecoveredAttempts_JoinTheChain()
    {
        var attempt = new OpenAttempt
        {
            RequestId = "open-1",
            Attempt = 1,
            Timestamp = TestEntries.Epoch,
            Operation = "chat",
            Principal = "key_app",
            Provider = "openai",
            Model = "openai/gpt-4o-mini",
            EstimatedCostUsd = 0.002m,
        };
        await Log.AppendAsync([TestEntries.Success("r1")], [attempt], Ct);

        var recovered = await OtherInstance().RecoverOpenAttemptsAsync(TestEntries.Epoch.AddMinutes(5), Ct) + await Log.RecoverOpenAttemptsAsync(TestEntries.Epoch.AddMinutes(5), Ct);
        await Log.AppendAsync([TestEntries.Success("r2")], Ct);
        var verification = await Chain.VerifyAsync(Ct);

        Assert.Equal(1, recovered);
        Assert.True(verification.IsIntact, verification.Reason);
        Assert.Equal(3, verification.Entries);
    }
}
