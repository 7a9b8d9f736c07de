namespace Helix.Core.Audit;

/// <summary>A page of the change history to read: newest first, older than <paramref name="BeforeId"/>, optionally filtered.</summary>
/// <param name="Limit">At most this many entries (at least 1).</param>
/// <param name="BeforeId">Only entries older than this id, or <see langword="null"/> for the newest.</param>
/// <param name="Target">Only entries about this target.</param>
/// <param name="Action">Only entries of this action (<c>route.update</c>).</param>
/// <param name="Actor">Only entries by this actor, named by id or by name.</param>
public sealed record ChangeQuery(int Limit, long? BeforeId = null, string? Target = null, string? Action = null, string? Actor = null);
