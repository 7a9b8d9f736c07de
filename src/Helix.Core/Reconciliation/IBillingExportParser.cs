namespace Helix.Core.Reconciliation;

/// <summary>Reads one provider's billing or usage export into normalised <see cref="BilledLine"/> rows.</summary>
/// <remarks>Implementations are stateless and thread-safe.</remarks>
public interface IBillingExportParser
{
    /// <summary>The Helix provider id whose exports this parser reads.</summary>
    string Provider { get; }

    /// <summary>Parses an export's full text.</summary>
    /// <param name="content">The export, as downloaded.</param>
    /// <returns>The lines and the period the export covers.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="content"/> is <see langword="null"/>.</exception>
    /// <exception cref="BillingExportFormatException">The export is malformed; the message names the line or field.</exception>
    BillingExport Parse(string content);
}
