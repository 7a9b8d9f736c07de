using System.Net.Http.Headers;
using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>A chat provider for the Gemini API: OpenAI-shaped calls translated to <c>generateContent</c> and back.</summary>
/// <remarks>
/// <para>
/// POSTs to <c>{BaseUrl}/models/{model}:generateContent</c> (streams: <c>:streamGenerateContent?alt=sse</c>) with
/// <c>x-goog-api-key</c> when a key is set; <c>BaseUrl</c> is the API version root
/// (<c>https://generativelanguage.googleapis.com/v1beta</c>). The response comes back as an OpenAI
/// <c>chat.completion</c> (streams: <c>chat.completion.chunk</c>s ending with a usage-only chunk); the usage is
/// Gemini's own, metered by <see cref="GeminiUsage"/>.
/// </para>
/// <para>
/// Failures are values: the <c>google.rpc.Status</c> body maps to <see cref="ProviderErrorKind"/>,
/// <c>RetryInfo.retryDelay</c> to <see cref="ProviderError.RetryAfter"/>, a request that cannot be translated to
/// <see cref="ProviderErrorKind.InvalidRequest"/>; cancellation through the token is rethrown. Thread-safe; the
/// <see cref="HttpClient"/> is borrowed, not disposed.
/// </para>
/// </remarks>
public sealed class GeminiChatProvider : IChatProvider, IChatWire
{
    private readonly HttpClient _http;
    private readonly ProviderEndpoint _endpoint;
    private readonly TimeProvider _time;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API version root and key.</param>
    /// <param name="timeProvider">The clock for <c>created</c> and <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="http"/> or <paramref name="endpoint"/> is <see langword="null"/>.</exception>
    public GeminiChatProvider(HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => "gemini";

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
        var body = GeminiRequest.Write(call.Request.ToJsonObject(), out var translationError);
        if (translationError is not null)
        {
            error = new ProviderError(ProviderErrorKind.InvalidRequest, $"gemini: {translationError}");
            return null;
        }

        var model = call.Model.ProviderModel.StartsWith("models/", StringComparison.Ordinal)
            ? call.Model.ProviderModel["models/".Length..]
            : call.Model.ProviderModel;
        var path = $"models/{Uri.EscapeDataString(model)}:" + (stream ? "streamGenerateContent?alt=sse" : "generateContent");
        var request = new HttpRequestMessage(HttpMethod.Post, ProviderHttp.Combine(_endpoint.BaseUrl, path))
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (!string.IsNullOrEmpty(_endpoint.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", _endpoint.ApiKey);
        }

        error = null;
        return request;
    }

    ProviderResult<ChatCompletion> IChatWire.ReadCompletion(ReadOnlyMemory<byte> body, ChatCall call, int status)
    {
        GeminiPayload payload;
        JsonDocument document;
        try
        {
            payload = GeminiPayload.Read(body.Span);
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"gemini answered {status} with a body that is not a JSON object: {ex.Message}", status);
        }

        using (document)
        {
            if (payload.HasError)
            {
                return GeminiErrors.FromPayload(body.Span, _endpoint.ApiKey) with { StatusCode = status };
            }

            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || (!root.TryGetProperty("candidates", out _) && !payload.IsFinal))
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse, $"gemini answered {status} with a body that has no candidates.", status);
            }

            var usage = GeminiUsage.ReportOf(payload);
            var translated = GeminiResponse.ToChatCompletion(
                root,
                payload.ResponseId ?? ChatJson.NewId(),
                GeminiResponse.CreatedOf(root) ?? _time.GetUtcNow().ToUnixTimeSeconds(),
                payload.ModelVersion ?? call.Model.ProviderModel,
                usage);
            return ProviderResult<ChatCompletion>.Success(new ChatCompletion(translated, usage));
        }
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        GeminiErrors.FromResponse(response, body, _time, _endpoint.ApiKey);

    SseChatStream IChatWire.CreateStream(HttpResponseMessage response, ChatCall call) =>
        new GeminiChatStream(response, call.Model.ProviderModel, _time.GetUtcNow().ToUnixTimeSeconds(), _endpoint.ApiKey);
}
