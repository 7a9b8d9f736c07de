namespace Helix.Storage.Sqlite;

/// <summary>SQLite result codes the stores react to (see https://www.sqlite.org/rescode.html).</summary>
internal static class SqliteErrorCodes
{
    /// <summary><c>SQLITE_CONSTRAINT_UNIQUE</c>: a UNIQUE constraint failed.</summary>
    public const int ConstraintUnique = 2067;

    /// <summary><c>SQLITE_CONSTRAINT_PRIMARYKEY</c>: a PRIMARY KEY constraint failed.</summary>
    public const int ConstraintPrimaryKey = 1555;
}
