using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>An embeddings provider for an OpenAI-compatible endpoint: the request passed through, usage from <c>usage.prompt_tokens</c>.</summary>
/// <remarks>
/// POSTs to <c>{BaseUrl}/embeddings</c> with only <c>model</c> replaced; the body comes back as the upstream sent it.
/// Failures map as for chat (<see cref="OpenAICompatibleChatProvider"/>). Thread-safe; the <see cref="HttpClient"/>
/// is borrowed, not disposed.
/// </remarks>
public sealed class OpenAIEmbeddingsProvider : IEmbeddingsProvider, IHttpWire
{
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly OpenAIHttpRequests _requests;
    private readonly Uri _url;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="name">The provider id (<c>openai</c>, or another OpenAI-compatible upstream).</param>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API root (<c>https://api.openai.com/v1</c>) and key.</param>
    /// <param name="timeProvider">The clock for <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public OpenAIEmbeddingsProvider(string name, HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        Name = name;
        _http = http;
        _time = timeProvider ?? TimeProvider.System;
        _requests = new OpenAIHttpRequests(endpoint);
        _url = _requests.Url("embeddings");
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its request is <see langword="null"/>.</exception>
    public Task<ProviderResult<EmbeddingsResponse>> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(call.Request, nameof(call));
        var body = OpenAIChatRequest.Write(call.Request, call.Model.ProviderModel, stream: false);
        var request = _requests.Post(_url, OpenAIHttpRequests.Json(body), "application/json", call.RequestId);
        return HttpCalls.SendAsync(this, _http, request, this, static (bytes, response, self) => self.Read(bytes, (int)response.StatusCode), cancellationToken);
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        OpenAIErrors.FromResponse(response, body, _time, Name, _requests.ApiKey);

    private ProviderResult<EmbeddingsResponse> Read(ReadOnlyMemory<byte> body, int status)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered {status} with a body that is not a JSON object.", status);
            }

            if (!root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                var payload = OpenAIChatPayload.Read(body.Span, text: null);
                return payload.HasError
                    ? OpenAIErrors.FromPayload(payload, Name, _requests.ApiKey) with { StatusCode = status }
                    : new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered {status} with embeddings that have no data.", status);
            }

            return ProviderResult<EmbeddingsResponse>.Success(new EmbeddingsResponse(body, OpenAIUsage.ParseEmbeddings(body.Span)));
        }
        catch (JsonException ex)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"{Name} answered {status} with a body that is not JSON: {ex.Message}", status);
        }
    }
}
