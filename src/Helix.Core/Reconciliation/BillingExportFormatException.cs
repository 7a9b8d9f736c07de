namespace Helix.Core.Reconciliation;

/// <summary>A billing export could not be read; the message names the line or field at fault.</summary>
public sealed class BillingExportFormatException : FormatException
{
    /// <summary>Creates the exception.</summary>
    public BillingExportFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the error that caused it.</summary>
    public BillingExportFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The 1-based line of the export at fault, when known.</summary>
    public int? Line { get; init; }

    /// <summary>The field at fault (a JSON path or a CSV column), when known.</summary>
    public string? Field { get; init; }
}
