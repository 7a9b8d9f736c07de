using Helix.Core.Recommendations;
using Helix.Core.Routing;
using Xunit;

namespace Helix.Core.Tests.Recommendations;

public sealed class RecommendationApplierPlanTests
{
    private static readonly DateTimeOffset s_at = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    private static RoutingSnapshot Snapshot(string primary, params string[] fallbacks) => new(
        1,
        [new RouteConfig { Operation = "chat", PrimaryModel = primary, FallbackModels = fallbacks, MaxOutputTokens = 512 }],
        [Model("a/one"), Model("a/two"), Model("a/three")]);

    private static ModelConfig Model(string id) => new() { Id = id, Provider = id[..id.IndexOf('/', StringComparison.Ordinal)], ProviderModel = id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..] };

    private static Recommendation Make(string kind, string? model, string evidence = "{}") => new()
    {
        Id = 7,
        Kind = kind,
        Operation = "chat",
        Model = model,
        Evidence = evidence,
        Source = "proposal",
        ProposedBy = "someone",
        CreatedAt = s_at,
        UpdatedAt = s_at,
    };

    [Fact]
    public void ModelChange_NewPrimary_OldPrimaryBecomesFirstFallback_NoDuplicate()
    {
        var plan = RecommendationApplier.Plan(Make(RecommendationKinds.ModelChange, "a/two"), Snapshot("a/one", "a/two", "a/three"));

        Assert.True(plan.IsSuccess);
        Assert.Equal("a/two", plan.Value.PrimaryModel);
        Assert.Equal(["a/one", "a/three"], plan.Value.FallbackModels);
    }

    [Fact]
    public void ModelChange_HeldBackForQuality_NotApplicable_WithTheReason()
    {
        var held = RecommendationApplier.Plan(Make(RecommendationKinds.ModelChange, "a/two", """{"qualityBlocked":"rated -1 on average"}"""), Snapshot("a/one"));
        var clear = RecommendationApplier.Plan(Make(RecommendationKinds.ModelChange, "a/two", """{"qualityBlocked":null}"""), Snapshot("a/one"));

        Assert.Equal("not_applicable", held.Error!.Code);
        Assert.Contains("held back for its quality: rated -1 on average", held.Error.Message, StringComparison.Ordinal);
        Assert.True(clear.IsSuccess);
    }

    [Fact]
    public void Retire_PrimaryIsReplacedByItsFirstFallback_AFallbackIsRemoved_TheOnlyModelIsRefused()
    {
        var primary = RecommendationApplier.Plan(Make(RecommendationKinds.Retire, "a/one"), Snapshot("a/one", "a/two", "a/three"));
        var fallback = RecommendationApplier.Plan(Make(RecommendationKinds.Retire, "a/three"), Snapshot("a/one", "a/two", "a/three"));
        var only = RecommendationApplier.Plan(Make(RecommendationKinds.Retire, "a/one"), Snapshot("a/one"));
        var absent = RecommendationApplier.Plan(Make(RecommendationKinds.Retire, "a/three"), Snapshot("a/one", "a/two"));

        Assert.Equal("a/two", primary.Value!.PrimaryModel);
        Assert.Equal(["a/three"], primary.Value!.FallbackModels);
        Assert.Null(fallback.Value!.PrimaryModel);
        Assert.Equal(["a/two"], fallback.Value!.FallbackModels);
        Assert.Equal(409, only.Error!.StatusCode);
        Assert.Equal("not_applicable", absent.Error!.Code);
    }

    [Fact]
    public void Cap_TakesTheEvidencesValue_RefusesAMissingOrSameCap_OtherKindsAreNotApplicable()
    {
        var cap = RecommendationApplier.Plan(Make(RecommendationKinds.Cap, null, """{"maxOutputTokens":256}"""), Snapshot("a/one"));
        var same = RecommendationApplier.Plan(Make(RecommendationKinds.Cap, null, """{"maxOutputTokens":512}"""), Snapshot("a/one"));
        var missing = RecommendationApplier.Plan(Make(RecommendationKinds.Cap, null, """{"maxOutputTokens":"256"}"""), Snapshot("a/one"));

        Assert.Equal(256, cap.Value!.MaxOutputTokens);
        Assert.Equal(409, same.Error!.StatusCode);
        Assert.Equal(409, missing.Error!.StatusCode);
        foreach (var kind in (string[])[RecommendationKinds.Batch, RecommendationKinds.Cache, RecommendationKinds.PriceWindow])
        {
            Assert.Equal("not_applicable", RecommendationApplier.Plan(Make(kind, "a/one"), Snapshot("a/one")).Error!.Code);
        }
    }

    [Theory]
    [InlineData(100.4, 100, 256)]
    [InlineData(10, 500, 512)]
    [InlineData(0, 0, 64)]
    [InlineData(300, 640, 640)]
    public void SuggestedCap_TwiceP95OrTheMaximum_RoundedUpTo64(double p95, long max, int expected) =>
        Assert.Equal(expected, RecommendationEngine.SuggestedCap(p95, max));
}
