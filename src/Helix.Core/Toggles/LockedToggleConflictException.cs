namespace Helix.Core.Toggles;

/// <summary>Stored toggles contradict locked safety toggles: the host must not start.</summary>
/// <remarks>Thrown by <see cref="ToggleTable.InitializeAsync"/>; a host prints <see cref="Conflicts"/> and stops.</remarks>
public sealed class LockedToggleConflictException : Exception
{
    /// <summary>Creates the exception for <paramref name="conflicts"/>, each a sentence naming the stored row and the locked toggle.</summary>
    public LockedToggleConflictException(IReadOnlyList<string> conflicts)
        : base(Describe(conflicts)) => Conflicts = conflicts;

    /// <summary>Creates the exception with a message.</summary>
    public LockedToggleConflictException(string message)
        : this([message])
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public LockedToggleConflictException(string message, Exception? innerException)
        : base(message, innerException) => Conflicts = [message];

    /// <summary>Creates the exception with a generic message.</summary>
    public LockedToggleConflictException()
        : this("The stored toggles contradict a locked safety toggle.")
    {
    }

    /// <summary>Each conflict, one sentence each, naming the stored row and the locked toggle.</summary>
    public IReadOnlyList<string> Conflicts { get; }

    private static string Describe(IReadOnlyList<string> conflicts)
    {
        ArgumentNullException.ThrowIfNull(conflicts);
        return $"The stored toggles contradict locked safety toggles: {string.Join("; ", conflicts)}. Delete the stored row(s); a locked toggle is fixed by code and configuration, never by storage.";
    }
}
