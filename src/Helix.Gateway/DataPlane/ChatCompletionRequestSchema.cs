using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Helix.Gateway.DataPlane;

/// <summary>
/// The request of <c>POST /v1/chat/completions</c> as the OpenAPI document describes it: the fields Helix reads.
/// </summary>
/// <remarks>
/// Documentation only: the endpoint reads the body as JSON and passes every other field to an OpenAI-compatible
/// upstream intact, so this record never limits what a caller may send.
/// </remarks>
internal sealed record ChatCompletionRequestSchema(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatCompletionRequestSchema.Message> Messages,
    [property: JsonPropertyName("stream")] bool? Stream,
    [property: JsonPropertyName("stream_options")] ChatCompletionRequestSchema.StreamOptions? StreamOptionsValue,
    [property: JsonPropertyName("max_completion_tokens")] int? MaxCompletionTokens,
    [property: JsonPropertyName("max_tokens")] int? MaxTokens,
    [property: JsonPropertyName("temperature")] double? Temperature,
    [property: JsonPropertyName("user")] string? User)
{
    /// <summary>One message; <c>content</c> is a string or an array of content parts.</summary>
    internal sealed record Message(
        [property: JsonPropertyName("role")] string Role,
        [property: JsonPropertyName("content")] JsonNode? Content);

    /// <summary>Stream options; with <c>include_usage</c> the last chunk carries the usage and Helix's cost.</summary>
    internal sealed record StreamOptions([property: JsonPropertyName("include_usage")] bool? IncludeUsage);
}
