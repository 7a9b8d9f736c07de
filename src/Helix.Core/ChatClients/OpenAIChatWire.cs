using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Helix.Core.ChatClients;

/// <summary>Maps Microsoft.Extensions.AI chat types to the OpenAI chat-completions wire shape and back.</summary>
/// <remarks>
/// Stateless and thread-safe; a stream's tool-call fragments are collected in the caller's <see cref="StreamedToolCalls"/>.
/// Only what Helix's in-process entry needs; unknown content is skipped. <see cref="ChatOptions.ModelId"/> is not sent:
/// the operation's route chooses the model.
/// </remarks>
internal static class OpenAIChatWire
{
    public static JsonObject ToRequest(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream)
    {
        var wireMessages = new JsonArray();
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            wireMessages.Add(new JsonObject { ["role"] = "system", ["content"] = instructions });
        }

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

        if (options.FrequencyPenalty is { } frequencyPenalty)
        {
            request["frequency_penalty"] = frequencyPenalty;
        }

        if (options.PresencePenalty is { } presencePenalty)
        {
            request["presence_penalty"] = presencePenalty;
        }

        if (options.Seed is { } seed)
        {
            request["seed"] = seed;
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            request["stop"] = new JsonArray([.. stops.Select(s => (JsonNode?)JsonValue.Create(s))]);
        }

        if (options.ResponseFormat is ChatResponseFormatJson json)
        {
            request["response_format"] = ResponseFormat(json);
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

            // Hosted tools (web search, code interpreter) have no chat-completions form, and OpenAI refuses an empty
            // tool list, or a tool choice without tools.
            if (wireTools.Count > 0)
            {
                request["tools"] = wireTools;
                if (ToolChoice(options.ToolMode) is { } toolChoice)
                {
                    request["tool_choice"] = toolChoice;
                }

                if (options.AllowMultipleToolCalls is { } parallel)
                {
                    request["parallel_tool_calls"] = parallel;
                }
            }
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
            if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var wireMessage))
            {
                AddContents(message.Contents, wireMessage, streamed: null);
            }

            finishReason = FinishReason(choice);
        }

        return new ChatResponse(message)
        {
            ResponseId = String(root, "id"),
            ModelId = String(root, "model"),
            FinishReason = finishReason,
            Usage = root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object ? Usage(usage) : null,
        };
    }

    /// <summary>Maps one stream chunk; tool-call fragments go to <paramref name="toolCalls"/>, to be completed when the stream ends.</summary>
    public static ChatResponseUpdate ToUpdate(ReadOnlySpan<byte> chunk, StreamedToolCalls toolCalls)
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
            if (choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("delta", out var delta))
            {
                AddContents(update.Contents, delta, toolCalls);
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
                            ["arguments"] = call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments),
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

    private static void AddContents(IList<AIContent> contents, JsonElement message, StreamedToolCalls? streamed)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return;
        }

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
                if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function))
                {
                    continue;
                }

                if (streamed is not null)
                {
                    // A streamed call arrives in pieces: its id and name once, its arguments split across chunks.
                    streamed.Add(Int(call, "index"), String(call, "id"), String(function, "name"), String(function, "arguments"));
                    continue;
                }

                contents.Add(FunctionCall(String(call, "id"), String(function, "name"), String(function, "arguments")));
            }
        }
    }

    /// <summary>A function call whose arguments failed to parse carries the error instead of throwing it (as M.E.AI's own clients do).</summary>
    internal static FunctionCallContent FunctionCall(string? callId, string? name, string? arguments) =>
        string.IsNullOrWhiteSpace(arguments)
            ? new FunctionCallContent(callId ?? string.Empty, name ?? string.Empty)
            : FunctionCallContent.CreateFromParsedArguments(arguments, callId ?? string.Empty, name ?? string.Empty,
                static json => JsonSerializer.Deserialize<Dictionary<string, object?>>(json));

    private static JsonObject ResponseFormat(ChatResponseFormatJson json)
    {
        if (json.Schema is not { } schema)
        {
            return new JsonObject { ["type"] = "json_object" };
        }

        var wireSchema = new JsonObject
        {
            ["name"] = json.SchemaName ?? "response",
            ["schema"] = JsonNode.Parse(schema.GetRawText()),
        };
        if (json.SchemaDescription is { } description)
        {
            wireSchema["description"] = description;
        }

        return new JsonObject { ["type"] = "json_schema", ["json_schema"] = wireSchema };
    }

    private static JsonNode? ToolChoice(ChatToolMode? mode) => mode switch
    {
        NoneChatToolMode => "none",
        AutoChatToolMode => "auto",
        RequiredChatToolMode { RequiredFunctionName: { } name } => new JsonObject
        {
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = name },
        },
        RequiredChatToolMode => "required",
        _ => null,
    };

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

    private static int? Int(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number)
            ? number
            : null;

    private static long? Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number)
            ? number
            : null;
}
