using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Calls.Chat;
using Helix.Core.Estimation;
using Helix.Core.Providers;
using Xunit;

namespace Helix.Core.Tests.Providers;

public sealed class ChatRequestTests
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    private static ChatRequest? Read(string json, out ChatRequestProblem? problem)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return ChatRequest.Read(bytes, bytes.Length, rented: false, out problem);
    }

    private static ChatRequest Valid(string json)
    {
        var request = Read(json, out var problem);
        Assert.Null(problem);
        return Assert.IsType<ChatRequest>(request);
    }

    private static string Upstream(ChatRequest request, string model = "deepseek-chat", bool stream = false) =>
        Encoding.UTF8.GetString(request.WriteUpstreamJson(model, stream).Span);

    [Fact]
    public void WriteUpstreamJson_UnknownFields_AreCopiedByteForByteWithOnlyTheModelReplaced()
    {
        var request = Valid($$$"""{"model":"op:chat","messages":{{{Hi}}},"x_vendor": { "deep" : [1, 2.50, 1e3, "caf\u00e9 \"q\" \ud83d\ude00", null, {"a":{"b":[]}}] },"temperature":0.20}""");

        var sent = Upstream(request);

        Assert.Equal($$$"""{"model":"deepseek-chat","messages":{{{Hi}}},"x_vendor": { "deep" : [1, 2.50, 1e3, "caf\u00e9 \"q\" \ud83d\ude00", null, {"a":{"b":[]}}] },"temperature":0.20}""", sent);
    }

    [Fact]
    public void WriteUpstreamJson_NoModel_AddsItFirst()
    {
        var request = Valid($$$"""{"messages":{{{Hi}}}}""");

        Assert.Equal($$$"""{"model":"m","messages":{{{Hi}}}}""", Upstream(request, "m"));
    }

    [Fact]
    public void WriteUpstreamJson_ModelNeedsEscaping_IsEscaped()
    {
        var request = Valid($$$"""{"model":"op:chat","messages":{{{Hi}}}}""");

        var sent = JsonNode.Parse(request.WriteUpstreamJson("a\"b\u00e9", stream: false).Span)!;

        Assert.Equal("a\"b\u00e9", (string?)sent["model"]);
    }

    [Fact]
    public void WriteUpstreamJson_Stream_ForcesStreamAndMergesIncludeUsageIntoTheCallersOptions()
    {
        var request = Valid($$$"""{"model":"op:chat","stream":false,"stream_options":{"include_usage":false,"x":{"y":1}},"messages":{{{Hi}}}}""");

        Assert.Equal(
            $$$"""{"model":"m","stream":true,"stream_options":{"x":{"y":1},"include_usage":true},"messages":{{{Hi}}}}""",
            Upstream(request, "m", stream: true));
    }

    [Fact]
    public void WriteUpstreamJson_StreamWithoutOptions_AddsStreamAndIncludeUsage()
    {
        var request = Valid($$$"""{"model":"op:chat","messages":{{{Hi}}}}""");

        Assert.Equal(
            $$$"""{"model":"m","messages":{{{Hi}}},"stream":true,"stream_options":{"include_usage":true}}""",
            Upstream(request, "m", stream: true));
    }

    [Fact]
    public void WriteUpstreamJson_StreamWithNullOptions_SendsIncludeUsageOnly()
    {
        var request = Valid($$$"""{"model":"op:chat","stream_options":null,"messages":{{{Hi}}}}""");

        Assert.Equal(
            $$$"""{"model":"m","stream_options":{"include_usage":true},"messages":{{{Hi}}},"stream":true}""",
            Upstream(request, "m", stream: true));
    }

    [Fact]
    public void WriteUpstreamJson_NotStreamed_DropsStreamOptionsAndSendsStreamFalse()
    {
        var request = Valid($$$"""{"stream":true,"stream_options":{"include_usage":true},"messages":{{{Hi}}},"model":"op:chat"}""");

        Assert.Equal($$$"""{"stream":false,"messages":{{{Hi}}},"model":"m"}""", Upstream(request, "m"));
    }

    [Fact]
    public void WriteUpstreamJson_OutputCap_ReplacesTheCallersNullCapsAndKeepsTheOriginal()
    {
        var request = Valid($$$"""{"model":"op:chat","max_tokens":null,"messages":{{{Hi}}},"max_completion_tokens":null}""");

        var capped = request.WithOutputCap("max_tokens", 100);

        Assert.Equal($$$"""{"model":"m","messages":{{{Hi}}},"max_tokens":100}""", Upstream(capped, "m"));
        Assert.Equal(100, capped.ToJsonObject()["max_tokens"]!.GetValue<int>());
        Assert.Equal($$$"""{"model":"m","max_tokens":null,"messages":{{{Hi}}},"max_completion_tokens":null}""", Upstream(request, "m"));
        Assert.Null(request.ToJsonObject()["max_tokens"]);
    }

    [Fact]
    public void WriteUpstreamJson_WhitespaceBetweenMembers_IsDroppedValuesKept()
    {
        var request = Valid("""
            {
              "model" : "op:chat",
              "messages" : [ { "role" : "user", "content" : "hi" } ]
            }
            """);

        Assert.Equal("""{"model":"m","messages" : [ { "role" : "user", "content" : "hi" } ]}""", Upstream(request, "m"));
    }

    [Fact]
    public void WriteUpstreamJson_Disposed_Throws()
    {
        var bytes = ArrayPool<byte>.Shared.Rent(64);
        var json = Encoding.UTF8.GetBytes($$$"""{"messages":{{{Hi}}}}""");
        json.CopyTo(bytes, 0);
        var request = ChatRequest.Read(bytes, json.Length, rented: true, out _)!;

        request.Dispose();

        Assert.Throws<ObjectDisposedException>(() => request.WriteUpstreamJson("m", stream: false));
        request.Dispose();
    }

    [Fact]
    public void Read_Fields_AreCaptured()
    {
        var request = Valid($$$"""{"model":"op:agent","user":"ana","service_tier":"priority","stream":true,"stream_options":{"include_usage":true},"max_tokens":50,"max_completion_tokens":70,"messages":{{{Hi}}}}""");

        Assert.Equal(("op:agent", "ana", "priority", true, true, 70), (request.Model, request.User, request.ServiceTier, request.Stream, request.IncludeUsage, request.RequestedMaxTokens));
        Assert.Equal(70, request.Estimate.MaxOutputTokens);
    }

    [Fact]
    public void Read_EscapedNames_AreTheFieldsTheyName()
    {
        var request = Valid($$$"""{"mod\u0065l":"op:x","str\u0065am":true,"messages":{{{Hi}}}}""");

        Assert.Equal("op:x", request.Model);
        Assert.True(request.Stream);
        Assert.Equal($$$"""{"model":"m","stream":true,"messages":{{{Hi}}},"stream_options":{"include_usage":true}}""", Upstream(request, "m", stream: true));
    }

    [Fact]
    public void Read_BlankUser_IsNoUser()
    {
        Assert.Null(Valid($$$"""{"user":"  ","messages":{{{Hi}}}}""").User);
    }

    [Theory]
    [InlineData("""{"a":1,"a":2,"messages":[{"role":"user","content":"x"}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x","x":{"k":1,"k":2}}]}""")]
    [InlineData("""{"messages":[{"role":"user","content":"x"}],"meta":{"n\u0061me":1,"name":2}}""")]
    public void Read_DuplicateKeyAtAnyDepth_IsRefusedAsInvalidJson(string json)
    {
        Assert.Null(Read(json, out var problem));

        Assert.StartsWith("The request body is not valid JSON:", problem!.Message);
        Assert.Contains("twice", problem.Message);
        Assert.Null(problem.Param);
    }

    [Fact]
    public void Read_DuplicateKeyInALargeObject_IsRefused()
    {
        var keys = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"k{i}\":{i}"));

        Assert.NotNull(Read($$$"""{"logit_bias":{{{{keys}}}},"messages":{{{Hi}}}}""", out _));
        Assert.Null(Read($$$"""{"logit_bias":{{{{keys}}}},"k7":1,"x":{{{{keys}}}},"messages":{{{Hi}}},"y":{{{{keys}}},"k99":0}}""", out var problem));
        Assert.Contains("'k99' appears twice", problem!.Message);
    }

    [Fact]
    public void Read_SameNameInSiblingObjects_IsNotADuplicate()
    {
        Assert.NotNull(Read("""{"messages":[{"role":"user","content":"a"},{"role":"user","content":"b"}]}""", out _));
    }

    [Fact]
    public void Read_MessageProblems_BlameTheRoleBeforeTheContentWhateverTheirOrder()
    {
        Assert.Null(Read("""{"messages":[{"content":5,"role":"wizard"}]}""", out var problem));

        Assert.Equal("messages[0].role", problem!.Param);
    }

    [Fact]
    public void Read_FirstBadFieldInTheBodysOrder_IsBlamed()
    {
        Assert.Null(Read($$$"""{"temperature":9,"messages":[{"role":"user","content":5}],"top_p":"x"}""", out var problem));

        Assert.Equal(("'temperature' must be a number from 0 to 2.", "temperature"), (problem!.Message, problem.Param));
    }

    [Fact]
    public void Read_SyntaxErrorAfterASchemaProblem_IsTheSyntaxError()
    {
        Assert.Null(Read("""{"temperature":9,"messages":[{"role":"user","content":"x"}],""", out var problem));

        Assert.StartsWith("The request body is not valid JSON:", problem!.Message);
    }

    [Fact]
    public void Read_MessagesMissing_IsBlamedFirst()
    {
        Assert.Null(Read("""{"temperature":9}""", out var problem));

        Assert.Equal(("'messages' is required and must be a non-empty array.", "messages"), (problem!.Message, problem.Param));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"x\"")]
    [InlineData("null")]
    public void Read_NotAnObject_IsRefused(string json)
    {
        Assert.Null(Read(json, out var problem));

        Assert.Equal("The request body must be a JSON object.", problem!.Message);
    }

    [Fact]
    public void Parse_InProcess_ChecksOnlyTheSyntax()
    {
        var request = ChatRequest.Parse("""{"max_tokens":"x","messages":"none"}"""u8);

        Assert.Null(request.RequestedMaxTokens);
        Assert.Throws<JsonException>(() => ChatRequest.Parse("""{"a":"""u8));
    }

    [Fact]
    public void Estimate_CountsTextFramingAndMediaParts()
    {
        var request = Valid("""{"messages":[{"role":"system","content":"You are terse."},{"role":"user","content":[{"type":"text","text":"caf\u00e9"},{"type":"image_url","image_url":{"url":"https://x/y.png"}}]}]}""");

        Assert.Equal(3 + 4 + TokenCounter.Count("You are terse.") + 4 + TokenCounter.Count("café"), request.Estimate.InputTokens);
        Assert.Equal(1, request.Estimate.ImageParts);
    }

    [Fact]
    public void PromptPrefix_RoleAfterItsContent_IsStillTheLeadingPrompt()
    {
        var roleFirst = Valid("""{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"a"}]}""");
        var roleLast = Valid("""{"messages":[{"content":"Be brief.","role":"system"},{"content":"b","role":"user"}]}""");

        Assert.NotNull(roleFirst.PromptPrefixHash);
        Assert.Equal(roleFirst.PromptPrefixHash, roleLast.PromptPrefixHash);
        Assert.Equal(PromptPrefix.Hash(roleFirst), roleLast.PromptPrefixHash);
    }

    [Fact]
    public void ToJsonObject_IsParsedOnceAndShared()
    {
        var request = Valid($$$"""{"model":"op:chat","messages":{{{Hi}}}}""");

        Assert.Same(request.ToJsonObject(), request.ToJsonObject());
        Assert.Equal("op:chat", (string?)request.ToJsonObject()["model"]);
    }
}
