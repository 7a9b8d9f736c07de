namespace Helix.Cli;

/// <summary>The exit codes of <c>helix</c>; scripts rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Success = 0;

    /// <summary><c>helix reconcile</c>: the bill and the operation log disagree beyond the tolerance.</summary>
    public const int ReconciliationFailed = 1;

    /// <summary><c>helix audit verify</c>: the change history's or the operation log's hash chain is broken.</summary>
    public const int ChainBroken = 1;

    /// <summary>Bad arguments, an unreadable file, or the gateway refused or could not be reached.</summary>
    public const int UsageError = 2;

    /// <summary><c>helix cost</c>: the response carries no usage (a cut stream), so it cannot be priced.</summary>
    public const int UsageUnknown = 3;

    /// <summary><c>helix cost</c>: no price is known for the model or one of its meters.</summary>
    public const int Unpriced = 4;

    /// <summary>Stopped with Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
}
