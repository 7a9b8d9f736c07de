using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Routing;

public sealed class RouteTableTests
{
    private static readonly DateTimeOffset s_start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly ModelConfig s_a1 = new() { Id = "alpha/a-1", Provider = "alpha", ProviderModel = "a-1" };
    private static readonly ModelConfig s_b1 = new() { Id = "beta/b-1", Provider = "beta", ProviderModel = "b-1" };
    private static readonly ModelConfig s_c1 = new() { Id = "gamma/c-1", Provider = "gamma", ProviderModel = "c-1" };
    private static readonly ModelConfig s_speech = new() { Id = "edge-tts/voice", Provider = "edge-tts", ProviderModel = "voice", Modality = Modality.Speech };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Current_BeforeFirstLoad_Throws()
    {
        using var table = new RouteTable(Store(), new FakeTimeProvider(s_start));

        var thrown = Assert.Throws<InvalidOperationException>(() => table.Current);

        Assert.Contains("ReloadAsync", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => new RouteTable(null!, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new RouteTable(Store(), null!));
    }

    [Fact]
    public async Task ReloadAsync_EachLoad_PublishesNewerRevision()
    {
        var time = new FakeTimeProvider(s_start);
        var store = Store();
        using var table = new RouteTable(store, time);

        var first = await table.ReloadAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(1));
        store.AddModel(s_c1);
        var second = await table.ReloadAsync(Ct);

        Assert.Equal(1, first.Revision);
        Assert.Equal(2, second.Revision);
        Assert.Same(second, table.Current);
        Assert.Equal(s_start.AddMinutes(1), table.LoadedAt);
        Assert.False(first.Models.ContainsKey(s_c1.Id));
        Assert.True(second.Models.ContainsKey(s_c1.Id));
    }

