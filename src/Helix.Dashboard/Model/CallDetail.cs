using Helix.Core.Feedback;

namespace Helix.Dashboard.Model;

/// <summary>One call as the log holds it: its attempts and the feedback on it.</summary>
/// <param name="RequestId">The request id.</param>
/// <param name="Attempts">Its attempts, first first.</param>
/// <param name="Feedback">Feedback on it, oldest first.</param>
public sealed record CallDetail(string RequestId, IReadOnlyList<AttemptDetail> Attempts, IReadOnlyList<CallFeedback> Feedback);
