using System.Net;
using Helix.Gateway.Providers;
using Xunit;

namespace Helix.Gateway.Tests.Providers;

/// <summary>Provider requests ask for HTTP/2 over TLS (negotiated, so HTTP/1.1 still works) and keep HTTP/1.1 in plain text.</summary>
public sealed class Http2UpgradeHandlerTests
{
    [Theory]
    [InlineData("https://api.openai.com/v1/chat/completions", "2.0", HttpVersionPolicy.RequestVersionOrLower)]
    [InlineData("http://127.0.0.1:5099/openai/v1/chat/completions", "1.1", HttpVersionPolicy.RequestVersionOrLower)]
    public async Task SendAsync_SetsTheVersionByScheme(string url, string version, HttpVersionPolicy policy)
    {
        var seen = new Seen();
        using var client = new HttpClient(new Http2UpgradeHandler(seen));
        using var request = new HttpRequestMessage(HttpMethod.Post, url);

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(Version.Parse(version), seen.Version);
        Assert.Equal(policy, seen.Policy);
    }

    [Fact]
    public async Task SendAsync_KeepsAVersionTheAdapterChose()
    {
        var seen = new Seen();
        using var client = new HttpClient(new Http2UpgradeHandler(seen));
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://api.example/v1") { Version = HttpVersion.Version30, VersionPolicy = HttpVersionPolicy.RequestVersionExact };

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(HttpVersion.Version30, seen.Version);
        Assert.Equal(HttpVersionPolicy.RequestVersionExact, seen.Policy);
    }

    // The innermost handler: records what reached the wire's handler and answers 204.
    private sealed class Seen : HttpMessageHandler
    {
        public Version? Version { get; private set; }

        public HttpVersionPolicy? Policy { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Version = request.Version;
            Policy = request.VersionPolicy;
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent));
        }
    }
}
