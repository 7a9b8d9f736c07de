using System.Text.Json.Nodes;
using Helix.Core.Calls.Chat;
using Helix.Core.Estimation;
using Helix.Core.Providers;
using Xunit;

namespace Helix.Core.Tests.Calls;

public sealed class PromptPrefixTests
{
    private static ChatRequest Parse(string json) => ChatRequest.Parse(System.Text.Encoding.UTF8.GetBytes(json));

    [Fact]
    public void SameLeadingSystemPrompt_SameHash_WhateverFollows()
    {
        var a = PromptPrefix.Hash(Parse("""{"messages":[{"role":"system","content":"You are a billing assistant.\nBe brief."},{"role":"user","content":"invoice 1"}]}"""));
        var b = PromptPrefix.Hash(Parse("""{"messages":[{"role":"system","content":"You are a billing assistant.\nBe brief."},{"role":"user","content":"invoice 2"}]}"""));
        var other = PromptPrefix.Hash(Parse("""{"messages":[{"role":"system","content":"You are a travel assistant."},{"role":"user","content":"invoice 1"}]}"""));

        Assert.NotNull(a);
        Assert.Matches("^[0-9a-f]{16}$", a);
        Assert.Equal(a, b);
        Assert.NotEqual(a, other);
    }

    [Fact]
    public void JsonText_AndInProcessStrings_HashTheSame_EscapesAndPartsIncluded()
    {
        var parsed = Parse("""{"messages":[{"role":"developer","content":[{"type":"text","text":"Line one\n\u00e9t\u00e9 \"quoted\""}]},{"role":"system","content":"second"},{"role":"user","content":"hi"}]}""");
        var built = new JsonObject
        {
            ["messages"] = new JsonArray(
                new JsonObject { ["role"] = "developer", ["content"] = new JsonArray(new JsonObject { ["type"] = "text", ["text"] = "Line one\nété \"quoted\"" }) },
                new JsonObject { ["role"] = "system", ["content"] = "second" },
                new JsonObject { ["role"] = "user", ["content"] = "something else" }),
        };

        Assert.Equal(PromptPrefix.Hash(parsed), PromptPrefix.Hash(ChatRequest.FromJsonObject(built)));
    }

    [Fact]
    public void WithoutSystemMessages_TheFirstMessageIsThePrefix_NoTextNoHash()
    {
        var first = PromptPrefix.Hash(Parse("""{"messages":[{"role":"user","content":"same question"},{"role":"assistant","content":"a"}]}"""));
        var again = PromptPrefix.Hash(Parse("""{"messages":[{"role":"user","content":"same question"},{"role":"assistant","content":"b"}]}"""));

        Assert.Equal(first, again);
        Assert.Null(PromptPrefix.Hash(Parse("""{"messages":[]}""")));
        Assert.Null(PromptPrefix.Hash(Parse("""{"model":"x"}""")));
        Assert.Null(PromptPrefix.Hash(Parse("""{"messages":[{"role":"user","content":""}]}""")));
    }

    [Fact]
    public void OnlyTheFirstMaxBytesCount()
    {
        var head = new string('x', PromptPrefix.MaxBytes);
        var a = PromptPrefix.Hash(Parse($$"""{"messages":[{"role":"system","content":"{{head}}tail one"}]}"""));
        var b = PromptPrefix.Hash(Parse($$"""{"messages":[{"role":"system","content":"{{head}}tail two"}]}"""));
        var shorter = PromptPrefix.Hash(Parse($$"""{"messages":[{"role":"system","content":"{{head[1..]}}"}]}"""));

        Assert.Equal(a, b);
        Assert.NotEqual(a, shorter);
    }

    [Fact]
    public void RequestedCap_PrefersMaxCompletionTokens_IgnoresNonPositive()
    {
        Assert.Equal(300, ChatRequestEstimator.RequestedCap(Parse("""{"max_completion_tokens":300,"max_tokens":50}""")));
        Assert.Equal(50, ChatRequestEstimator.RequestedCap(Parse("""{"max_tokens":50}""")));
        Assert.Null(ChatRequestEstimator.RequestedCap(Parse("""{"max_tokens":0}""")));
        Assert.Null(ChatRequestEstimator.RequestedCap(Parse("""{}""")));
    }
}
