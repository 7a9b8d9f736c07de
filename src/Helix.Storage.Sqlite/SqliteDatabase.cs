using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>One SQLite database: opens its connections with Helix's durability settings and migrates its schema.</summary>
/// <remarks>
/// <para>
/// Every write goes through one dedicated writer connection, serialised by a gate: SQLite admits one writer at a
/// time anyway, and queueing in process is cheaper than lock contention in the file. Reads use short-lived pooled
/// connections, which in WAL mode never block the writer nor wait for it.
/// </para>
/// <para>
/// Connections run with <c>journal_mode=WAL</c> and <c>synchronous=NORMAL</c>: a committed transaction is in the
/// write-ahead log before the commit returns, so it survives the process being killed (only a power loss or OS
/// crash can take the last commits back), without an fsync per commit. A file database's log is checkpointed in
/// the background (<see cref="SqliteCheckpointer"/>), not by the commit that fills it. An in-memory shared-cache database
/// (<c>Data Source=file:name?mode=memory&amp;cache=shared</c>) is kept alive by the writer connection for the
/// lifetime of this object.
/// </para>
/// <para>Thread-safe. Owns the writer connection; dispose it to close the database.</para>
/// </remarks>
public sealed class SqliteDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>The connection string used when none is configured.</summary>
    public const string DefaultConnectionString = "Data Source=data/helix.db";

    private const string SessionPragmas = "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;";

    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private SqliteConnection? _writer;
    private SqliteCheckpointer? _checkpointer;
    private bool _directoryCreated;
    private bool _disposed;

    /// <summary>Creates a database over <paramref name="connectionString"/>; nothing is opened until first use.</summary>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <see cref="DefaultConnectionString"/>.</param>
    /// <param name="timeProvider">The clock for migration and change timestamps; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The connection string names no data source, or a private <c>:memory:</c> database, which would vanish with each connection.</exception>
    public SqliteDatabase(string connectionString, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrWhiteSpace(builder.DataSource))
        {
            throw new ArgumentException("The SQLite connection string names no Data Source.", nameof(connectionString));
        }

        IsInMemory = builder.Mode == SqliteOpenMode.Memory
            || builder.DataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)
            || string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal);
        if (IsInMemory && builder.Cache != SqliteCacheMode.Shared && !builder.DataSource.Contains("cache=shared", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(
                "A private in-memory SQLite database lives only as long as one connection; use a shared-cache one, e.g. 'Data Source=file:helix?mode=memory&cache=shared'.",
                nameof(connectionString));
        }

        if (!IsInMemory)
        {
            builder.Mode = SqliteOpenMode.ReadWriteCreate;
        }

        ConnectionString = builder.ToString();
        DataSource = builder.DataSource;
        TimeProvider = timeProvider ?? TimeProvider.System;
        Migrator = new SqliteMigrator(this);
    }

    /// <summary>The connection string connections are opened with.</summary>
    public string ConnectionString { get; }

    /// <summary>The data source: a file path, or the name of an in-memory database.</summary>
    public string DataSource { get; }

    /// <summary>Whether the database lives in memory (tests) rather than in a file.</summary>
    public bool IsInMemory { get; }

    /// <summary>The migrator of this database's schema.</summary>
    public SqliteMigrator Migrator { get; }

    internal TimeProvider TimeProvider { get; }

    /// <summary>Pages of log past which the background checkpoint takes the writer's gate (tests lower it); set before first use.</summary>
    internal int CheckpointRewindFrames { get; set; } = SqliteCheckpointer.RewindFrames;

    /// <summary>The background checkpointer of a file database, once its writer is open.</summary>
    internal SqliteCheckpointer? Checkpointer => Volatile.Read(ref _checkpointer);

    /// <summary>Prepares the database for use: creates it if missing and applies every pending migration.</summary>
    /// <param name="cancellationToken">Cancels the initialization.</param>
    /// <exception cref="SqliteSchemaException">The database was migrated by a newer version of Helix.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Migrator.MigrateAsync(cancellationToken);

    /// <summary>Opens a short-lived connection for reading, with the session settings applied; the caller disposes it.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <remarks>Connections are pooled by Microsoft.Data.Sqlite, so opening one per query is cheap.</remarks>
    public async Task<SqliteConnection> OpenConnectionAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsInMemory && Volatile.Read(ref _writer) is null)
        {
            // The shared-cache database exists only while a connection holds it: the writer is that connection.
            await WriteAsync(static (_, _) => Task.FromResult(true), cancellationToken);
        }

        EnsureDirectory();
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await ExecuteAsync(connection, SessionPragmas, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Volatile.Read(ref _checkpointer)?.Dispose();
        _writeGate.Wait();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _writer?.Dispose();
            _writer = null;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Volatile.Read(ref _checkpointer)?.Dispose();
        await _writeGate.WaitAsync();
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the writer connection, alone.</summary>
    internal async Task<T> WriteAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writeGate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var writer = _writer ?? await OpenWriterAsync(cancellationToken);
            return await work(writer, cancellationToken);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    internal static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<SqliteConnection> OpenWriterAsync(CancellationToken cancellationToken)
    {
        EnsureDirectory();
        var writer = new SqliteConnection(ConnectionString);
        try
        {
            await writer.OpenAsync(cancellationToken);

            // journal_mode is a property of the file, kept once set; an in-memory database answers "memory". A file
            // database's log is checkpointed in the background (SqliteCheckpointer), not inside a commit; a log that
            // grew under load is cut back to 64 MB when it is rewound.
            await ExecuteAsync(
                writer,
                IsInMemory
                    ? "PRAGMA journal_mode=WAL; " + SessionPragmas
                    : "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864; " + SessionPragmas,
                cancellationToken);
        }
        catch
        {
            await writer.DisposeAsync();
            throw;
        }

        Volatile.Write(ref _writer, writer);
        if (!IsInMemory && _checkpointer is null)
        {
            Volatile.Write(ref _checkpointer, new SqliteCheckpointer(this, CheckpointRewindFrames));
        }

        return writer;
    }

    private void EnsureDirectory()
    {
        if (IsInMemory || Volatile.Read(ref _directoryCreated))
        {
            return;
        }

        var path = DataSource;
        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            path = path["file:".Length..];
            var query = path.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
            {
                path = path[..query];
            }
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        Volatile.Write(ref _directoryCreated, true);
    }
}
