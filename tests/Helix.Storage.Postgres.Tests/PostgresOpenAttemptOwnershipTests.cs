using Helix.Core.OperationLog;
using Helix.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Helix.Storage.Postgres.Tests;

/// <summary>Several instances on one database: each recovers what a dead one left open, never a live peer's attempts.</summary>
public sealed class PostgresOpenAttemptOwnershipTests
{
    private static readonly DateTimeOffset s_start = new(2026, 7, 24, 11, 59, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RecoverDeadPeersAsync_PeerLeaseLive_LeavesItsAttemptsOpen()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (peer, peerLease) = Instance(test, "peer");
        var (survivor, _) = Instance(test, "survivor");
        await peerLease.RenewAsync(Ct);
        await peer.AppendAsync([], [Open("req-1")], Ct);

        var recovered = await survivor.RecoverDeadPeersAsync(test.Time.GetUtcNow(), Ct);

        Assert.Equal(0, recovered);
        Assert.Equal(1L, await test.ScalarAsync("SELECT count(*) FROM open_attempts"));
        Assert.Equal(0, await survivor.RecoverOpenAttemptsAsync(test.Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task RecoverDeadPeersAsync_PeerLeaseRunOut_RecoversItsAttemptsOnceAsInterrupted()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (peer, peerLease) = Instance(test, "peer");
        var (first, _) = Instance(test, "survivor-1");
        var (second, _) = Instance(test, "survivor-2");
        await peerLease.RenewAsync(Ct);
        await peer.AppendAsync([], [Open("req-1"), Open("req-2")], Ct);

        test.Time.Advance(TimeSpan.FromSeconds(16));
        var recovered = await Task.WhenAll(
            first.RecoverDeadPeersAsync(test.Time.GetUtcNow(), Ct),
            second.RecoverDeadPeersAsync(test.Time.GetUtcNow(), Ct));

        Assert.Equal(2, recovered.Sum());
        var rows = (await first.QueryAsync(new LogQuery(), Ct)).Items;
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(AttemptStatus.Interrupted, r.Status));
        Assert.All(rows, r => Assert.Equal(0.002m, r.CostUsd));
        Assert.Equal(0L, await test.ScalarAsync("SELECT count(*) FROM open_attempts"));
        Assert.Equal(4_000_000L, await test.ScalarAsync("SELECT sum(cost_nanos)::bigint FROM operation_log_hourly WHERE dimension = 'global'"));
    }

    [Fact]
    public async Task RecoverDeadPeersAsync_OwnAttempts_AreNeverTakenWhileRunning()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (self, lease) = Instance(test, "self");
        await lease.RenewAsync(Ct);
        await self.AppendAsync([], [Open("req-1")], Ct);
        test.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(0, await self.RecoverDeadPeersAsync(test.Time.GetUtcNow(), Ct));

        // At start-up (the same stable instance id, restarted), its own attempts are its previous life's.
        Assert.Equal(1, await self.RecoverOpenAttemptsAsync(test.Time.GetUtcNow(), Ct));
    }

    [Fact]
    public async Task RunOnceAsync_ExpiredPeer_RecoversAndForgetsIt()
    {
        await using var test = await PostgresTestDatabase.CreateAsync();
        var (peer, peerLease) = Instance(test, "peer");
        var (_, survivorLease) = Instance(test, "survivor");
        await peerLease.RenewAsync(Ct);
        await peer.AppendAsync([TestEntries.Success("done", at: s_start)], [Open("req-1"), Open("done")], Ct);
        test.Time.Advance(TimeSpan.FromSeconds(30));

        var recovered = await survivorLease.RunOnceAsync(Ct);

        Assert.Equal(1, recovered);
        Assert.Equal(1L, await test.ScalarAsync("SELECT count(*) FROM helix_instances"));
        Assert.Equal("survivor", await test.ScalarAsync("SELECT id FROM helix_instances"));
    }

    private static (PostgresOperationLogStore Log, PostgresInstanceLease Lease) Instance(PostgresTestDatabase test, string id)
    {
        var database = test.Open(id);
        var log = new PostgresOperationLogStore(database);
        return (log, new PostgresInstanceLease(database, log, new PostgresStorageOptions(), NullLogger<PostgresInstanceLease>.Instance));
    }

    private static OpenAttempt Open(string requestId) => new()
    {
        RequestId = requestId,
        Attempt = 1,
        Timestamp = s_start,
        Operation = "chat",
        Principal = "app:test",
        Provider = "deepseek",
        Model = "deepseek/deepseek-v4-flash",
        EstimatedCostUsd = 0.002m,
    };
}
