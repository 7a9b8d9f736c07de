using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>Brings a PostgreSQL database's schema up to date with the plain-SQL scripts embedded in this assembly.</summary>
/// <remarks>
/// <para>
/// A script is any embedded resource named <see cref="ResourcePrefix"/> + <c>NNNN_name.sql</c>: a file dropped into
/// the project's <c>Migrations/</c> folder. The files are plain SQL that a Supabase project (or <c>psql -1 -f</c>)
/// can apply as they are, in order. Each runs in its own transaction together with its row in
/// <c>schema_migrations</c>, so it is applied entirely or not at all; a script must not open or commit transactions.
/// </para>
/// <para>
/// The whole run holds a session advisory lock (<see cref="AdvisoryLockKey"/>): instances starting together queue on
/// it, and each script is applied once. A database newer than this build is refused with a
/// <see cref="PostgresSchemaException"/>. Thread-safe.
/// </para>
/// </remarks>
public sealed partial class PostgresMigrator
{
    /// <summary>The manifest resource name prefix of the scripts: the project's <c>Migrations/</c> folder.</summary>
    public const string ResourcePrefix = "Helix.Storage.Postgres.Migrations.";

    /// <summary>The key of the advisory lock a migration holds (any 64-bit value no other tool uses; "HELIXMIG" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x48454C49584D4947;

    private const string ScriptNamePattern = @"^(?<version>\d{4})_(?<name>[A-Za-z0-9_-]+)\.sql$";

    private static readonly Lazy<IReadOnlyList<PostgresMigration>> s_embedded =
        new(() => Discover(typeof(PostgresMigrator).Assembly), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly PostgresDatabase _database;

    /// <summary>Creates a migrator of <paramref name="database"/>.</summary>
    public PostgresMigrator(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Every script embedded in this assembly, in version order.</summary>
    /// <exception cref="PostgresSchemaException">A script is misnamed, or versions repeat.</exception>
    public static IReadOnlyList<PostgresMigration> Migrations => s_embedded.Value;

    /// <summary>The schema version this build brings a database to.</summary>
    public static int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>The SQL text of a script, as a file in <c>Migrations/</c> holds it.</summary>
    /// <exception cref="PostgresSchemaException">The script cannot be read.</exception>
    public static string ReadScript(PostgresMigration migration)
    {
        ArgumentNullException.ThrowIfNull(migration);
        using var stream = typeof(PostgresMigrator).Assembly.GetManifestResourceStream(migration.ResourceName)
            ?? throw new PostgresSchemaException($"The embedded migration '{migration.ResourceName}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Applies every script the database has not seen yet, in order.</summary>
    /// <param name="cancellationToken">Cancels between and within scripts; an interrupted script is rolled back.</param>
    /// <returns>How many scripts were applied by this call.</returns>
    /// <exception cref="PostgresSchemaException">The database is newer than this build, or disagrees about an applied script.</exception>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     NOT NULL PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            if (applied.Count > 0 && applied.Keys.Max() > LatestVersion)
            {
                throw new PostgresSchemaException(
                    $"The database at '{_database.Description}' has schema version {applied.Keys.Max()}, but this build of Helix knows versions up to {LatestVersion}. " +
                    "It was migrated by a newer Helix: run that version, or point this one at another database.");
            }

            var count = 0;
            foreach (var migration in Migrations)
            {
                if (applied.TryGetValue(migration.Version, out var appliedName))
                {
                    if (!string.Equals(appliedName, migration.Name, StringComparison.Ordinal))
                    {
                        throw new PostgresSchemaException(
                            $"The database at '{_database.Description}' applied migration {migration.Version:D4} as '{appliedName}', but this build's {migration.Version:D4} is '{migration.Name}'. The database was created by a different build of Helix.");
                    }

                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, ReadScript(migration), cancellationToken, transaction);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", connection, transaction))
                {
                    record.Parameters.AddWithValue(migration.Version);
                    record.Parameters.AddWithValue(migration.Name);
                    record.Parameters.AddWithValue(_database.TimeProvider.GetUtcNow());
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                count++;
            }

            return count;
        }
        finally
        {
            await ExecuteAsync(connection, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The newest schema version applied to the database; 0 for a new database.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('schema_migrations') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
            {
                return 0;
            }
        }

        await using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_migrations", connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    /// <summary>Finds the scripts embedded in <paramref name="assembly"/> under <see cref="ResourcePrefix"/>.</summary>
    internal static IReadOnlyList<PostgresMigration> Discover(Assembly assembly)
    {
        List<PostgresMigration> migrations = [];
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = ScriptName().Match(resource[ResourcePrefix.Length..]);
            if (!match.Success)
            {
                throw new PostgresSchemaException($"The embedded migration '{resource}' is misnamed: name it Migrations/NNNN_name.sql.");
            }

            migrations.Add(new PostgresMigration(int.Parse(match.Groups["version"].ValueSpan, CultureInfo.InvariantCulture), match.Groups["name"].Value, resource));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version < 1 || (i > 0 && migrations[i].Version == migrations[i - 1].Version))
            {
                throw new PostgresSchemaException(
                    $"Embedded migrations must be numbered from 0001 up without repeats; found {string.Join(", ", migrations.Select(m => $"{m.Version:D4}_{m.Name}"))}.");
            }
        }

        return migrations;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, NpgsqlTransaction? transaction = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT version, name FROM schema_migrations", connection);
        Dictionary<int, string> applied = [];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    [GeneratedRegex(ScriptNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ScriptName();
}