    [Fact]
    public async Task ReloadAsync_RouteNamesUnknownModel_ThrowsNamingBothAndKeepsPreviousSnapshot()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        var good = await table.ReloadAsync(Ct);
        await store.SaveRouteAsync(Route("chat", s_a1.Id) with { PrimaryModel = "alpha/gone", Version = 2 }, Ct);

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => table.ReloadAsync(Ct));

        Assert.Contains("'chat'", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("'alpha/gone'", thrown.Message, StringComparison.Ordinal);
        Assert.Same(good, table.Current);
    }

    [Fact]
    public async Task UpdateModelsAsync_CatalogAndProviderModelIds_SavesNewVersionUsedByNextCall()
    {
        var time = new FakeTimeProvider(s_start);
        var store = Store();
        using var table = new RouteTable(store, time);
        var before = await table.ReloadAsync(Ct);
        time.Advance(TimeSpan.FromHours(1));

        var result = await table.UpdateModelsAsync("CHAT", "b-1", ["ALPHA/A-1"], "admin:ana", Ct);

        Assert.True(result.IsSuccess, result.Error?.Message);
        var updated = result.Value;
        Assert.Equal(("beta/b-1", 2L, "admin:ana"), (updated.PrimaryModel, updated.Version, updated.UpdatedBy));
        Assert.Equal(["alpha/a-1"], updated.FallbackModels);
        Assert.Equal(s_start.AddHours(1), updated.UpdatedAt);
        Assert.Equal([2L, 1L], (await store.GetRouteHistoryAsync("chat", Ct)).Select(r => r.Version));
        Assert.True(table.Current.TryGetRoute("chat", out var decision));
        Assert.Equal([s_b1, s_a1], decision.Targets);
        Assert.True(before.TryGetRoute("chat", out var old));
        Assert.Equal([s_a1], old.Targets);
    }

    [Fact]
    public async Task UpdateAsync_PolicyOnly_KeepsTheChainAndRaisesTheVersion()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateAsync("chat", new RouteChange(UnknownPricePolicy: UnknownPricePolicy.Block), "admin", Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal(UnknownPricePolicy.Block, result.Value.UnknownPricePolicy);
        Assert.Equal(s_a1.Id, result.Value.PrimaryModel);
        Assert.Equal(2, result.Value.Version);
        Assert.True(table.Current.TryGetRoute("chat", out var decision));
        Assert.Equal(UnknownPricePolicy.Block, decision.Route.UnknownPricePolicy);
    }

    [Fact]
    public async Task UpdateAsync_FallbacksOnly_KeepsThePrimary()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateAsync("chat", new RouteChange(FallbackModels: ["beta/b-1"]), "admin", Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal("alpha/a-1", result.Value.PrimaryModel);
        Assert.Equal(["beta/b-1"], result.Value.FallbackModels);
    }

    [Fact]
    public async Task UpdateAsync_PrimaryOnly_KeepsTheFallbacks()
    {
        var store = new InMemoryRouteStore([s_a1, s_b1, s_c1], [Route("chat", s_a1.Id) with { FallbackModels = [s_b1.Id] }]);
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateAsync("chat", new RouteChange(PrimaryModel: "c-1"), "admin", Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal("gamma/c-1", result.Value.PrimaryModel);
        Assert.Equal(["beta/b-1"], result.Value.FallbackModels);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(RouteTable.MaxOutputTokensLimit + 1)]
    public async Task UpdateAsync_CapOutOfBounds_IsRefusedAndSavesNothing(int cap)
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateAsync("chat", new RouteChange(MaxOutputTokens: cap), "admin", Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_max_output_tokens", result.Error.Code);
        Assert.Single(await store.GetRouteHistoryAsync("chat", Ct));
    }

    [Fact]
    public async Task UpdateAsync_CapSetKeptAndRemoved()
    {
        using var table = new RouteTable(Store(), new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var set = await table.UpdateAsync("chat", new RouteChange(MaxOutputTokens: 300), "admin", Ct);
        var kept = await table.UpdateAsync("chat", new RouteChange(UnknownPricePolicy: UnknownPricePolicy.Block), "admin", Ct);
        var removed = await table.UpdateAsync("chat", new RouteChange(RemoveMaxOutputTokens: true), "admin", Ct);

        Assert.Equal(300, set.Value!.MaxOutputTokens);
        Assert.Equal(300, kept.Value!.MaxOutputTokens);
        Assert.Null(removed.Value!.MaxOutputTokens);
        Assert.Equal(4, removed.Value.Version);
    }

    [Theory]
    [InlineData("Chat2")]
    [InlineData("under_score")]
    [InlineData("trailing-")]
    [InlineData("")]
    public async Task CreateAsync_NameAgainstTheRule_IsRefused(string name)
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.CreateAsync(new NewRoute(name, "alpha/a-1"), "admin", Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal("invalid_operation_name", result.Error.Code);
        Assert.Single(await store.GetRoutesAsync(Ct));
    }

    [Fact]
    public async Task CreateAsync_TakesTheModalityOfThePrimary_AndATakenNameIsAConflict()
    {
        using var table = new RouteTable(Store(), new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var speech = await table.CreateAsync(new NewRoute("read-aloud", "voice"), "admin", Ct);
        var taken = await table.CreateAsync(new NewRoute("chat", "alpha/a-1"), "admin", Ct);
        var mixed = await table.CreateAsync(new NewRoute("mixed", "alpha/a-1", ["edge-tts/voice"]), "admin", Ct);

        Assert.Equal(Modality.Speech, speech.Value!.Modality);
        Assert.Equal(1, speech.Value.Version);
        Assert.True(table.Current.TryGetRoute("read-aloud", out _));
        Assert.Equal(409, taken.Error!.StatusCode);
        Assert.Equal("model_modality_mismatch", mixed.Error!.Code);
    }

    [Fact]
    public async Task RetireAsync_HidesTheOperation_AndUnknownOperationIsRefused()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var retired = await table.RetireAsync("chat", "admin:ana", Ct);
        var again = await table.RetireAsync("chat", "admin:ana", Ct);

        Assert.True(retired.Value!.Retired);
        Assert.False(table.Current.TryGetRoute("chat", out _));
        Assert.Equal("unknown_operation", again.Error!.Code);
        Assert.Equal(2, (await store.GetRouteHistoryAsync("chat", Ct)).Count);
    }

    [Fact]
    public async Task UpdateModelsAsync_UnknownModel_ReturnsUnknownModelAndSavesNothing()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateModelsAsync("chat", "alpha/a-1", ["beta/nope"], "admin", Ct);

        Assert.False(result.IsSuccess);
        Assert.Equal(("unknown_model", 400), (result.Error.Code, result.Error.StatusCode));
        Assert.Contains("'beta/nope'", result.Error.Message, StringComparison.Ordinal);
        Assert.Contains("alpha/a-1, beta/b-1", result.Error.Message, StringComparison.Ordinal);
        Assert.Single(await store.GetRouteHistoryAsync("chat", Ct));
        Assert.Equal(1, table.Current.Revision);
    }

    [Fact]
    public async Task UpdateModelsAsync_BlankModel_ReturnsUnknownModel()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateModelsAsync("chat", " ", [], "admin", Ct);

        Assert.Equal("unknown_model", result.Error?.Code);
        Assert.Single(await store.GetRouteHistoryAsync("chat", Ct));
    }

    [Fact]
    public async Task UpdateModelsAsync_ModelOfOtherModality_ReturnsModalityMismatch()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateModelsAsync("chat", "edge-tts/voice", [], "admin", Ct);

        Assert.Equal("model_modality_mismatch", result.Error?.Code);
        Assert.Contains("Speech", result.Error?.Message, StringComparison.Ordinal);
        Assert.Single(await store.GetRouteHistoryAsync("chat", Ct));
    }

    [Fact]
    public async Task UpdateModelsAsync_SameModelTwiceUnderTwoNames_ReturnsDuplicateModel()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateModelsAsync("chat", "alpha/a-1", ["b-1", "a-1"], "admin", Ct);

        Assert.Equal("duplicate_model", result.Error?.Code);
        Assert.Contains("'alpha/a-1'", result.Error?.Message, StringComparison.Ordinal);
        Assert.Single(await store.GetRouteHistoryAsync("chat", Ct));
    }

    [Fact]
    public async Task UpdateModelsAsync_UnknownOperation_ReturnsUnknownOperation()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        var result = await table.UpdateModelsAsync("translate", "alpha/a-1", [], "admin", Ct);

        Assert.Equal(("unknown_operation", 404), (result.Error?.Code, result.Error?.StatusCode));
        Assert.Single(await store.GetRouteHistoryAsync("chat", Ct));
    }

    [Fact]
    public async Task UpdateModelsAsync_AnotherInstanceSavedFirst_ReturnsConflictAndLoadsTheirChange()
    {
        var store = Store();
        using var table = new RouteTable(store, new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);
        await store.SaveRouteAsync(Route("chat", s_b1.Id) with { Version = 2, UpdatedBy = "other-instance" }, Ct);

        var result = await table.UpdateModelsAsync("chat", "alpha/a-1", ["beta/b-1"], "admin", Ct);

        Assert.Equal(("conflict", 409), (result.Error?.Code, result.Error?.StatusCode));
        Assert.True(table.Current.TryGetRoute("chat", out var decision));
        Assert.Equal(("beta/b-1", "other-instance"), (decision.Route.PrimaryModel, decision.Route.UpdatedBy));
        Assert.Equal([2L, 1L], (await store.GetRouteHistoryAsync("chat", Ct)).Select(r => r.Version));
    }

    [Fact]
    public async Task UpdateModelsAsync_NullArguments_Throw()
    {
        using var table = new RouteTable(Store(), new FakeTimeProvider(s_start));
        await table.ReloadAsync(Ct);

        await Assert.ThrowsAsync<ArgumentNullException>(() => table.UpdateModelsAsync(null!, "a-1", [], "admin", Ct));
        await Assert.ThrowsAsync<ArgumentNullException>(() => table.UpdateModelsAsync("chat", "a-1", null!, "admin", Ct));
    }

    private static RouteConfig Route(string operation, string primary) => new() { Operation = operation, PrimaryModel = primary };

    private static InMemoryRouteStore Store() => new([s_a1, s_b1, s_speech], [Route("chat", s_a1.Id)]);
}
