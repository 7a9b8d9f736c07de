namespace Helix.Core.Principals;

/// <summary>That a key was presented, as of a time: what <see cref="IKeyStore.RecordUsesAsync"/> persists.</summary>
/// <param name="Id">The key's id.</param>
/// <param name="At">The latest time it was presented.</param>
public readonly record struct KeyUse(string Id, DateTimeOffset At);
