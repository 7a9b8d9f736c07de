using System.Text.Json.Serialization;

namespace Helix.Gateway.DataPlane;

/// <summary>
/// The answer of <c>POST /v1/chat/completions</c> as the OpenAPI document describes it (OpenAI's chat completion
/// object); a stream sends <c>chat.completion.chunk</c> objects of the same shape as server-sent events.
/// </summary>
/// <remarks>Documentation only: the upstream's bytes are passed through, never re-serialised from this record.</remarks>
internal sealed record ChatCompletionResponseSchema(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("object")] string Object,
    [property: JsonPropertyName("created")] long Created,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("choices")] IReadOnlyList<ChatCompletionResponseSchema.Choice> Choices,
    [property: JsonPropertyName("usage")] ChatCompletionResponseSchema.TokenUsage? Usage)
{
    /// <summary>One choice of the answer.</summary>
    internal sealed record Choice(
        [property: JsonPropertyName("index")] int Index,
        [property: JsonPropertyName("message")] AnswerMessage Message,
        [property: JsonPropertyName("finish_reason")] string? FinishReason);

    /// <summary>The assistant's message.</summary>
    internal sealed record AnswerMessage(
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("content")] string? Content);

    /// <summary>The provider's usage report, which Helix prices.</summary>
    internal sealed record TokenUsage(
        [property: JsonPropertyName("prompt_tokens")] long PromptTokens,
        [property: JsonPropertyName("completion_tokens")] long CompletionTokens,
        [property: JsonPropertyName("total_tokens")] long TotalTokens);
}
