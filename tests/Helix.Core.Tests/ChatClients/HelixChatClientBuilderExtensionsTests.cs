using Helix.Core.ChatClients;
using Helix.Core.Tests.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Core.Tests.ChatClients;

public sealed class HelixChatClientBuilderExtensionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UseHelix_ServicesHaveHelix_RoutesThroughHelixAndNeverCallsTheInnerClient()
    {
        await using var helix = new HelixTestServices();
        var services = await helix.BuildInitializedAsync(Ct);
        using var inner = new ThrowingChatClient();
        using var client = new ChatClientBuilder(inner).UseHelix("chat", principal: "notes-app").Build(services);

        var response = await client.GetResponseAsync("Hi", cancellationToken: Ct);
        var streamed = await client.GetStreamingResponseAsync("Hi", cancellationToken: Ct).ToChatResponseAsync(Ct);

        Assert.Equal("ok", response.Text);
        Assert.Equal("deepseek/deepseek-v4-flash", response.AdditionalProperties!["helix.model"]);
        Assert.Equal("Hello world", streamed.Text);
        Assert.Equal(2, helix.DeepSeek.Calls.Count);
        Assert.Equal(["notes-app", "notes-app"], helix.Log.Entries.Select(e => e.Principal));
        var helixClient = client.GetService<HelixChatClient>();
        Assert.NotNull(helixClient);
        Assert.Equal(("chat", "notes-app"), (helixClient.Operation, helixClient.Principal));
    }

    [Fact]
    public async Task UseHelix_AfterOtherMiddleware_IsWrappedByIt()
    {
        await using var helix = new HelixTestServices();
        var services = await helix.BuildInitializedAsync(Ct);
        using var inner = new ThrowingChatClient();
        var seen = new List<string>();
        using var client = new ChatClientBuilder(inner)
            .Use(async (messages, options, next, cancellationToken) =>
            {
                seen.Add("before");
                await next(messages, options, cancellationToken);
                seen.Add("after");
            })
            .UseHelix("chat")
            .Build(services);

        await client.GetResponseAsync("Hi", cancellationToken: Ct);

        Assert.Equal(["before", "after"], seen);
        Assert.Equal("in-process", Assert.Single(helix.Log.Entries).Principal);
    }

    [Fact]
    public async Task GetHelixChatClient_ServicesHaveHelix_ReturnsAClientForTheOperation()
    {
        await using var helix = new HelixTestServices();
        var services = await helix.BuildInitializedAsync(Ct);

        using var client = services.GetHelixChatClient("agent", principal: "agent-runner");
        var response = await client.GetResponseAsync("Plan the day.", cancellationToken: Ct);

        Assert.Equal("deepseek/deepseek-v4-pro", response.AdditionalProperties!["helix.model"]);
        var row = Assert.Single(helix.Log.Entries);
        Assert.Equal(("agent", "agent-runner"), (row.Operation, row.Principal));
        Assert.Equal("op:agent", client.GetService<ChatClientMetadata>()?.DefaultModelId);
    }

    [Fact]
    public async Task GetHelixChatClient_UnknownOperation_ThrowsOnTheCall()
    {
        await using var helix = new HelixTestServices();
        var services = await helix.BuildInitializedAsync(Ct);
        using var client = services.GetHelixChatClient("nope");

        var error = await Assert.ThrowsAsync<HelixCallException>(() => client.GetResponseAsync("Hi", cancellationToken: Ct));

        Assert.Equal("unknown_operation", error.Error.Code);
    }

    [Fact]
    public async Task UseHelix_ServicesWithoutHelix_ThrowsOnBuild()
    {
        using var inner = new ThrowingChatClient();
        await using var empty = new ServiceCollection().BuildServiceProvider();
        var builder = new ChatClientBuilder(inner).UseHelix("chat");

        Assert.Throws<InvalidOperationException>(() => builder.Build(empty));
        Assert.Throws<InvalidOperationException>(() => empty.GetHelixChatClient("chat"));
    }

    [Fact]
    public void UseHelix_InvalidArguments_Throw()
    {
        using var inner = new ThrowingChatClient();

        Assert.Throws<ArgumentNullException>(() => HelixChatClientBuilderExtensions.UseHelix(null!, "chat"));
        Assert.Throws<ArgumentException>(() => new ChatClientBuilder(inner).UseHelix(" "));
        Assert.Throws<ArgumentNullException>(() => new ChatClientBuilder(inner).UseHelix(null!));
        Assert.Throws<ArgumentNullException>(() => HelixChatClientBuilderExtensions.GetHelixChatClient(null!, "chat"));
    }

    /// <summary>The client <c>UseHelix</c> wraps: Helix owns the call, so any use of it fails the test.</summary>
    private sealed class ThrowingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The wrapped client must not be called.");

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("The wrapped client must not be called.");

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
