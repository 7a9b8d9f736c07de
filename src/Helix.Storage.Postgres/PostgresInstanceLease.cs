using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Keeps this instance's lease in <c>helix_instances</c> and recovers the open attempts of instances whose lease ran out.</summary>
/// <remarks>
/// <para>
/// Every third of <see cref="PostgresStorageOptions.LeaseDuration"/> the lease is renewed, dead peers' open attempts
/// are turned into interrupted rows (<see cref="PostgresOperationLogStore.RecoverDeadPeersAsync"/>), expired instance
/// rows are removed and, with <see cref="PostgresStorageOptions.LogRetentionMonths"/>, log months past retention are
/// dropped. An instance never recovers a live peer's attempts: a peer is live while its lease runs, and it renews it
/// three times per lease. A stopping instance with nothing open removes its row; one with attempts still open lets its lease run out.
/// </para>
/// <para>Instants come from the injected clock; instances sharing a database need clocks in step well within a lease.</para>
/// </remarks>
public sealed partial class PostgresInstanceLease : BackgroundService
{
    private readonly PostgresDatabase _database;
    private readonly PostgresOperationLogStore _log;
    private readonly PostgresStorageOptions _options;
    private readonly ILogger<PostgresInstanceLease> _logger;

    /// <summary>Creates the service.</summary>
    public PostgresInstanceLease(PostgresDatabase database, PostgresOperationLogStore log, PostgresStorageOptions options, ILogger<PostgresInstanceLease> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        _database = database;
        _log = log;
        _options = options;
        _logger = logger;
    }

    /// <summary>Takes or renews this instance's lease until now plus <see cref="PostgresStorageOptions.LeaseDuration"/>.</summary>
    /// <param name="cancellationToken">Cancels the renewal.</param>
    public async Task RenewAsync(CancellationToken cancellationToken = default)
    {
        var now = _database.TimeProvider.GetUtcNow();
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("""
            INSERT INTO helix_instances (id, started_at, lease_until) VALUES ($1, $2, $3)
            ON CONFLICT (id) DO UPDATE SET lease_until = excluded.lease_until
            """, connection);
        command.Parameters.AddWithValue(_database.InstanceId);
        command.Parameters.AddWithValue(PostgresValues.Timestamp(now));
        command.Parameters.AddWithValue(PostgresValues.Timestamp(now + _options.LeaseDuration));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>One round: renew the lease, recover dead peers' attempts, forget expired instances, apply retention.</summary>
    /// <param name="cancellationToken">Cancels the round.</param>
    /// <returns>How many attempts of dead peers were recovered.</returns>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        await RenewAsync(cancellationToken);
        var now = _database.TimeProvider.GetUtcNow();
        var recovered = await _log.RecoverDeadPeersAsync(now, cancellationToken);
        if (recovered > 0)
        {
            LogRecovered(_logger, recovered);
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);

        // An expired instance is forgotten only once it has nothing left open.
        await using (var forget = new NpgsqlCommand(
            "DELETE FROM helix_instances i WHERE i.lease_until <= $1 AND NOT EXISTS (SELECT 1 FROM open_attempts o WHERE o.owner = i.id)",
            connection))
        {
            forget.Parameters.AddWithValue(PostgresValues.Timestamp(now));
            await forget.ExecuteNonQueryAsync(cancellationToken);
        }

        if (_options.LogRetentionMonths > 0)
        {
            var utc = now.UtcDateTime;
            var keepFrom = new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1 - _options.LogRetentionMonths);
            await using var retention = new NpgsqlCommand("SELECT helix_drop_log_partitions_before($1)", connection);
            retention.Parameters.AddWithValue(keepFrom);
            var dropped = (int)(await retention.ExecuteScalarAsync(cancellationToken))!;
            if (dropped > 0)
            {
                LogRetention(_logger, dropped, keepFrom);
            }
        }

        return recovered;
    }

    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var connection = await _database.OpenConnectionAsync(cancellationToken);
            // Only an instance with nothing open leaves at once: attempts still open may yet be logged by this process
            // as it stops, so they stay its own until the lease runs out.
            await using var command = new NpgsqlCommand(
                "DELETE FROM helix_instances i WHERE i.id = $1 AND NOT EXISTS (SELECT 1 FROM open_attempts o WHERE o.owner = i.id)",
                connection);
            command.Parameters.AddWithValue(_database.InstanceId);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
        {
            // The lease then simply runs out; peers recover a little later.
            LogRoundFailed(_logger, ex);
        }
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.LeaseDuration / 3, _database.TimeProvider);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await RunOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LogRoundFailed(_logger, ex);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} provider attempt(s) left open by a gateway instance whose lease ran out are logged as interrupted at their worst-case cost.")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} month(s) of the operation log before {KeepFrom:yyyy-MM} were dropped (retention).")]
    private static partial void LogRetention(ILogger logger, int count, DateTimeOffset keepFrom);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Renewing this instance's lease in PostgreSQL failed; it is tried again shortly.")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);
}
