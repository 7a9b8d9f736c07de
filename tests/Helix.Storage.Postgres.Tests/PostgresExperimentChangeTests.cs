using Helix.Core.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

/// <summary>An experiment started or stopped through one instance is run (or no longer run) by another within a second.</summary>
public sealed class PostgresExperimentChangeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ExperimentStartedAndStoppedThroughOneInstance_OtherInstanceFollowsWithinASecond()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var other = test.Open("other");
        using var table = new ExperimentTable(new PostgresExperimentStore(other));
        await table.ReloadAsync(Ct);
        await using var services = new ServiceCollection().AddSingleton(table).BuildServiceProvider();
        using var listener = new PostgresChangeListener(other, services, NullLogger<PostgresChangeListener>.Instance);
        await listener.StartAsync(Ct);
        try
        {
            await WaitForListenAsync(test);
            var store = new PostgresExperimentStore(test.Database);
            var experiment = new ExperimentConfig
            {
                Id = "exp_shared",
                Operation = "chat",
                Arms = [new ExperimentArm(ExperimentArm.ControlName, "deepseek/deepseek-v4-flash", 0.5m), new ExperimentArm("candidate-1", "gemini/gemini-2.5-flash", 0.5m)],
                CreatedAt = test.Time.GetUtcNow(),
                CreatedBy = "admin",
            };

            Assert.True(await store.InsertAsync(experiment, Ct));
            Assert.True(await WithinASecondAsync(() => table.Current.ContainsKey("chat")));

            Assert.True(await store.StopAsync(experiment with { Status = ExperimentStatus.Stopped, StoppedAt = test.Time.GetUtcNow(), StoppedBy = "admin" }, Ct));
            Assert.True(await WithinASecondAsync(() => !table.Current.ContainsKey("chat")));
        }
        finally
        {
            await listener.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<bool> WithinASecondAsync(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(1))
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(10, Ct);
        }

        return condition();
    }

    private static async Task WaitForListenAsync(PostgresTestDatabase test)
    {
        for (var i = 0; i < 200; i++)
        {
            if ((long)(await test.ScalarAsync($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN {PostgresChangeChannel.Name}%'"))! > 0)
            {
                return;
            }

            await Task.Delay(10, Ct);
        }
    }
}
