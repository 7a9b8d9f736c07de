using Helix.Core.Budgets;
using Helix.Core.OperationLog;
using Helix.Core.Pipeline;
using Helix.Core.Providers;
using Helix.Core.Tests.Pipeline;
using Helix.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Helix.Core.Tests.Budgets;

/// <summary>The budget step in the real chain of steps, over fake providers and the in-memory log.</summary>
public sealed class BudgetReservationTests : IAsyncLifetime
{
    private PipelineHarness _harness = null!;
    private BudgetLedger _ledger = null!;
    private BudgetSettlement _settlement = null!;
    private OperationLogWriter _writer = null!;
    private OperationPipeline _pipeline = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _harness = await PipelineHarness.CreateAsync();
        _ledger = new BudgetLedger(_harness.Time);
        _settlement = new BudgetSettlement(_ledger);
        _writer = new OperationLogWriter(new BudgetSettlingLogStore(_harness.Store, _settlement), NullLogger<OperationLogWriter>.Instance);
        var services = new PipelineServices(_harness.Routes, _harness.Providers, _harness.Costs, _writer, _harness.Circuits, _harness.Resilience, _harness.Alerts, _harness.Time);
        var reservation = new BudgetReservation(_ledger, _settlement, _harness.Time);
        _pipeline = new OperationPipeline(services, b => OperationPipeline.UseDefaultSteps(b, reservation));
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _harness.DisposeAsync();
    }

    [Fact]
    public async Task CompleteChat_HardBudgetWithoutRoom_RefusedBeforeAnyProviderIsCalledAndNothingIsLogged()
    {
        _ledger.Publish([BudgetLedgerTests.Budget(1, BudgetScope.User, "user-42", 0.000001m)]);

        var result = await _pipeline.CompleteChatAsync(PipelineHarness.Request(), PipelineHarness.Body(), Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal((BudgetErrors.ExceededCode, 429), (result.Error.Code, result.Error.StatusCode));
        Assert.Contains("user 'user-42' day budget", result.Error.Message, StringComparison.Ordinal);
        Assert.Empty(_harness.Alpha.Calls);
        Assert.Empty(_harness.Beta.Calls);
        Assert.Empty(_harness.Store.Entries);
        Assert.Empty(_harness.Store.OpenAttempts);
    }

    [Fact]
    public async Task CompleteChat_Served_SettlesTheReservationToTheLoggedCost()
    {
        _ledger.Publish([BudgetLedgerTests.Budget(1, BudgetScope.Operation, "chat", 1m), BudgetLedgerTests.Budget(2, BudgetScope.Key, "app:billing", 1m)]);

        var result = await _pipeline.CompleteChatAsync(PipelineHarness.Request(), PipelineHarness.Body(), Ct);

        Assert.True(result.IsSuccess);
        var row = Assert.Single(_harness.Store.Entries);
        Assert.All(_ledger.Snapshot.Accounts, a =>
        {
            var counter = a.CounterAt(_harness.Time.GetUtcNow());
            Assert.Equal(UsdNanos.Round(row.CostUsd!.Value), counter.SpentNanos);
            Assert.Equal(0, counter.ReservedNanos);
        });
        Assert.Equal(0, _settlement.OpenCount);
    }

    [Fact]
    public async Task CompleteChat_FailedAttemptThenFallback_ReleasesTheFailedReservationAndSettlesTheServedOne()
    {
        _ledger.Publish([BudgetLedgerTests.Budget(1, BudgetScope.Global, BudgetConfig.GlobalSubject, 1m)]);
        _harness.Alpha.OnComplete = (_, _) => Task.FromResult(ProviderResult<ChatCompletion>.Failure(PipelineHarness.ServerError()));

        var result = await _pipeline.CompleteChatAsync(PipelineHarness.Request(), PipelineHarness.Body(), Ct);

        Assert.True(result.IsSuccess);
        var counter = _ledger.Snapshot.Accounts[0].CounterAt(_harness.Time.GetUtcNow());
        Assert.Equal(_harness.Store.Entries.Sum(e => UsdNanos.Round(e.CostUsd ?? 0)), counter.SpentNanos);
        Assert.True(counter.SpentNanos > 0);
        Assert.Equal(0, counter.ReservedNanos);
        Assert.True(_harness.Store.Entries.Count > 1);
    }

    [Fact]
    public async Task Initialize_LogWithEarlierSpend_CreatesTheDefaultBudgetAndRebuildsItsSpend()
    {
        await _harness.Store.AppendAsync(
        [
            TestEntries.Success("old-1", at: _harness.Time.GetUtcNow().AddHours(-1), costUsd: 0.25m),
            TestEntries.Success("old-2", at: _harness.Time.GetUtcNow().AddDays(-1), costUsd: 5m),
        ], Ct);
        var store = new InMemoryBudgetStore(_harness.Store);
        using var service = new BudgetService(store, _ledger, _harness.Time, Options.Create(new BudgetsOptions { DefaultDailyUsd = 3m }));

        await service.InitializeAsync(Ct);
        await service.InitializeAsync(Ct);

        var view = Assert.Single(service.List());
        Assert.Equal((BudgetScope.Global, BudgetPeriod.Day, 3m, true), (view.Budget.Scope, view.Budget.Period, view.Budget.LimitUsd, view.Budget.Hard));
        Assert.Equal(0.25m, view.SpentUsd);
        Assert.Equal(2.75m, view.RemainingUsd);
    }
}
