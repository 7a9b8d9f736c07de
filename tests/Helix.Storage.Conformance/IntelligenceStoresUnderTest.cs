using Helix.Core.Experiments;
using Helix.Core.Recommendations;

namespace Helix.Storage.Conformance;

/// <summary>One back-end's experiment and recommendation stores over one fresh database.</summary>
/// <param name="Experiments">The experiment store.</param>
/// <param name="Recommendations">The recommendation store.</param>
/// <param name="Owner">What owns the database, if anything.</param>
public sealed record IntelligenceStoresUnderTest(IExperimentStore Experiments, IRecommendationStore Recommendations, IAsyncDisposable? Owner = null);
