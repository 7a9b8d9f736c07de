namespace Helix.Core.Feedback;

/// <summary>A calling application's judgement of one call's answer.</summary>
/// <param name="RequestId">The call's request id (<c>X-Helix-Request-Id</c>).</param>
/// <param name="Score">The score as sent: -1 to 1, or 1 to 5.</param>
/// <param name="Quality">The score on one scale, 0 (worst) to 1 (best); see <see cref="FeedbackScore"/>.</param>
/// <param name="Comment">A comment, if any.</param>
/// <param name="Principal">Who sent it (the principal's id).</param>
/// <param name="At">When it was received.</param>
public sealed record CallFeedback(string RequestId, decimal Score, decimal Quality, string? Comment, string Principal, DateTimeOffset At);
