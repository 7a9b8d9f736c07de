using Helix.Core.Experiments;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end of <see cref="IExperimentStore"/> must do: one running experiment per operation, stops that happen once.</summary>
public abstract class ExperimentStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_at = new(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);

    private IntelligenceStoresUnderTest? _stores;

    protected IExperimentStore Experiments => Stores.Experiments;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IntelligenceStoresUnderTest Stores => _stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    /// <summary>Creates the stores over a new, migrated database.</summary>
    protected abstract Task<IntelligenceStoresUnderTest> CreateStoresAsync();

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
    public async Task InsertAsync_ThenGet_ReturnsEveryFieldAndTheArmsInOrder()
    {
        var experiment = Experiment("exp_a", "chat") with
        {
            Arms = [new ExperimentArm(ExperimentArm.ControlName, "openai/gpt-4o", 0.5m), new ExperimentArm("candidate-1", "gemini/gemini-2.5-flash", 0.3m), new ExperimentArm("candidate-2", "deepseek/deepseek-v4-flash", 0.2m)],
            Guardrails = new ExperimentGuardrails { MaxErrorRateIncrease = 0.015m, MaxLatencyP95Increase = 1.25m, MaxCostPerCallIncrease = -0.1m, MaxQualityDecrease = 0.25m, MinCallsPerArm = 7, Alpha = 0.001m },
        };

        Assert.True(await Experiments.InsertAsync(experiment, Ct));
        var stored = await Experiments.GetAsync("exp_a", Ct);

        Assert.NotNull(stored);
        Assert.Equal(experiment.Arms, stored.Arms);
        Assert.Equal(experiment with { Arms = stored.Arms }, stored);
        Assert.Equal(ExperimentStatus.Running, stored.Status);
        Assert.Null(await Experiments.GetAsync("exp_unknown", Ct));
    }

    [Fact]
    public async Task InsertAsync_SecondRunningOnTheOperation_IsRefusedAndStoresNothing()
    {
        Assert.True(await Experiments.InsertAsync(Experiment("exp_a", "chat"), Ct));

        var second = await Experiments.InsertAsync(Experiment("exp_b", "chat"), Ct);
        var otherOperation = await Experiments.InsertAsync(Experiment("exp_c", "agent"), Ct);

        Assert.False(second);
        Assert.True(otherOperation);
        Assert.Null(await Experiments.GetAsync("exp_b", Ct));
        Assert.Equal(["exp_a", "exp_c"], (await Experiments.ListAsync(Ct)).Select(e => e.Id).Order());
    }

    [Fact]
    public async Task InsertAsync_ConcurrentStartsOnOneOperation_ExactlyOneRuns()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Experiments.InsertAsync(Experiment($"exp_{i}", "chat"), Ct)));

        Assert.Single(results, r => r);
        var running = Assert.Single(await Experiments.ListAsync(Ct));
        Assert.Equal(2, running.Arms.Count);
    }

    [Fact]
    public async Task StopAsync_Running_StopsOnceAndFreesTheOperation()
    {
        var experiment = Experiment("exp_a", "chat");
        Assert.True(await Experiments.InsertAsync(experiment, Ct));
        var stopped = experiment with { Status = ExperimentStatus.Stopped, StoppedAt = s_at.AddHours(2), StoppedBy = "alice", StopReason = "guardrail: error rate", Winner = ExperimentArm.ControlName };

        Assert.True(await Experiments.StopAsync(stopped, Ct));
        Assert.False(await Experiments.StopAsync(stopped with { StoppedBy = "bob" }, Ct));
        Assert.False(await Experiments.StopAsync(stopped with { Id = "exp_unknown" }, Ct));

        var stored = await Experiments.GetAsync("exp_a", Ct);
        Assert.NotNull(stored);
        Assert.Equal(experiment.Arms, stored.Arms);
        Assert.Equal(stopped, stored with { Arms = experiment.Arms });
        Assert.True(await Experiments.InsertAsync(Experiment("exp_b", "chat"), Ct));
    }

    [Fact]
    public async Task StopAsync_WithoutWinnerOrReason_KeepsThemEmpty()
    {
        var experiment = Experiment("exp_a", "chat");
        Assert.True(await Experiments.InsertAsync(experiment, Ct));

        Assert.True(await Experiments.StopAsync(experiment with { Status = ExperimentStatus.Stopped, StoppedAt = s_at.AddMinutes(1) }, Ct));

        var stored = await Experiments.GetAsync("exp_a", Ct);
        Assert.Equal((ExperimentStatus.Stopped, (DateTimeOffset?)s_at.AddMinutes(1), (string?)null, (string?)null, (string?)null),
            (stored!.Status, stored.StoppedAt, stored.StoppedBy, stored.StopReason, stored.Winner));
    }

    [Fact]
    public async Task ListAsync_NewestFirst()
    {
        Assert.True(await Experiments.InsertAsync(Experiment("exp_old", "chat") with { CreatedAt = s_at }, Ct));
        Assert.True(await Experiments.InsertAsync(Experiment("exp_new", "agent") with { CreatedAt = s_at.AddDays(1) }, Ct));
        Assert.True(await Experiments.InsertAsync(Experiment("exp_mid", "embed") with { CreatedAt = s_at.AddHours(1) }, Ct));

        var list = await Experiments.ListAsync(Ct);

        Assert.Equal(["exp_new", "exp_mid", "exp_old"], list.Select(e => e.Id));
        Assert.All(list, e => Assert.Equal(2, e.Arms.Count));
    }

    private static ExperimentConfig Experiment(string id, string operation) => new()
    {
        Id = id,
        Operation = operation,
        Arms = [new ExperimentArm(ExperimentArm.ControlName, "openai/gpt-4o-mini", 0.9m), new ExperimentArm("candidate-1", "gemini/gemini-2.5-flash", 0.1m)],
        CreatedAt = s_at,
        CreatedBy = "admin",
    };
}
