using System.Globalization;
using System.Text.Json;
using Helix.Core.Recommendations;

namespace Helix.Gateway.Admin;

/// <summary>A recommendation as the admin API shows it: its evidence as JSON, its savings as an exact decimal string.</summary>
internal sealed record RecommendationBody(
    string Id,
    string Kind,
    string Operation,
    string? Model,
    string? ServiceTier,
    JsonElement Evidence,
    string? ProjectedMonthlySavingsUsd,
    string Source,
    string ProposedBy,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? DismissedBy,
    string? DismissReason,
    string? ApprovalId,
    DateTimeOffset? AppliedAt,
    string? AppliedBy)
{
    public static RecommendationBody From(Recommendation r)
    {
        using var evidence = JsonDocument.Parse(r.Evidence);
        return new(
            r.Id.ToString(CultureInfo.InvariantCulture), r.Kind, r.Operation, r.Model, r.ServiceTier, evidence.RootElement.Clone(),
            Usd.Format(r.ProjectedMonthlySavingsUsd), r.Source, r.ProposedBy, r.Status.ToString().ToLowerInvariant(),
            r.CreatedAt, r.UpdatedAt, r.DismissedBy, r.DismissReason, r.ApprovalId, r.AppliedAt, r.AppliedBy);
    }
}
