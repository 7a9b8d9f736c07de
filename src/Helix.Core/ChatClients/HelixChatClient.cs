using System.Runtime.CompilerServices;
using Helix.Core.Pipeline;
using Helix.Core.Providers;
using Microsoft.Extensions.AI;

namespace Helix.Core.ChatClients;

/// <summary>An <see cref="IChatClient"/> that sends every call through the Helix pipeline in-process.</summary>
/// <remarks>
/// <para>
/// Helix owns the model choice: the route of <see cref="Operation"/> picks the model and its fallbacks, the call is
/// priced from the provider's usage and logged, exactly as through the HTTP gateway but without the hop. The
/// inner client given by <see cref="HelixChatClientBuilderExtensions.UseHelix"/> is therefore not called; middleware
/// added before <c>UseHelix</c> (logging, caching, function invocation) still wraps this client.
/// </para>
/// <para>
/// Expected failures (unknown operation, every model failed) surface as <see cref="HelixCallException"/> carrying
/// the <see cref="GatewayError"/>. Each response's <see cref="ChatResponse.AdditionalProperties"/> carries
/// <c>helix.request_id</c>, <c>helix.model</c> and <c>helix.cost_usd</c>. Thread-safe.
/// </para>
/// </remarks>
public sealed class HelixChatClient : IChatClient
{
    private readonly OperationPipeline _pipeline;
    private readonly Helix.Core.Principals.Principal _principal;

    /// <summary>Creates a client for <paramref name="operation"/>.</summary>
    /// <param name="pipeline">The Helix pipeline.</param>
    /// <param name="operation">The operation every call names.</param>
    /// <param name="principal">Who calls, as recorded in the log (default <c>in-process</c>).</param>
    public HelixChatClient(OperationPipeline pipeline, string operation, string principal = "in-process")
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        _pipeline = pipeline;
        Operation = operation;
        ArgumentException.ThrowIfNullOrWhiteSpace(principal);
        Principal = principal;
        _principal = Helix.Core.Principals.Principal.Application(principal);
    }

    /// <summary>The operation every call names.</summary>
    public string Operation { get; }

    /// <summary>Who calls, as recorded in the log.</summary>
    public string Principal { get; }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = NewRequest(options);
        var result = await _pipeline.CompleteChatAsync(request, ChatRequest.FromJsonObject(OpenAIChatWire.ToRequest(messages, options, stream: false)), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new HelixCallException(result.Error);
        }

        var outcome = result.Value;
        var response = OpenAIChatWire.ToResponse(outcome.Completion.Body.Span);
        response.AdditionalProperties ??= [];
        response.AdditionalProperties["helix.request_id"] = outcome.RequestId;
        response.AdditionalProperties["helix.model"] = outcome.Model.Id;
        response.AdditionalProperties["helix.cost_usd"] = outcome.Cost.TotalUsd;
        return response;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = NewRequest(options);
        var result = await _pipeline.StreamChatAsync(request, ChatRequest.FromJsonObject(OpenAIChatWire.ToRequest(messages, options, stream: true)), cancellationToken);
        if (!result.IsSuccess)
        {
            throw new HelixCallException(result.Error);
        }

        await using var outcome = result.Value;
        var toolCalls = new StreamedToolCalls();
        string? responseId = null;
        string? modelId = null;
        await foreach (var chunk in outcome.ReadAsync(cancellationToken))
        {
            var update = OpenAIChatWire.ToUpdate(chunk.Json.Span, toolCalls);
            responseId ??= update.ResponseId;
            modelId ??= update.ModelId;
            yield return update;
        }

        if (outcome.Error is { } error)
        {
            throw new HelixCallException(GatewayError.UpstreamUnavailable($"The stream from {outcome.Model.Id} broke: {error.Message}"));
        }

        // Tool calls are whole only once the stream ended, so they come last (as from M.E.AI's OpenAI client).
        if (toolCalls.Count > 0)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, toolCalls.ToContents())
            {
                ResponseId = responseId,
                ModelId = modelId,
            };
        }
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return new ChatClientMetadata("helix", null, $"op:{Operation}");
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private OperationRequest NewRequest(ChatOptions? options) => new()
    {
        Operation = Operation,
        RequestId = RequestIds.New(),
        Principal = _principal,
        User = options?.AdditionalProperties?.TryGetValue("user", out var user) == true ? user?.ToString() : null,
    };
}
