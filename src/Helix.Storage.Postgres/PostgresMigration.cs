namespace Helix.Storage.Postgres;

/// <summary>One versioned schema script embedded in this assembly (<c>Migrations/NNNN_name.sql</c>).</summary>
/// <param name="Version">The version the script brings the schema to.</param>
/// <param name="Name">The script's name, after its number (<c>catalog_and_routes</c> for <c>0001_catalog_and_routes.sql</c>).</param>
/// <param name="ResourceName">The manifest resource the script is read from.</param>
public sealed record PostgresMigration(int Version, string Name, string ResourceName);
