using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Xunit;

namespace Helix.Providers.Tests.OpenApi;

/// <summary>The schemas of OpenAI's OpenAPI document (see SOURCE.md), to validate the bodies Helix writes itself.</summary>
internal static class OpenAISchemas
{
    private static readonly Lazy<JsonObject> s_document = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "OpenApi", "openai-schemas.json")))!.AsObject());

    private static readonly Dictionary<string, JsonSchema> s_schemas = [];
    private static readonly Lock s_lock = new();

    /// <summary>The schema of <paramref name="name"/> (a key of the document's <c>$defs</c>).</summary>
    public static JsonSchema Of(string name)
    {
        lock (s_lock)
        {
            if (!s_schemas.TryGetValue(name, out var schema))
            {
                var root = s_document.Value.DeepClone().AsObject();
                root["$id"] = $"https://helix.test/openai/{name}.json";
                root["$ref"] = $"#/$defs/{name}";
                schema = JsonSchema.FromText(root.ToJsonString());
                s_schemas[name] = schema;
            }

            return schema;
        }
    }

    /// <summary>Asserts that <paramref name="json"/> is valid against <paramref name="name"/>, naming every failure.</summary>
    public static void AssertValid(string name, ReadOnlySpan<byte> json)
    {
        var node = JsonNode.Parse(json);
        var results = Of(name).Evaluate(node, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var failures = results.Details
                .Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"));
            Assert.Fail($"The body is not a valid {name}:\n{string.Join("\n", failures)}\n{node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false })}");
        }
    }
}
