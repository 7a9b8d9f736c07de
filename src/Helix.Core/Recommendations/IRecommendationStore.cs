namespace Helix.Core.Recommendations;

/// <summary>Durable storage of recommendations.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IRecommendationStore
{
    /// <summary>Every recommendation, newest first.</summary>
    Task<IReadOnlyList<Recommendation>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>One recommendation, or <see langword="null"/>.</summary>
    Task<Recommendation?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Stores a new recommendation and returns it with its id.</summary>
    Task<Recommendation> InsertAsync(Recommendation recommendation, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores Helix's computed recommendations: an open Helix-made one with the same kind, operation, model and tier
    /// is updated (evidence, savings, time); a dismissed one is left dismissed and not made again; the rest are added.
    /// Open Helix-made ones that are no longer computed are removed: their evidence is gone. One that was asked to be
    /// applied (<see cref="Recommendation.ApprovalId"/>) or was applied is left exactly as it is.
    /// </summary>
    Task ReplaceComputedAsync(IReadOnlyList<Recommendation> computed, CancellationToken cancellationToken = default);

    /// <summary>Dismisses an open recommendation.</summary>
    /// <returns>Whether it was open (and is now dismissed).</returns>
    Task<bool> DismissAsync(long id, string by, string reason, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Records the approval asked for to apply an open, unapplied recommendation (replacing an earlier one).</summary>
    /// <returns>Whether it was open and unapplied (and now carries <paramref name="approvalId"/>).</returns>
    Task<bool> SetApprovalAsync(long id, string approvalId, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>The recommendation whose latest approval is <paramref name="approvalId"/>, or <see langword="null"/>.</summary>
    Task<Recommendation?> FindByApprovalAsync(string approvalId, CancellationToken cancellationToken = default);

    /// <summary>Marks a recommendation applied, if it is open, unapplied and still waiting on <paramref name="approvalId"/>.</summary>
    /// <returns>Whether this call marked it.</returns>
    Task<bool> MarkAppliedAsync(long id, string approvalId, string by, DateTimeOffset at, CancellationToken cancellationToken = default);
}
