using Helix.Core.Pricing.Import;

namespace Helix.Gateway.Admin;

/// <summary>An import plan as the admin API shows it: per model, each rate before and after.</summary>
internal sealed record PriceImportPlanBody(
    DateTimeOffset EffectiveFrom,
    bool Applied,
    int EntriesToApply,
    IReadOnlyList<PriceImportPlanBody.Model> Added,
    IReadOnlyList<PriceImportPlanBody.Model> Changed,
    IReadOnlyList<PriceImportPlanBody.Model> Unchanged,
    IReadOnlyList<PriceImportPlanBody.Model> Retired,
    IReadOnlyList<string> Refused)
{
    // `refused`: the imported prices left out of the plan, each with its reason.
    public static PriceImportPlanBody From(PriceImportPlan plan, bool applied, IReadOnlyList<string> refused) => new(
        plan.EffectiveFrom, applied, plan.EntriesToApply.Count,
        Map(plan.Added), Map(plan.Changed), Map(plan.Unchanged), Map(plan.Retired), refused);

    private static Model[] Map(IReadOnlyList<ModelPriceChange> models) =>
        [.. models.Select(m => new Model(m.Provider, m.Model, m.ImportedModel, m.Kind.ToString(),
            [.. m.Changes.Select(c => new Change(c.Field, Usd.Format(c.Before), Usd.Format(c.After)))]))];

    internal sealed record Model(string Provider, [property: System.Text.Json.Serialization.JsonPropertyName("model")] string ModelId, string ImportedModel, string Kind, IReadOnlyList<Change> Changes);

    // Rates are money: exact decimal strings, null when the field is new or removed.
    internal sealed record Change(
        string Field,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? Before,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)] string? After);
}
