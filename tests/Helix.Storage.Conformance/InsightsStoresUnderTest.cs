using Helix.Core.Feedback;
using Helix.Core.Insights;
using Helix.Core.OperationLog;

namespace Helix.Storage.Conformance;

/// <summary>One back-end's insights store over one fresh database, with the log (and feedback) stores that feed it.</summary>
/// <param name="Insights">The insights store.</param>
/// <param name="Log">The log store whose rows it reads.</param>
/// <param name="Feedback">The feedback store whose ratings it joins, or <see langword="null"/> when the back-end has none yet.</param>
/// <param name="Owner">What owns the database, if anything.</param>
public sealed record InsightsStoresUnderTest(IInsightsStore Insights, IOperationLogStore Log, IFeedbackStore? Feedback, IAsyncDisposable? Owner = null);
