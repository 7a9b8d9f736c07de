namespace Helix.Storage.Sqlite;

/// <summary>One versioned schema script embedded in this assembly (<c>Migrations/NNNN_name.sql</c>).</summary>
/// <param name="Version">The version the script brings the schema to; versions run in order from 1, without gaps.</param>
/// <param name="Name">The script's name, after its number (<c>initial</c> for <c>0001_initial.sql</c>).</param>
/// <param name="ResourceName">The manifest resource the script is read from.</param>
public sealed record SqliteMigration(int Version, string Name, string ResourceName);
