namespace Helix.Core.Alerts;

/// <summary>Where a stored alert stands: <c>open → acknowledged → resolved</c>.</summary>
public enum AlertState
{
    /// <summary>Raised, nobody has looked at it yet.</summary>
    Open,

    /// <summary>Someone has seen it and is on it.</summary>
    Acknowledged,

    /// <summary>Dealt with; a rule that alerts once per open alert may fire again.</summary>
    Resolved,
}
