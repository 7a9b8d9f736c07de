namespace Helix.Core.Pipeline;

/// <summary>Whether an ended attempt costs money, as far as the control plane can tell.</summary>
public enum AttemptBilling
{
    /// <summary>The provider billed it: priced from its usage, or estimated (and flagged) when usage never came.</summary>
    Billed,

    /// <summary>A failure providers do not bill (an error status, a timeout before any answer): zero, for a stated reason.</summary>
    NotBilled,

    /// <summary>Nothing was sent: the adapter refused the request before any byte left (it could not translate it).</summary>
    NotSent,

    /// <summary>Whether the provider billed it cannot be known (the adapter threw): unpriced, flagged.</summary>
    Unknown,
}
