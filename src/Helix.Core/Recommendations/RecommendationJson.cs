using System.Globalization;
using System.Text.Json.Nodes;

namespace Helix.Core.Recommendations;

/// <summary>A recommendation as JSON text, for the change history's before and after.</summary>
public static class RecommendationJson
{
    /// <summary>Writes <paramref name="recommendation"/> as a JSON object; money as a decimal string.</summary>
    public static string Write(Recommendation recommendation)
    {
        ArgumentNullException.ThrowIfNull(recommendation);
        return new JsonObject
        {
            ["id"] = recommendation.Id.ToString(CultureInfo.InvariantCulture),
            ["kind"] = recommendation.Kind,
            ["operation"] = recommendation.Operation,
            ["model"] = recommendation.Model,
            ["serviceTier"] = recommendation.ServiceTier,
            ["projectedMonthlySavingsUsd"] = recommendation.ProjectedMonthlySavingsUsd?.ToString(CultureInfo.InvariantCulture),
            ["source"] = recommendation.Source,
            ["proposedBy"] = recommendation.ProposedBy,
            ["status"] = recommendation.Status.ToString().ToLowerInvariant(),
            ["dismissedBy"] = recommendation.DismissedBy,
            ["dismissReason"] = recommendation.DismissReason,
            ["approvalId"] = recommendation.ApprovalId,
            ["appliedAt"] = recommendation.AppliedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["appliedBy"] = recommendation.AppliedBy,
            ["evidence"] = JsonNode.Parse(recommendation.Evidence),
        }.ToJsonString();
    }
}
