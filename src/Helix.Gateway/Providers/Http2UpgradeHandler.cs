using System.Net;

namespace Helix.Gateway.Providers;

/// <summary>Asks for HTTP/2 on every TLS request to a provider, falling back to HTTP/1.1 where the server does not speak it.</summary>
/// <remarks>
/// The adapters build their own <see cref="HttpRequestMessage"/>s, which default to HTTP/1.1, and
/// <see cref="HttpClient.DefaultRequestVersion"/> applies only to the client's shortcut methods; this sets the version
/// on each request. Over TLS the protocol is negotiated (ALPN), so an HTTP/1.1-only server is still reached; a
/// plain-HTTP upstream (the simulator, a local server) keeps HTTP/1.1, as HTTP/2 without TLS would need the server's
/// prior agreement. Many concurrent calls then share a few connections (more open when one's streams are full).
/// </remarks>
internal sealed class Http2UpgradeHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Upgrade(request);
        return base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Upgrade(request);
        return base.Send(request, cancellationToken);
    }

    private static void Upgrade(HttpRequestMessage request)
    {
        if (request.RequestUri is { Scheme: "https" } && request.Version == HttpVersion.Version11)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionOrLower;
        }
    }
}
