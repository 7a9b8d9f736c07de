using System.Text.Json.Nodes;
using Helix.Core.Hosting;
using Helix.Core.Pipeline;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Resilience;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace Helix.Core.Tests.Hosting;

public sealed class HelixServiceCollectionExtensionsTests
{
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddHelix_WithStoresAndProviders_ResolvesAPipelineThatRoutesPricesAndLogs()
    {
        await using var helix = new HelixTestServices();
        var services = await helix.BuildInitializedAsync(Ct);
        var pipeline = services.GetRequiredService<OperationPipeline>();
        var request = new OperationRequest { Operation = "chat", RequestId = "req-di", Principal = Helix.Core.Principals.Principal.Application("app:notes") };
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) };

        var result = await pipeline.CompleteChatAsync(request, body, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal("deepseek/deepseek-v4-flash", result.Value.Model.Id);
        Assert.Equal(CostStatus.Priced, result.Value.Cost.Status);
        Assert.Single(helix.DeepSeek.Calls);
        Assert.Empty(helix.Gemini.Calls);
        var row = Assert.Single(helix.Log.Entries);
        Assert.Equal(("req-di", "app:notes", result.Value.Cost.TotalUsd), (row.RequestId, row.Principal, row.CostUsd));
        Assert.Same(pipeline, services.GetRequiredService<OperationPipeline>());
    }

    [Fact]
    public async Task AddHelix_PrimaryProviderFails_FallsBackToTheSecondRegisteredProvider()
    {
        await using var helix = new HelixTestServices();
        helix.DeepSeek.OnComplete = FakeChatProvider.Fail<ChatCompletion>(
            new ProviderError(ProviderErrorKind.Unauthorized, "bad key", 401));
        var services = await helix.BuildInitializedAsync(Ct);
        var body = new JsonObject { ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) };

        var result = await services.GetRequiredService<OperationPipeline>()
            .CompleteChatAsync(new OperationRequest { Operation = "chat", RequestId = "req-1" }, body, Ct);

        Assert.True(result.IsSuccess);
        Assert.Equal("gemini/gemini-2.5-flash", result.Value.Model.Id);
        Assert.Equal(["deepseek", "gemini"], services.GetRequiredService<ProviderRegistry>().ChatProviderNames.Order());
    }

    [Fact]
    public async Task AddHelix_Always_RegistersTheRefreshServiceWhoseStartLoadsRoutes()
    {
        await using var helix = new HelixTestServices();
        var services = helix.Build();
        var initializer = services.GetRequiredService<HelixInitializer>();

        var hosted = services.GetServices<IHostedService>().ToArray();
        Assert.Equal(2, hosted.Length);
        Assert.Single(hosted.OfType<Helix.Core.Toggles.ToggleRefreshService>());
        var refresh = Assert.Single(hosted.OfType<HelixRefreshService>());
        Assert.False(initializer.Ready.IsCompleted);
        await refresh.StartAsync(Ct);

        Assert.True(initializer.Ready.IsCompletedSuccessfully);
        Assert.True(services.GetRequiredService<RouteTable>().Current.TryGetRoute("chat", out _));
        await refresh.StopAsync(Ct);
    }

    [Fact]
    public async Task AddHelix_RefreshIntervalConfigured_RefreshServiceReloadsOnThatInterval()
    {
        await using var helix = new HelixTestServices();
        helix.Services.Configure<HelixOptions>(o => o.RefreshInterval = TimeSpan.FromSeconds(30));
        var services = helix.Build();
        var refresh = services.GetServices<IHostedService>().OfType<HelixRefreshService>().Single();
        var routes = services.GetRequiredService<RouteTable>();
        await refresh.StartAsync(Ct);
        Assert.True(await helix.Prices.Read.WaitAsync(s_wait, Ct));
        Assert.True(await helix.Time.TimerCreated.WaitAsync(s_wait, Ct));

        helix.Time.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await helix.Prices.Read.WaitAsync(s_wait, Ct));
        Assert.Equal(2, routes.Current.Revision);
        await refresh.StopAsync(Ct);
    }

    [Fact]
    public async Task AddHelix_ResilienceConfigured_ResolvesTheConfiguredOptions()
    {
        await using var helix = new HelixTestServices();
        helix.Services.Configure<ResilienceOptions>(o => o.MaxRetriesPerModel = 7);
        var services = helix.Build();

        var resilience = services.GetRequiredService<ResilienceOptions>();

        Assert.Equal(7, resilience.MaxRetriesPerModel);
        Assert.Same(services.GetRequiredService<IOptions<ResilienceOptions>>().Value, resilience);
    }

    [Fact]
    public async Task AddHelix_TimeProviderRegisteredFirst_KeepsIt()
    {
        await using var helix = new HelixTestServices();
        var services = helix.Build();

        Assert.Same(helix.Time, services.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public async Task AddHelix_NothingElseRegistered_UsesTheSystemClockAndTheBuiltInPrices()
    {
        var services = new ServiceCollection();
        services.AddHelix();
        await using var provider = services.BuildServiceProvider();

        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
        Assert.True(provider.GetRequiredService<CostEngine>().TryFindPrice("openai", "gpt-4o-mini", null, TestEntries.Epoch, out _));
    }

    [Fact]
    public void AddHelix_CalledTwice_RegistersEachServiceOnce()
    {
        var services = new ServiceCollection();

        services.AddHelix();
        services.AddHelix();

        Assert.Single(services, d => d.ServiceType == typeof(OperationPipeline));
        Assert.Single(services, d => d.ServiceType == typeof(HelixInitializer));
        Assert.Single(services, d => d.ImplementationType == typeof(HelixRefreshService));
        Assert.Single(services, d => d.ImplementationType == typeof(Helix.Core.Toggles.ToggleRefreshService));
    }

    [Fact]
    public void AddHelix_NullServices_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => HelixServiceCollectionExtensions.AddHelix(null!));
    }

    [Fact]
    public void AddChatProvider_NullFactory_Throws()
    {
        var builder = new ServiceCollection().AddHelix();

        Assert.Throws<ArgumentNullException>(() => builder.AddChatProvider(null!));
    }

    [Fact]
    public void AddHelix_Always_ReturnsABuilderOverTheSameServices()
    {
        var services = new ServiceCollection();

        var builder = services.AddHelix();

        Assert.Same(services, builder.Services);
        Assert.Same(builder, builder.AddChatProvider(_ => new FakeChatProvider()));
        Assert.Single(services, d => d.ServiceType == typeof(IChatProvider));
    }
}
