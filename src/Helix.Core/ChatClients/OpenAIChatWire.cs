using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Helix.Core.ChatClients;

/// <summary>Maps Microsoft.Extensions.AI chat types to the OpenAI chat-completions wire shape and back.</summary>
/// <remarks>Stateless and thread-safe. Only what Helix's in-process entry needs; unknown content is skipped.</remarks>
internal static class OpenAIChatWire
{
    public static JsonObject ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var wireMessages = new JsonArray();
        foreach (var message in messages)
        {
            AddMessage(wireMessages, message);
        }

        var request = new JsonObject { ["messages"] = wireMessages };
        if (stream)
        {
            request["stream"] = true;
            request["stream_options"] = new JsonObject { ["include_usage"] = true };
        }

        if (options is null)
        {
            return request;
        }

        if (options.Temperature is { } temperature)
        {
            request["temperature"] = temperature;
        }

        if (options.TopP is { } topP)
        {
            request["top_p"] = topP;
        }

        if (options.MaxOutputTokens is { } max)
        {
            request["max_tokens"] = max;
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            request["stop"] = new JsonArray([.. stops.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        if (options.ResponseFormat is ChatResponseFormatJson)
        {
            request["response_format"] = new JsonObject { ["type"] = "json_object" };
        }

        if (options.Tools is { Count: > 0 } tools)
        {
            var wireTools = new JsonArray();
            foreach (var tool in tools.OfType<AIFunctionDeclaration>())
            {
                wireTools.Add(new JsonObject
                {
                    ["type"] = "function",
                    ["function"] = new JsonObject
                    {
                        ["name"] = tool.Name,
                        ["description"] = tool.Description,
                        ["parameters"] = JsonNode.Parse(tool.JsonSchema.GetRawText()),
                    },
                });
            }

            request["tools"] = wireTools;
        }

        return request;
    }

    public static ChatResponse ToResponse(ReadOnlySpan<byte> body)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        var root = document.RootElement;
        var message = new ChatMessage(ChatRole.Assistant, []);
        ChatFinishReason? finishReason = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("message", out var wireMessage))
            {
                AddContents(message.Contents, wireMessage);
            }

            finishReason = FinishReason(choice);
        }

        return new ChatResponse(message)
        {
            ResponseId = String(root, "id"),
            ModelId = String(root, "model"),
            FinishReason = finishReason,
            Usage = root.TryGetProperty("usage", out var usage) ? Usage(usage) : null,
        };
    }

    public static ChatResponseUpdate ToUpdate(ReadOnlySpan<byte> chunk)
    {
        using var document = JsonDocument.Parse(chunk.ToArray());
        var root = document.RootElement;
        var update = new ChatResponseUpdate
        {
            ResponseId = String(root, "id"),
            ModelId = String(root, "model"),
            Role = ChatRole.Assistant,
        };
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("delta", out var delta))
            {
                AddContents(update.Contents, delta);
            }

            update.FinishReason = FinishReason(choice);
        }

        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            update.Contents.Add(new UsageContent(Usage(usage)));
        }

        return update;
    }

    private static void AddMessage(JsonArray wireMessages, ChatMessage message)
    {
        var results = message.Contents.OfType<FunctionResultContent>().ToList();
        foreach (var result in results)
        {
            wireMessages.Add(new JsonObject
            {
                ["role"] = "tool",
                ["tool_call_id"] = result.CallId,
                ["content"] = result.Result is string text ? text : JsonSerializer.Serialize(result.Result),
            });
        }

        var parts = new JsonArray();
        var toolCalls = new JsonArray();
        foreach (var content in message.Contents)
        {
            switch (content)
            {
                case TextContent text:
                    parts.Add(new JsonObject { ["type"] = "text", ["text"] = text.Text });
                    break;
                case DataContent data when data.HasTopLevelMediaType("image"):
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = data.Uri } });
                    break;
                case UriContent uri when uri.HasTopLevelMediaType("image"):
                    parts.Add(new JsonObject { ["type"] = "image_url", ["image_url"] = new JsonObject { ["url"] = uri.Uri.ToString() } });
                    break;
                case FunctionCallContent call:
                    toolCalls.Add(new JsonObject
                    {
                        ["id"] = call.CallId,
                        ["type"] = "function",
                        ["function"] = new JsonObject
                        {
                            ["name"] = call.Name,
                            ["arguments"] = JsonSerializer.Serialize(call.Arguments),
                        },
                    });
                    break;
            }
        }

        if (parts.Count == 0 && toolCalls.Count == 0)
        {
            return;
        }

        var wire = new JsonObject { ["role"] = message.Role.Value };
        wire["content"] = parts.Count == 1 && parts[0]!["type"]!.GetValue<string>() == "text"
            ? parts[0]!["text"]!.GetValue<string>()
            : parts.Count == 0 ? null : parts;
        if (toolCalls.Count > 0)
        {
            wire["tool_calls"] = toolCalls;
        }

        wireMessages.Add(wire);
    }

    private static void AddContents(IList<AIContent> contents, JsonElement message)
    {
        if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            var text = content.GetString();
            if (!string.IsNullOrEmpty(text))
            {
                contents.Add(new TextContent(text));
            }
        }

        if (message.TryGetProperty("reasoning_content", out var reasoning) && reasoning.ValueKind == JsonValueKind.String
            && reasoning.GetString() is { Length: > 0 } thought)
        {
            contents.Add(new TextReasoningContent(thought));
        }

        if (message.TryGetProperty("tool_calls", out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in toolCalls.EnumerateArray())
            {
                if (!call.TryGetProperty("function", out var function))
                {
                    continue;
                }

                var arguments = String(function, "arguments");
                contents.Add(new FunctionCallContent(
                    String(call, "id") ?? string.Empty,
                    String(function, "name") ?? string.Empty,
                    string.IsNullOrEmpty(arguments) ? null : JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)));
            }
        }
    }

    private static ChatFinishReason? FinishReason(JsonElement choice) => String(choice, "finish_reason") switch
    {
        null => null,
        "stop" => ChatFinishReason.Stop,
        "length" => ChatFinishReason.Length,
        "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
        "content_filter" => ChatFinishReason.ContentFilter,
        var other => new ChatFinishReason(other),
    };

    private static UsageDetails Usage(JsonElement usage)
    {
        var details = new UsageDetails
        {
            InputTokenCount = Long(usage, "prompt_tokens"),
            OutputTokenCount = Long(usage, "completion_tokens"),
            TotalTokenCount = Long(usage, "total_tokens"),
        };
        if (usage.TryGetProperty("prompt_tokens_details", out var prompt) && prompt.ValueKind == JsonValueKind.Object)
        {
            details.CachedInputTokenCount = Long(prompt, "cached_tokens");
        }

        if (usage.TryGetProperty("completion_tokens_details", out var completion) && completion.ValueKind == JsonValueKind.Object)
        {
            details.ReasoningTokenCount = Long(completion, "reasoning_tokens");
        }

        return details;
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;

    public static string FormatCost(decimal? cost) =>
        cost is { } value ? value.ToString(CultureInfo.InvariantCulture) : "unpriced";
}
