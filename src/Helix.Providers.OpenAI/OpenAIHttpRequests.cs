using System.Net.Http.Headers;
using Helix.Core.Providers;

namespace Helix.Providers.OpenAI;

/// <summary>What every OpenAI-compatible request carries: the URL under the API root, the bearer key, Helix's request id.</summary>
/// <remarks>Immutable and thread-safe.</remarks>
internal sealed class OpenAIHttpRequests
{
    private readonly ProviderEndpoint _endpoint;
    private readonly string? _authorization;

    public OpenAIHttpRequests(ProviderEndpoint endpoint)
    {
        _endpoint = endpoint;
        _authorization = string.IsNullOrEmpty(endpoint.ApiKey) ? null : "Bearer " + endpoint.ApiKey;
    }

    /// <summary>The key error messages are redacted of.</summary>
    public string? ApiKey => _endpoint.ApiKey;

    /// <summary>The URL of <paramref name="path"/> under the API root.</summary>
    public Uri Url(string path) => Helix.Providers.Shared.ProviderHttp.Combine(_endpoint.BaseUrl, path);

    /// <summary>A POST of <paramref name="content"/> to <paramref name="url"/>, accepting <paramref name="accept"/>.</summary>
    public HttpRequestMessage Post(Uri url, HttpContent content, string accept, string? requestId)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            request.Headers.TryAddWithoutValidation("X-Client-Request-Id", requestId);
        }

        return request;
    }

    /// <summary>A JSON body.</summary>
    public static HttpContent Json(ReadOnlyMemory<byte> body) =>
        new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } };
}
