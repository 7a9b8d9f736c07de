using Helix.Core.OperationLog;

namespace Helix.Core.Insights;

/// <summary>A page request over the operation log with the dashboard's filters, newest first.</summary>
/// <param name="Operation">Only this operation, when set.</param>
/// <param name="Model">Only attempts on this model (catalog id), when set.</param>
/// <param name="Status">Only attempts with this status, when set.</param>
/// <param name="User">Only this end user, when set.</param>
/// <param name="From">Only rows at or after this instant, when set.</param>
/// <param name="To">Only rows before this instant, when set.</param>
/// <param name="Limit">The page size (1 to 1000).</param>
/// <param name="BeforeId">Only rows older than this id (the cursor), when set.</param>
public sealed record LogSearch(
    string? Operation = null, string? Model = null, AttemptStatus? Status = null, string? User = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null, int Limit = 50, long? BeforeId = null);
