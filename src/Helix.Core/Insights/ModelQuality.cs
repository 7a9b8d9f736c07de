namespace Helix.Core.Insights;

/// <summary>The feedback on one model's answers: how many ratings, and their mean quality (0 worst, 1 best).</summary>
/// <param name="Model">The model that served the rated calls.</param>
/// <param name="Ratings">How many ratings.</param>
/// <param name="MeanQuality">Their mean, 0 to 1.</param>
public sealed record ModelQuality(string Model, long Ratings, decimal MeanQuality);
