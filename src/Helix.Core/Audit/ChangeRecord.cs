namespace Helix.Core.Audit;

/// <summary>One admin change to append to the change history: who did what to which thing, and its state before and after.</summary>
/// <param name="ActorId">The principal's id (a key's id, an account's id; never a key).</param>
/// <param name="ActorName">The principal's name, as people read it.</param>
/// <param name="Action">What was done, as <c>&lt;thing&gt;.&lt;verb&gt;</c>: <c>route.update</c>, <c>toggle.set</c>, <c>key.create</c>, <c>approval.approve</c>…</param>
/// <param name="Target">What it was done to: an operation's name, a toggle's name, a key's id…</param>
/// <param name="Before">The thing as JSON before the change, or <see langword="null"/> when it did not exist; never a secret.</param>
/// <param name="After">The thing as JSON after the change, or <see langword="null"/> when it was deleted; never a secret.</param>
public sealed record ChangeRecord(string ActorId, string ActorName, string Action, string Target, string? Before, string? After);
