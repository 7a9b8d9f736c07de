using Helix.Core.Feedback;
using Helix.Core.OperationLog;
using Helix.Testing;
using Xunit;

namespace Helix.Storage.Conformance;

/// <summary>What every back-end of <see cref="IFeedbackStore"/> must do; calls are logged through the same back-end's <see cref="IOperationLogStore"/>.</summary>
public abstract class FeedbackStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset s_now = TestEntries.Epoch;

    private (IFeedbackStore Feedback, IOperationLogStore Log, IAsyncDisposable? Owner)? _stores;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IFeedbackStore Feedback => (_stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.")).Feedback;

    private IOperationLogStore Log => (_stores ?? throw new InvalidOperationException("The stores are created in InitializeAsync.")).Log;

    /// <summary>Creates the stores over a new, empty database, and what owns it.</summary>
    protected abstract Task<(IFeedbackStore Feedback, IOperationLogStore Log, IAsyncDisposable? Owner)> CreateStoresAsync();

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
    public async Task Add_ForALoggedCall_ListsItOldestFirst_WithEveryField()
    {
        await Log.AppendAsync([TestEntries.Success("req-1"), TestEntries.Failure("req-1", attempt: 2), TestEntries.Success("req-2")], Ct);
        var first = new CallFeedback("req-1", 4m, 0.75m, "good answer", "key_app", s_now);
        var second = new CallFeedback("req-1", -1m, 0.0m, null, "key_other", s_now.AddMinutes(1));

        Assert.True(await Feedback.AddAsync(first, Ct));
        Assert.True(await Feedback.AddAsync(second, Ct));
        Assert.True(await Feedback.AddAsync(new CallFeedback("req-2", 1m, 1m, null, "key_app", s_now), Ct));

        Assert.Equal([first, second], await Feedback.ListAsync("req-1", Ct));
        Assert.Single(await Feedback.ListAsync("req-2", Ct));
    }

    [Fact]
    public async Task Add_ForNoLoggedCall_StoresNothing()
    {
        await Log.AppendAsync([TestEntries.Success("req-1")], Ct);

        Assert.False(await Feedback.AddAsync(new CallFeedback("req-unknown", 1m, 1m, null, "key_app", s_now), Ct));

        Assert.Empty(await Feedback.ListAsync("req-unknown", Ct));
        Assert.Empty(await Feedback.ListAsync("req-1", Ct));
    }

    [Fact]
    public async Task Add_KeepsTheScoreAsSent()
    {
        await Log.AppendAsync([TestEntries.Success("req-1")], Ct);

        await Feedback.AddAsync(new CallFeedback("req-1", 0.5m, 0.75m, "half", "key_app", s_now), Ct);

        var read = Assert.Single(await Feedback.ListAsync("req-1", Ct));
        Assert.Equal("0.5", read.Score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(0.75m, read.Quality);
    }

    [Fact]
    public async Task GetArmQuality_JoinsFeedbackToTheExperimentsFirstAttempts_OneMeanPerCall()
    {
        static OperationLogEntry Under(OperationLogEntry row, string experiment, string arm) => row with { ExperimentId = experiment, ExperimentArm = arm };
        await Log.AppendAsync(
        [
            Under(TestEntries.Success("req-c1"), "exp_a", "control"),
            Under(TestEntries.Success("req-c2"), "exp_a", "control"),
            Under(TestEntries.Success("req-c3"), "exp_a", "control"),
            Under(TestEntries.Failure("req-k1"), "exp_a", "candidate-1"),
            Under(TestEntries.Success("req-k1", attempt: 2), "exp_a", "candidate-1"),
            Under(TestEntries.Success("req-b1"), "exp_b", "candidate-1"),
            TestEntries.Success("req-none"),
        ], Ct);
        foreach (var (request, quality) in new[] { ("req-c1", 1m), ("req-c1", 0.5m), ("req-c2", 0m), ("req-k1", 0.75m), ("req-b1", 0m), ("req-none", 0m) })
        {
            Assert.True(await Feedback.AddAsync(new CallFeedback(request, 0m, quality, null, "key_app", s_now), Ct));
        }

        var arms = await Feedback.GetArmQualityAsync("exp_a", Ct);

        // req-c1 rated twice (1 and 0 on the -1..1 scale) counts once at 0.5; req-c2 at -1; req-c3 is unrated;
        // req-k1's two attempts count once; exp_b and the call under no experiment are left out.
        Assert.Collection(
            arms,
            candidate => Assert.Equal(new ArmQuality("candidate-1", 1, 0.5, 0.25), candidate),
            control => Assert.Equal(new ArmQuality("control", 2, -0.5, 1.25), control));
        Assert.Empty(await Feedback.GetArmQualityAsync("exp_none", Ct));
    }
}
