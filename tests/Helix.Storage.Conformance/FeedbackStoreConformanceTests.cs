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
}
