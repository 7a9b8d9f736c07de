namespace Helix.Storage.Sqlite;

/// <summary>The database's schema cannot be used by this build: it is newer than the code, or its scripts are inconsistent.</summary>
public sealed class SqliteSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SqliteSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public SqliteSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
