namespace Helix.Core.Feedback;

/// <summary>Durable storage of feedback on calls, joined to the operation log by request id.</summary>
/// <remarks>Implementations are thread-safe.</remarks>
public interface IFeedbackStore
{
    /// <summary>Stores <paramref name="feedback"/>; false (and nothing stored) when no call has its request id.</summary>
    Task<bool> AddAsync(CallFeedback feedback, CancellationToken cancellationToken = default);

    /// <summary>The feedback on one call, oldest first.</summary>
    Task<IReadOnlyList<CallFeedback>> ListAsync(string requestId, CancellationToken cancellationToken = default);

    /// <summary>The feedback per arm on the first attempts of calls made under experiment <paramref name="experimentId"/>, joined to the log by request id.</summary>
    /// <remarks>Scores are read on the −1..1 scale (<c>2 × quality − 1</c>); arms without a rated call are absent.</remarks>
    Task<IReadOnlyList<ArmQuality>> GetArmQualityAsync(string experimentId, CancellationToken cancellationToken = default);
}
