namespace Helix.Core.OperationLog;

/// <summary>A page of the operation log, newest first.</summary>
/// <param name="Items">The rows.</param>
/// <param name="NextBeforeId">The cursor of the next page, or <see langword="null"/> at the end.</param>
public sealed record LogPage(IReadOnlyList<OperationLogEntry> Items, long? NextBeforeId);
