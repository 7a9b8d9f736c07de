namespace Helix.Core.OperationLog;

/// <summary>The operation log's store is failing, so a call that could not be logged is refused or not confirmed.</summary>
/// <remarks>
/// Thrown by <see cref="OperationLogWriter"/>: by <see cref="OperationLogWriter.OpenAsync"/> before a provider is
/// called (nothing was spent), and by <c>AppendAsync</c> when rows are not yet durable (they are kept and committed
/// as soon as the store recovers). Hosts map it to <c>503</c> with the code <see cref="Code"/>.
/// </remarks>
public sealed class StoreUnavailableException : Exception
{
    /// <summary>The error code hosts answer with.</summary>
    public const string Code = "store_unavailable";

    /// <summary>Creates the exception with a default message.</summary>
    public StoreUnavailableException()
        : this("The operation log's store is failing; the call was not made, as it could not be logged.")
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public StoreUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and the store's own failure.</summary>
    public StoreUnavailableException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
