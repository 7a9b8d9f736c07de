namespace Helix.Core.OperationLog;

/// <summary>A page request over the operation log, newest first.</summary>
/// <param name="Operation">Only this operation, when set.</param>
/// <param name="User">Only this end user, when set.</param>
/// <param name="Limit">The page size (1 to 1000).</param>
/// <param name="BeforeId">Only rows older than this id (the cursor), when set.</param>
public sealed record LogQuery(string? Operation = null, string? User = null, int Limit = 100, long? BeforeId = null);
