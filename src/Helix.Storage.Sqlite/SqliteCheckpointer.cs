using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Checkpoints a file database's write-ahead log in the background, off the writer's commits.</summary>
/// <remarks>
/// <para>
/// SQLite's automatic checkpoint runs inside the commit that takes the log past 1,000 pages: that commit copies the
/// log into the database file and waits for two fsyncs (7 to 33 ms each on the benchmark machine's disk), and so does
/// the call waiting for it to be durable: about one call in 170 with the operation log, a tail at p99. The writer
/// connection turns it off (<c>wal_autocheckpoint=0</c>) and this checkpoints instead.
/// </para>
/// <para>
/// Once the log file has grown to SQLite's own threshold, 1,000 pages (<see cref="MinimumLogBytes"/>; until then the
/// log only grows, as it did, so a full disk is still met by the next commit), every <see cref="Interval"/> a PASSIVE
/// checkpoint on this checkpointer's own connection copies what it can without waiting for the writer or blocking it. SQLite rewinds the log to its start only after a checkpoint copied all of
/// it, which a concurrent checkpoint under steady writes may never do, so once the log holds
/// <see cref="RewindFrames"/> pages the checkpoint runs under the writer's gate instead: the commits of that moment
/// wait for the few pages the background checkpoints have not copied yet, and the next commit starts the log afresh.
/// A failed checkpoint loses nothing (the pages stay in the log, which readers and recovery use) and is tried again at
/// the next tick; a failing disk shows in the writer's own commits. Thread-safe.
/// </para>
/// </remarks>
internal sealed class SqliteCheckpointer : IDisposable
{
    /// <summary>How often the log is checkpointed.</summary>
    // Measured at one caller (docs/durability.md): every 250 ms gave p99 2.7 ms and p99.9 27 ms (each checkpoint's
    // fsyncs flushed more at once, stalling the writer's commits meanwhile), every 50 ms p99 3.4 and p99.9 10.5,
    // SQLite's own in-commit checkpoint p99 7.5 and p99.9 8.8.
    internal static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(50);

    /// <summary>The log file's size from which checkpoints run: 1,000 pages of 4 KB and their frame headers, SQLite's default.</summary>
    internal const long MinimumLogBytes = 32 + 1000 * (4096 + 24);

    /// <summary>Pages of log (4 KB each) past which a checkpoint takes the writer's gate, so the log is rewound.</summary>
    internal const int RewindFrames = 8192;

    private readonly SqliteDatabase _database;
    private readonly string _logPath;
    private readonly long _minimumLogBytes;
    private readonly int _rewindFrames;
    private readonly SemaphoreSlim _running = new(1, 1);
    private readonly ITimer _timer;
    private SqliteConnection? _connection;
    private long _checkpoints;
    private long _rewinds;
    private bool _disposed;

    public SqliteCheckpointer(SqliteDatabase database, long minimumLogBytes = MinimumLogBytes, int rewindFrames = RewindFrames)
    {
        _database = database;
        _logPath = database.FilePath + "-wal";
        _minimumLogBytes = minimumLogBytes;
        _rewindFrames = rewindFrames;
        _timer = database.TimeProvider.CreateTimer(static state => _ = ((SqliteCheckpointer)state!).CheckpointAsync(), this, Interval, Interval);
    }

    /// <summary>Checkpoints completed since start.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Checkpoints that took the writer's gate because the log had grown past <see cref="RewindFrames"/>.</summary>
    public long Rewinds => Interlocked.Read(ref _rewinds);

    /// <summary>One checkpoint; skipped when the previous one is still running.</summary>
    internal async Task CheckpointAsync()
    {
        if (!_running.Wait(0))
        {
            return;
        }

        try
        {
            if (_disposed || !LogReached(_logPath, _minimumLogBytes))
            {
                return;
            }

            _connection ??= await _database.OpenConnectionAsync();
            var logFrames = await PassiveAsync(_connection, CancellationToken.None);
            if (logFrames >= _rewindFrames)
            {
                await _database.WriteAsync(PassiveAsync, CancellationToken.None);
                Interlocked.Increment(ref _rewinds);
            }

            Interlocked.Increment(ref _checkpoints);
        }
        catch (Exception ex) when (ex is SqliteException or ObjectDisposedException or InvalidOperationException)
        {
            // Nothing is lost (see remarks); the next tick tries again.
        }
        finally
        {
            _running.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _timer.Dispose();
        _running.Wait();
        try
        {
            _disposed = true;
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _running.Release();
        }
    }

    private static bool LogReached(string path, long bytes)
    {
        var log = new FileInfo(path);
        return log.Exists && log.Length >= bytes;
    }

    // Returns the pages in the log: the second column of wal_checkpoint's one row (busy, log, checkpointed).
    private static async Task<int> PassiveAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? reader.GetInt32(1) : 0;
    }
}
