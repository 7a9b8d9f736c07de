using System.Net.Http.Headers;
using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.OpenAI;

/// <summary>A chat provider for an OpenAI-compatible endpoint (<c>openai</c>, <c>deepseek</c>): the request passed through, usage metered.</summary>
/// <remarks>
/// <para>
/// POSTs to <c>{BaseUrl}/chat/completions</c> with <c>Authorization: Bearer</c> when a key is set. The caller's
/// request goes upstream with unknown fields intact, only <c>model</c> replaced; a stream always asks for usage
/// (<c>stream_options.include_usage</c>). The response body is returned as the upstream sent it.
/// </para>
/// <para>
/// Failures are values: status codes and <c>{"error":…}</c> bodies map to <see cref="ProviderErrorKind"/>,
/// <c>retry-after</c>/<c>retry-after-ms</c> to <see cref="ProviderError.RetryAfter"/>, the HTTP client's timeout to
/// <see cref="ProviderErrorKind.Timeout"/>; cancellation through the token is rethrown. Thread-safe; the
/// <see cref="HttpClient"/> is borrowed, not disposed.
/// </para>
/// </remarks>
public sealed class OpenAICompatibleChatProvider : IChatProvider
{
    private readonly HttpClient _http;
    private readonly ProviderEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly Uri _chatUrl;
    private readonly string? _authorization;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="name">The provider id (<c>openai</c>, <c>deepseek</c>).</param>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API root (<c>https://api.openai.com/v1</c>, <c>https://api.deepseek.com</c>) and key.</param>
    /// <param name="timeProvider">The clock for <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public OpenAICompatibleChatProvider(string name, HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        Name = name;
        _http = http;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
        _chatUrl = ProviderHttp.Combine(endpoint.BaseUrl, "chat/completions");
        _authorization = string.IsNullOrEmpty(endpoint.ApiKey) ? null : "Bearer " + endpoint.ApiKey;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public async Task<ProviderResult<ChatCompletion>> CompleteAsync(ChatCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var request = CreateRequest(call, stream: false);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return OpenAIErrors.FromResponse(response, bytes, _time, Name, _endpoint.ApiKey);
            }

            var body = ProviderHttp.TrimJsonBody(bytes);
            OpenAIChatPayload payload;
            try
            {
                payload = OpenAIChatPayload.Read(body.Span, text: null);
            }
            catch (JsonException ex)
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse,
                    $"{Name} answered {(int)response.StatusCode} with a body that is not a JSON object: {ex.Message}", (int)response.StatusCode);
            }

            if (payload.HasError && payload.Choices < 0)
            {
                return OpenAIErrors.FromPayload(payload, Name, _endpoint.ApiKey) with { StatusCode = (int)response.StatusCode };
            }

            if (payload.Choices < 0)
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse,
                    $"{Name} answered {(int)response.StatusCode} with a body that has no choices.", (int)response.StatusCode);
            }

            return ProviderResult<ChatCompletion>.Success(new ChatCompletion(body, OpenAIUsage.ReportOf(payload)));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ProviderHttp.IsTransportFailure(ex))
        {
            return ProviderHttp.TransportError(ex, Name, _http.Timeout);
        }
    }

    /// <inheritdoc/>
    public async Task<ProviderResult<IChatCompletionStream>> StreamAsync(ChatCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var request = CreateRequest(call, stream: true);
        HttpResponseMessage? response = null;
        OpenAIChatStream? stream = null;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode || IsJson(response))
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                return response.IsSuccessStatusCode
                    ? JsonInsteadOfStream(response, bytes)
                    : OpenAIErrors.FromResponse(response, bytes, _time, Name, _endpoint.ApiKey);
            }

            stream = new OpenAIChatStream(response, Name, _endpoint.ApiKey);
            response = null;
            if (await stream.OpenAsync(cancellationToken) is { } error)
            {
                return error;
            }

            var opened = stream;
            stream = null;
            return ProviderResult<IChatCompletionStream>.Success(opened);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ProviderHttp.IsTransportFailure(ex))
        {
            return ProviderHttp.TransportError(ex, Name, _http.Timeout);
        }
        finally
        {
            response?.Dispose();
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }

    private HttpRequestMessage CreateRequest(ChatCall call, bool stream)
    {
        ArgumentNullException.ThrowIfNull(call.Request, nameof(call));
        var body = OpenAIChatRequest.Write(call.Request, call.Model.ProviderModel, stream);
        var request = new HttpRequestMessage(HttpMethod.Post, _chatUrl)
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(stream ? "text/event-stream" : "application/json"));
        if (_authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", _authorization);
        }

        if (!string.IsNullOrEmpty(call.RequestId))
        {
            request.Headers.TryAddWithoutValidation("X-Client-Request-Id", call.RequestId);
        }

        return request;
    }

    private static bool IsJson(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is { } mediaType
        && mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    // Some compatible servers answer a stream request that fails with a plain JSON error and a 200.
    private ProviderError JsonInsteadOfStream(HttpResponseMessage response, byte[] bytes)
    {
        try
        {
            var payload = OpenAIChatPayload.Read(ProviderHttp.TrimJsonBody(bytes).Span, text: null);
            if (payload.HasError)
            {
                return OpenAIErrors.FromPayload(payload, Name, _endpoint.ApiKey) with { StatusCode = (int)response.StatusCode };
            }
        }
        catch (JsonException)
        {
            // Not even JSON: reported below like any other answer that is not a stream.
        }

        return new ProviderError(ProviderErrorKind.MalformedResponse,
            $"{Name} answered a stream request with a JSON body instead of an event stream.", (int)response.StatusCode);
    }
}
