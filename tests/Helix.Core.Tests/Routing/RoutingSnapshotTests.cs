using Helix.Core.Routing;
using Xunit;

namespace Helix.Core.Tests.Routing;

public sealed class RoutingSnapshotTests
{
    private static readonly ModelConfig s_a1 = new() { Id = "alpha/a-1", Provider = "alpha", ProviderModel = "a-1" };
    private static readonly ModelConfig s_b1 = new() { Id = "beta/b-1", Provider = "beta", ProviderModel = "b-1" };
    private static readonly ModelConfig s_sharedOnAlpha = new() { Id = "alpha/shared", Provider = "alpha", ProviderModel = "shared" };
    private static readonly ModelConfig s_sharedOnBeta = new() { Id = "beta/shared", Provider = "beta", ProviderModel = "shared" };

    [Fact]
    public void TryGetRoute_SpanSliceInOtherCase_FindsRoute()
    {
        var snapshot = Snapshot();

        var found = snapshot.TryGetRoute("op:CHAT".AsSpan(3), out var decision);

        Assert.True(found);
        Assert.Equal("chat", decision.Route.Operation);
    }

    [Fact]
    public void TryGetRoute_UnknownOperation_ReturnsFalse()
    {
        Assert.False(Snapshot().TryGetRoute("op:chat", out _));
    }

    [Fact]
    public void Constructor_Routes_ResolvesTargetsInOrderAndSortsRoutes()
    {
        var snapshot = Snapshot();

        Assert.True(snapshot.TryGetRoute("summarise", out var decision));
        Assert.Equal([s_b1, s_a1], decision.Targets);
        Assert.Equal(["chat", "summarise"], snapshot.Routes.Select(r => r.Operation));
        Assert.Equal(7, snapshot.Revision);
    }

    [Fact]
    public void Constructor_FallbackNamesUnknownModel_ThrowsNamingRouteAndModel()
    {
        var thrown = Assert.Throws<InvalidOperationException>(() => new RoutingSnapshot(
            1, [new RouteConfig { Operation = "chat", PrimaryModel = "alpha/a-1", FallbackModels = ["beta/missing"] }], [s_a1]));

        Assert.Contains("'chat'", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("'beta/missing'", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new RoutingSnapshot(1, null!, []));
        Assert.Throws<ArgumentNullException>(() => new RoutingSnapshot(1, [], null!));
    }

    [Fact]
    public void FindModel_CatalogIdInOtherCase_FindsModel()
    {
        Assert.Same(s_a1, Snapshot().FindModel("ALPHA/A-1"));
    }

    [Fact]
    public void FindModel_UnambiguousProviderModelId_FindsModel()
    {
        Assert.Same(s_b1, Snapshot().FindModel("B-1"));
    }

    [Fact]
    public void FindModel_ProviderModelIdOfTwoProviders_ReturnsNull()
    {
        var snapshot = Snapshot();

        Assert.Null(snapshot.FindModel("shared"));
        Assert.Same(s_sharedOnBeta, snapshot.FindModel("beta/shared"));
    }

    [Fact]
    public void FindModel_UnknownName_ReturnsNull()
    {
        Assert.Null(Snapshot().FindModel("nothing"));
    }

    private static RoutingSnapshot Snapshot() => new(
        7,
        [
            new RouteConfig { Operation = "summarise", PrimaryModel = "beta/b-1", FallbackModels = ["alpha/a-1"] },
            new RouteConfig { Operation = "chat", PrimaryModel = "alpha/a-1" },
        ],
        [s_a1, s_b1, s_sharedOnAlpha, s_sharedOnBeta]);
}
