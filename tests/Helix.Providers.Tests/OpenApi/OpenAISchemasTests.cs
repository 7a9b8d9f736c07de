using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace Helix.Providers.Tests.OpenApi;

/// <summary>The checked-in schemas hold OpenAI's required fields, so the wire checks that use them can fail.</summary>
public sealed class OpenAISchemasTests
{
    private const string Completion =
        """{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"logprobs":null,"finish_reason":"stop"}]}""";

    private static bool IsValid(string schema, string json) =>
        OpenAISchemas.Of(schema).Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.Flag }).IsValid;

    [Fact]
    public void ChatCompletion_WithEveryRequiredField_IsValid() =>
        Assert.True(IsValid("CreateChatCompletionResponse", Completion));

    [Theory]
    [InlineData(",\"refusal\":null", "")]
    [InlineData("\"logprobs\":null,", "")]
    [InlineData("\"finish_reason\":\"stop\"", "\"finish_reason\":\"done\"")]
    [InlineData("\"created\":1", "\"created\":\"1\"")]
    public void ChatCompletion_MissingOrWrongField_IsInvalid(string field, string replacement) =>
        Assert.False(IsValid("CreateChatCompletionResponse", Completion.Replace(field, replacement, StringComparison.Ordinal)));

    [Theory]
    [InlineData("""{"error":{"message":"m","type":"invalid_request_error","param":null,"code":null}}""", true)]
    [InlineData("""{"error":{"message":"m","type":"invalid_request_error","param":"model","code":"model_not_found"}}""", true)]
    [InlineData("""{"error":{"message":"m","type":"invalid_request_error","code":null}}""", false)]
    [InlineData("""{"error":{"message":"m","type":"invalid_request_error","param":null}}""", false)]
    public void ErrorBody_NeedsParamAndCodeEvenWhenNull(string body, bool valid) =>
        Assert.Equal(valid, IsValid("ErrorResponse", body));

    [Theory]
    [InlineData("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"},"finish_reason":null}]}""", true)]
    [InlineData("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2,"total_tokens":3}}""", true)]
    [InlineData("""{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"x"}}]}""", false)]
    public void StreamChunk_NeedsAFinishReasonOnEveryChoice(string chunk, bool valid) =>
        Assert.Equal(valid, IsValid("CreateChatCompletionStreamResponse", chunk));

    [Theory]
    [InlineData("""{"object":"list","model":"m","data":[{"object":"embedding","index":0,"embedding":[0.1]}],"usage":{"prompt_tokens":1,"total_tokens":1}}""", true)]
    [InlineData("""{"object":"list","model":"m","data":[{"object":"embedding","index":0,"embedding":[0.1]}]}""", false)]
    public void Embeddings_NeedTheirUsage(string body, bool valid) =>
        Assert.Equal(valid, IsValid("CreateEmbeddingResponse", body));
}
