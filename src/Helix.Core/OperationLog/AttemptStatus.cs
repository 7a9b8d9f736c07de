namespace Helix.Core.OperationLog;

/// <summary>How an attempt ended.</summary>
public enum AttemptStatus
{
    /// <summary>The provider answered.</summary>
    Success,

    /// <summary>The provider failed, or the attempt timed out.</summary>
    Failed,

    /// <summary>The caller went away before the answer was complete.</summary>
    Cancelled,

    /// <summary>The process stopped during the attempt; the row was written by recovery from the open-attempt journal.</summary>
    Interrupted,
}
