using Helix.Core.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Helix.Storage.Sqlite;

/// <summary>Adds the embedded SQLite store to a Helix configuration in one call.</summary>
public static class SqliteHelixBuilderExtensions
{
    /// <summary>
    /// Stores routes, the operation log, prices and reconciliations in SQLite, and migrates the schema as a hosted
    /// start-up step, before routes and prices are loaded.
    /// </summary>
    /// <param name="helix">The Helix configuration.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string, such as <c>Data Source=helix.db</c>; the file is created when missing.</param>
    /// <returns><paramref name="helix"/>, to continue the configuration.</returns>
    /// <remarks>
    /// Needs a host (the generic host or ASP.NET Core) to run the start-up step; without one, call
    /// <see cref="SqliteDatabase.InitializeAsync"/> and <see cref="HelixInitializer.InitializeAsync"/> yourself.
    /// </remarks>
    public static HelixBuilder AddSqliteStorage(this HelixBuilder helix, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(helix);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        helix.Services.AddHelixSqliteStorage(connectionString);
        helix.Services.AddHostedService<SqliteStorageStartup>();
        return helix;
    }
}
