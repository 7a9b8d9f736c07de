using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Reconciliation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Storage.Sqlite.Tests;

public sealed class SqliteReconciliationStoreTests
{
    private static readonly DateOnly s_nov1 = new(2026, 11, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveAsync_Report_AssignsIdsAndReadsBackExactly()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteReconciliationStore(test.Database);
        var report = Report(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero), ours: 0.000544696m, theirs: 0.0004m);

        var first = await store.SaveAsync(report, Ct);
        var second = await store.SaveAsync(report, Ct);
        var read = await store.GetAsync(first.Id, Ct);

        Assert.Equal(1, first.Id);
        Assert.Equal(2, second.Id);
        Assert.Equal(0, report.Id);
        Assert.NotNull(read);
        Assert.Equal(first.ToJson(), read.ToJson());
        var bucket = Assert.Single(read.Buckets);
        Assert.Equal(0.000544696m, bucket.OursUsd);
        Assert.Equal(0.000144696m, bucket.DifferenceUsd);
        Assert.Equal(BucketPresence.Both, bucket.Presence);
        Assert.Equal(["gpt-4.1-nano"], read.MispricedModels);
    }

    [Fact]
    public async Task SaveAsync_Report_FillsTheColumns()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteReconciliationStore(test.Database);

        await store.SaveAsync(Report(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero), ours: 1m, theirs: 1m), Ct);

        using var reader = test.OpenIndependentReader();
        var row = Assert.Single(reader.Rows("SELECT id, provider, period_from, period_to, created_at, passed FROM reconciliation_reports"));
        Assert.Equal([1L, "openai", "2026-11-01", "2026-11-01", "2026-11-24T06:00:00.0000000Z", 1L], row);
    }

    [Fact]
    public async Task ListAsync_SeveralReports_NewestFirstUpToTheLimit()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteReconciliationStore(test.Database);
        var start = new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero);
        var middle = await store.SaveAsync(Report(start.AddHours(1), 1m, 1m), Ct);
        var oldest = await store.SaveAsync(Report(start, 1m, 1m), Ct);
        var newest = await store.SaveAsync(Report(start.AddHours(2), 2m, 1m), Ct);

        var two = await store.ListAsync(2, Ct);
        var all = await store.ListAsync(10, Ct);

        Assert.Equal([newest.Id, middle.Id], two.Select(r => r.Id));
        Assert.Equal([newest.Id, middle.Id, oldest.Id], all.Select(r => r.Id));
        Assert.False(all[0].Passed);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteReconciliationStore(test.Database);

        Assert.Null(await store.GetAsync(42, Ct));
    }

    [Fact]
    public async Task ListAsync_LimitNotPositive_Throws()
    {
        await using var test = await TestDatabase.CreateAsync();
        var store = new SqliteReconciliationStore(test.Database);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAsync(0, Ct));
    }

    [Fact]
    public void AddHelixSqliteStorage_RegistersTheReconciliationStoreAsSingleton()
    {
        var services = new ServiceCollection().AddHelixSqliteStorage("Data Source=file:reconciliation-di?mode=memory&cache=shared");

        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(IReconciliationStore)).Lifetime);
    }

    private static ReconciliationReport Report(DateTimeOffset createdAt, decimal ours, decimal theirs) =>
        new Reconciler(new FakeTimeProvider(createdAt)).Reconcile(
            "openai",
            [new BilledLine("openai", s_nov1, "gpt-4.1-nano", "input", "proj_alpha", theirs, null, null)],
            [
                new OperationLogEntry
                {
                    RequestId = "r1",
                    Timestamp = new DateTimeOffset(2026, 11, 1, 12, 0, 0, TimeSpan.Zero),
                    Operation = "chat",
                    Principal = "app:test",
                    Provider = "openai",
                    Model = "openai/gpt-4.1-nano",
                    Attempt = 1,
                    Status = AttemptStatus.Success,
                    LatencyMs = 80,
                    UsageKnown = true,
                    Meters = new UsageMeters { InputTokens = 12, OutputTokens = 3 },
                    CostUsd = ours,
                    CostStatus = CostStatus.Priced,
                },
            ],
            ReconciliationOptions.Default);
}
