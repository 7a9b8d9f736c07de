using System.Net.Http.Headers;
using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Anthropic;

/// <summary>A chat provider for the Anthropic Messages API: OpenAI-shaped calls translated to <c>/messages</c> and back.</summary>
/// <remarks>
/// <para>
/// POSTs to <c>{BaseUrl}/messages</c> (<c>BaseUrl</c> is <c>https://api.anthropic.com/v1</c>) with <c>x-api-key</c>
/// when a key is set and <c>anthropic-version: 2023-06-01</c>. The response comes back as an OpenAI
/// <c>chat.completion</c> (streams: <c>chat.completion.chunk</c>s ending with a usage-only chunk); the usage is
/// Anthropic's own, metered by <see cref="AnthropicUsage"/> and <see cref="AnthropicStreamUsage"/>.
/// </para>
/// <para>
/// Failures are values: statuses (529 overloaded included) and <c>error</c> events map to
/// <see cref="ProviderErrorKind"/>, <c>retry-after</c> to <see cref="ProviderError.RetryAfter"/>, a request that
/// cannot be translated to <see cref="ProviderErrorKind.InvalidRequest"/>; cancellation through the token is
/// rethrown. Thread-safe; the <see cref="HttpClient"/> is borrowed, not disposed.
/// </para>
/// </remarks>
public sealed class AnthropicChatProvider : IChatProvider, IChatWire
{
    /// <summary>The API version sent in <c>anthropic-version</c>.</summary>
    public const string ApiVersion = "2023-06-01";

    private readonly HttpClient _http;
    private readonly ProviderEndpoint _endpoint;
    private readonly TimeProvider _time;
    private readonly Uri _messagesUrl;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API root (<c>https://api.anthropic.com/v1</c>) and key.</param>
    /// <param name="timeProvider">The clock for <c>created</c> and <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> or <paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public AnthropicChatProvider(HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
        _messagesUrl = ProviderHttp.Combine(endpoint.BaseUrl, "messages");
    }

    /// <inheritdoc/>
    public string Name => "anthropic";

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
        var body = AnthropicRequest.Write(call.Request.ToJsonObject(), call.Model.ProviderModel, call.Model.DefaultMaxOutputTokens, stream, out var translationError);
        if (translationError is not null)
        {
            error = new ProviderError(ProviderErrorKind.InvalidRequest, $"anthropic: {translationError}");
            return null;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, _messagesUrl)
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        if (!string.IsNullOrEmpty(_endpoint.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-api-key", _endpoint.ApiKey);
        }

        error = null;
        return request;
    }

    ProviderResult<ChatCompletion> IChatWire.ReadCompletion(ReadOnlyMemory<byte> body, ChatCall call, int status)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"anthropic answered {status} with a body that is not JSON: {ex.Message}", status);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || ChatJson.StringOf(root, "type") != "message")
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse, $"anthropic answered {status} with a body that is not a message.", status);
            }

            var usage = AnthropicUsage.ParseMessage(body.Span);
            var translated = AnthropicResponse.ToChatCompletion(root, call.Model.ProviderModel, _time.GetUtcNow().ToUnixTimeSeconds(), usage);
            return ProviderResult<ChatCompletion>.Success(new ChatCompletion(translated, usage));
        }
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        AnthropicErrors.FromResponse(response, body, _time, _endpoint.ApiKey);

    SseChatStream IChatWire.CreateStream(HttpResponseMessage response, ChatCall call) =>
        new AnthropicChatStream(response, call.Model.ProviderModel, _time.GetUtcNow().ToUnixTimeSeconds(), _endpoint.ApiKey);
}
