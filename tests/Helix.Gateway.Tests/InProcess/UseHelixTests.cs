using Helix.Core.ChatClients;
using Helix.Core.Hosting;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Providers;
using Helix.Core.Routing;
using Helix.Providers.Gemini;
using Helix.Providers.OpenAI;
using Helix.Simulator;
using Helix.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace Helix.Gateway.Tests.InProcess;

/// <summary>A .NET application gets routing, pricing and logging in-process, through <c>AddHelix</c> and <c>UseHelix</c>.</summary>
public sealed class UseHelixTests : IAsyncLifetime
{
    private SimulatorServer _simulator = null!;
    private ServiceProvider _services = null!;
    private readonly InMemoryOperationLogStore _log = new();

    public async ValueTask InitializeAsync()
    {
        _simulator = await SimulatorServer.StartAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IRouteStore>(new InMemoryRouteStore(TestModels.Catalog, TestModels.Routes));
        services.AddSingleton<IOperationLogStore>(_log);
        services.AddSingleton<IPriceStore>(new InMemoryPriceStore());
        services.AddHelix()
            .AddChatProvider(_ => new OpenAICompatibleChatProvider("deepseek", new HttpClient(), new ProviderEndpoint(new Uri(_simulator.BaseAddress, "deepseek"), null)))
            .AddChatProvider(sp => new GeminiChatProvider(new HttpClient(), new ProviderEndpoint(new Uri(_simulator.BaseAddress, "gemini/v1beta"), null), TimeProvider.System));
        _services = services.BuildServiceProvider();
        await _services.GetRequiredService<HelixInitializer>().InitializeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await _simulator.DisposeAsync();
    }

    [Fact]
    public async Task UseHelix_RoutesPricesAndLogsTheCall()
    {
        using var client = new ChatClientBuilder(new UnusedChatClient()).UseHelix("chat", principal: "billing-service").Build(_services);

        var response = await client.GetResponseAsync("What is Helix?", cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.True(response.Usage?.OutputTokenCount > 0);
        var cost = Assert.IsType<decimal>(response.AdditionalProperties?["helix.cost_usd"]);
        var row = Assert.Single(_log.Entries);
        Assert.Equal("chat", row.Operation);
        Assert.Equal("billing-service", row.Principal);
        Assert.Equal("deepseek/deepseek-v4-flash", row.Model);
        Assert.Equal(cost, row.CostUsd);
        Assert.Equal(CostStatus.Priced, row.CostStatus);
    }

    [Fact]
    public async Task UseHelix_Streaming_YieldsTextAndUsageAndLogsTheCost()
    {
        var client = _services.GetHelixChatClient("memory-synthesis");
        var text = new System.Text.StringBuilder();
        UsageDetails? usage = null;

        await foreach (var update in client.GetStreamingResponseAsync("Summarise this.", cancellationToken: TestContext.Current.CancellationToken))
        {
            text.Append(update.Text);
            usage = update.Contents.OfType<UsageContent>().LastOrDefault()?.Details ?? usage;
        }

        Assert.NotEqual(0, text.Length);
        Assert.NotNull(usage);
        var row = Assert.Single(_log.Entries);
        Assert.True(row.Streamed);
        Assert.Equal("gemini/gemini-2.5-flash", row.Model);
        Assert.True(row.CostUsd > 0m);
    }

    [Fact]
    public async Task UseHelix_UnknownOperation_ThrowsWithTheStableCode()
    {
        var client = _services.GetHelixChatClient("no-such-operation");

        var error = await Assert.ThrowsAsync<HelixCallException>(() => client.GetResponseAsync("hi", cancellationToken: TestContext.Current.CancellationToken));

        Assert.Equal("unknown_operation", error.Error.Code);
        Assert.Empty(_log.Entries);
    }

    private sealed class UnusedChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Helix owns the call; the wrapped client must not be called.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("Helix owns the call; the wrapped client must not be called.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
