using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>Brings a database's schema up to date with the scripts embedded in this assembly.</summary>
/// <remarks>
/// <para>
/// A script is any embedded resource named <see cref="ResourcePrefix"/> + <c>NNNN_name.sql</c>, which is what a file
/// dropped into the project's <c>Migrations/</c> folder becomes. Scripts run in version order, each in its own
/// transaction together with its row in <c>schema_migrations</c> (version, name, applied_at), so a script is
/// applied entirely or not at all. A script must not open or commit transactions itself.
/// </para>
/// <para>
/// A database whose schema is newer than the newest script is refused with a <see cref="SqliteSchemaException"/>:
/// this build would not know what its tables mean. Thread-safe; concurrent migrations of one database, in this
/// process or another, apply each script once.
/// </para>
/// </remarks>
public sealed partial class SqliteMigrator
{
    /// <summary>The manifest resource name prefix of the scripts: the project's <c>Migrations/</c> folder.</summary>
    public const string ResourcePrefix = "Helix.Storage.Sqlite.Migrations.";

    /// <summary>The name a script's file must have after <see cref="ResourcePrefix"/>: four digits, an underscore, a name, <c>.sql</c>.</summary>
    public const string ScriptNamePattern = @"^(?<version>\d{4})_(?<name>[A-Za-z0-9_-]+)\.sql$";

    private static readonly Lazy<IReadOnlyList<SqliteMigration>> s_embedded =
        new(() => Discover(typeof(SqliteMigrator).Assembly), LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly SqliteDatabase _database;

    /// <summary>Creates a migrator of <paramref name="database"/>.</summary>
    public SqliteMigrator(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <summary>Every script embedded in this assembly, in version order.</summary>
    /// <exception cref="SqliteSchemaException">A script is misnamed, or versions repeat.</exception>
    public static IReadOnlyList<SqliteMigration> Migrations => s_embedded.Value;

    /// <summary>The schema version this build brings a database to.</summary>
    public static int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    /// <summary>Applies every script the database has not seen yet, in order.</summary>
    /// <param name="cancellationToken">Cancels between and within scripts; an interrupted script is rolled back.</param>
    /// <exception cref="SqliteSchemaException">The database is newer than this build, or disagrees about an applied script.</exception>
    public Task MigrateAsync(CancellationToken cancellationToken = default) =>
        _database.WriteAsync(async (connection, ct) =>
        {
            await SqliteDatabase.ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    INTEGER NOT NULL PRIMARY KEY,
                    name       TEXT    NOT NULL,
                    applied_at TEXT    NOT NULL
                );
                """, ct);

            // Refuse before touching anything: this build would not know what a newer schema's tables mean.
            var newest = await ReadNewestAsync(connection, transaction: null, ct);
            if (newest > LatestVersion)
            {
                throw NewerThanCode(newest);
            }

            foreach (var migration in Migrations)
            {
                // IMMEDIATE: the write lock is taken before reading what is applied, so a second process
                // migrating the same file waits here and then sees this script as applied.
                using var transaction = connection.BeginTransaction(deferred: false);
                var applied = await ReadAppliedAsync(connection, transaction, ct);
                if (applied.TryGetValue(migration.Version, out var appliedName))
                {
                    if (!string.Equals(appliedName, migration.Name, StringComparison.Ordinal))
                    {
                        throw new SqliteSchemaException(
                            $"The database at '{_database.DataSource}' applied migration {migration.Version:D4} as '{appliedName}', but this build's {migration.Version:D4} is '{migration.Name}'. The database was created by a different build of Helix.");
                    }

                    continue;
                }

                await SqliteDatabase.ExecuteAsync(connection, ReadScript(migration), ct, transaction);
                using (var record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $appliedAt)";
                    record.Parameters.AddWithValue("$version", migration.Version);
                    record.Parameters.AddWithValue("$name", migration.Name);
                    record.Parameters.AddWithValue("$appliedAt", SqliteValues.FormatTimestamp(_database.TimeProvider.GetUtcNow()));
                    await record.ExecuteNonQueryAsync(ct);
                }

                transaction.Commit();
            }

            return true;
        }, cancellationToken);

    /// <summary>The newest schema version applied to the database; 0 for a new database.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    public async Task<int> GetCurrentVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'";
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        return await ReadNewestAsync(connection, transaction: null, cancellationToken);
    }

    /// <summary>Finds the scripts embedded in <paramref name="assembly"/> under <see cref="ResourcePrefix"/>.</summary>
    /// <exception cref="SqliteSchemaException">A script is misnamed, or versions repeat.</exception>
    internal static IReadOnlyList<SqliteMigration> Discover(Assembly assembly)
    {
        List<SqliteMigration> migrations = [];
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var match = ScriptName().Match(resource[ResourcePrefix.Length..]);
            if (!match.Success)
            {
                throw new SqliteSchemaException($"The embedded migration '{resource}' is misnamed: name it Migrations/NNNN_name.sql (four digits, then letters, digits, '_' or '-').");
            }

            migrations.Add(new SqliteMigration(
                int.Parse(match.Groups["version"].ValueSpan, CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                resource));
        }

        // Numbers are reserved by branches developed in parallel, so one may land before a lower one: a gap is
        // allowed (each script is applied once, whenever it first appears), a repeat is not.
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version < 1 || (i > 0 && migrations[i].Version == migrations[i - 1].Version))
            {
                throw new SqliteSchemaException(
                    $"Embedded migrations must be numbered from 0001 up without repeats; found {string.Join(", ", migrations.Select(m => $"{m.Version:D4}_{m.Name}"))}.");
            }
        }

        return migrations;
    }

    private static string ReadScript(SqliteMigration migration)
    {
        using var stream = typeof(SqliteMigrator).Assembly.GetManifestResourceStream(migration.ResourceName)
            ?? throw new SqliteSchemaException($"The embedded migration '{migration.ResourceName}' cannot be read.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT version, name FROM schema_migrations";
        Dictionary<int, string> applied = [];
        using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task<int> ReadNewestAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private SqliteSchemaException NewerThanCode(int newest) => new(
        $"The database at '{_database.DataSource}' has schema version {newest}, but this build of Helix knows versions up to {LatestVersion}. " +
        "It was migrated by a newer Helix: run that version, or point this one at another database.");

    [GeneratedRegex(ScriptNamePattern, RegexOptions.CultureInvariant)]
    private static partial Regex ScriptName();
}
