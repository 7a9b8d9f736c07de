using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>One PostgreSQL database shared by every gateway instance: its connection pool, its clock and its migrator.</summary>
/// <remarks>
/// <para>
/// Connections come from one <see cref="NpgsqlDataSource"/> (a pool); each store operation rents one for its
/// statement or transaction and returns it. Unlike SQLite there is no single writer: PostgreSQL's row locks and
/// unique constraints keep concurrent writers of this and other instances correct.
/// </para>
/// <para>
/// <see cref="InstanceId"/> names this process among the instances sharing the database: the open attempts it
/// journals carry it, and its lease (<see cref="PostgresInstanceLease"/>) tells the others it is alive.
/// </para>
/// <para>Thread-safe. Owns the data source; dispose it to close the pool.</para>
/// </remarks>
public sealed class PostgresDatabase : IAsyncDisposable, IDisposable
{
    /// <summary>Creates a database over <paramref name="connectionString"/>; nothing is opened until first use.</summary>
    /// <param name="connectionString">An Npgsql connection string, such as <c>Host=db;Username=helix;Password=…;Database=helix</c>.</param>
    /// <param name="timeProvider">The clock for migration and change timestamps and leases; the system clock when <see langword="null"/>.</param>
    /// <param name="instanceId">This instance's name among those sharing the database; a new unique one when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The connection string is empty or malformed.</exception>
    public PostgresDatabase(string connectionString, TimeProvider? timeProvider = null, string? instanceId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"The PostgreSQL connection string is malformed: {ex.Message}", nameof(connectionString), ex);
        }

        // Notices and channel names are ours; the application name shows which sessions are Helix's in pg_stat_activity.
        builder.ApplicationName ??= "helix";
        DataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        Description = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        TimeProvider = timeProvider ?? TimeProvider.System;
        InstanceId = string.IsNullOrWhiteSpace(instanceId) ? $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}" : instanceId;
        Migrator = new PostgresMigrator(this);
    }

    /// <summary>The pool connections are rented from.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>Host, port and database, for messages (never the password).</summary>
    public string Description { get; }

    /// <summary>This instance's name among those sharing the database.</summary>
    public string InstanceId { get; }

    /// <summary>The migrator of this database's schema.</summary>
    public PostgresMigrator Migrator { get; }

    /// <summary>The clock of the stores over this database.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Applies every pending migration (under an advisory lock, so instances starting together migrate once).</summary>
    /// <param name="cancellationToken">Cancels the initialization.</param>
    /// <exception cref="PostgresSchemaException">The database was migrated by a newer version of Helix.</exception>
    public Task InitializeAsync(CancellationToken cancellationToken = default) => Migrator.MigrateAsync(cancellationToken);

    /// <summary>Rents an open connection from the pool; the caller disposes it.</summary>
    /// <param name="cancellationToken">Cancels the open.</param>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken cancellationToken = default) =>
        DataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => DataSource.Dispose();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => DataSource.DisposeAsync();
}
