using System.CommandLine;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;
using Helix.Storage.Postgres;
using Npgsql;

namespace Helix.Cli.Commands;

/// <summary><c>helix db migrate</c>: applies the PostgreSQL migrations to a database, before gateways start on it.</summary>
internal sealed class DbMigrateCommand
{
    private readonly Option<string?> _connection = CliOptions.Text("--connection", "CONNECTION", "An Npgsql connection string of the PostgreSQL database (or $HELIX_DB_CONNECTION).");

    private IEnumerable<Option> Options => [_connection];

    /// <summary>Creates <c>helix db migrate</c>.</summary>
    public static Command Create(CliContext context) => new DbMigrateCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("migrate", "Apply the PostgreSQL migrations to a shared database (--connection).")
        {
            Details = """
                Applies the PostgreSQL migrations this build knows that the database has not seen yet, in order, each in its
                own transaction, under an advisory lock (gateways starting at the same time wait for it). The same plain-SQL
                files can be applied by hand, in order (src/Helix.Storage.Postgres/Migrations), for example in Supabase.
                Gateways apply them at start-up too unless Helix:Storage:Migrate is false.
                """,
            Examples = """
                helix db migrate --connection "Host=127.0.0.1;Username=helix;Password=secret;Database=helix"
                """,
        };
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, context, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken)
    {
        var connection = parsed.GetValue(_connection) ?? context.Environment("HELIX_DB_CONNECTION");
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new UsageException("--connection is required (or set HELIX_DB_CONNECTION).");
        }

        PostgresDatabase database;
        try
        {
            database = new PostgresDatabase(connection, context.Time, "helix-cli");
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message);
        }

        await using (database)
        {
            try
            {
                var before = await database.Migrator.GetCurrentVersionAsync(cancellationToken);
                var applied = await database.Migrator.MigrateAsync(cancellationToken);
                await context.Stdout.WriteLineAsync(applied == 0
                    ? $"The database at {database.Description} is up to date (schema version {before})."
                    : $"Applied {applied} migration(s) to {database.Description}: schema version {before} -> {PostgresMigrator.LatestVersion}.");
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is NpgsqlException or PostgresSchemaException)
            {
                throw new CliFailure($"Migrating {database.Description} failed: {ex.Message}");
            }
        }
    }
}
