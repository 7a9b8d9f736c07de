namespace Helix.Storage.Postgres;

/// <summary>The database's schema cannot be used by this build: it is newer than the code, or its scripts are inconsistent.</summary>
public sealed class PostgresSchemaException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PostgresSchemaException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public PostgresSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
