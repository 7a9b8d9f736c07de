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
public sealed class OpenAICompatibleChatProvider : IChatProvider, IChatWire
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
    public bool HoldsRequestForRecord => true;

    /// <inheritdoc/>
    public Task<ProviderResult<ChatCompletion>> CompleteAsync(ChatCall call, CancellationToken cancellationToken = default) =>
        HttpChatCalls.CompleteAsync(this, _http, call, cancellationToken);

    /// <inheritdoc/>
    public Task<ProviderResult<IChatCompletionStream>> StreamAsync(ChatCall call, CancellationToken cancellationToken = default) =>
        HttpChatCalls.StreamAsync(this, _http, call, cancellationToken);

    HttpRequestMessage? IChatWire.CreateRequest(ChatCall call, bool stream, out ProviderError? error)
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

        error = null;
        return request;
    }

    ProviderResult<ChatCompletion> IChatWire.ReadCompletion(ReadOnlyMemory<byte> body, ChatCall call, int status)
    {
        OpenAIChatPayload payload;
        try
        {
            payload = OpenAIChatPayload.Read(body.Span, text: null);
        }
        catch (JsonException ex)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse,
                $"{Name} answered {status} with a body that is not a JSON object: {ex.Message}", status);
        }

        if (payload.HasError && payload.Choices < 0)
        {
            return OpenAIErrors.FromPayload(payload, Name, _endpoint.ApiKey) with { StatusCode = status };
        }

        if (payload.Choices < 0)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse,
                $"{Name} answered {status} with a body that has no choices.", status);
        }

        return ProviderResult<ChatCompletion>.Success(new ChatCompletion(body, OpenAIUsage.ReportOf(payload)));
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        response.IsSuccessStatusCode
            ? JsonInsteadOfStream(response, body)
            : OpenAIErrors.FromResponse(response, body, _time, Name, _endpoint.ApiKey);

    // Some compatible servers answer a stream request that fails with a plain JSON error and a 200.
    bool IChatWire.IsStream(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType is not { } mediaType
        || !mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);

    SseChatStream IChatWire.CreateStream(HttpResponseMessage response, ChatCall call) =>
        new OpenAIChatStream(response, Name, _endpoint.ApiKey);

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
