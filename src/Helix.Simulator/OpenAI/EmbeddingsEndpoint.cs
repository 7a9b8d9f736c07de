using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Helix.Simulator.Wire;

namespace Helix.Simulator.OpenAI;

/// <summary><c>POST embeddings</c>: deterministic unit vectors (float arrays or base64) and prompt-token usage.</summary>
internal sealed class EmbeddingsEndpoint(SimulatorState state)
{
    public async Task HandleAsync(HttpContext context)
    {
        var requestId = Ids.Hex("req_", 16);
        context.Response.Headers["x-request-id"] = requestId;
        var errors = OpenAIErrorDialect.OpenAI;
        using var document = await RequestJson.ReadAsync(context);
        if (document is null)
        {
            await errors.RejectAsync(context, requestId, "We could not parse the JSON body of your request.");
            return;
        }

        var root = document.RootElement;
        var model = RequestJson.GetString(root, "model");
        if (string.IsNullOrEmpty(model))
        {
            await errors.RejectAsync(context, requestId, "you must provide a model parameter");
            return;
        }

        var input = RequestJson.Get(root, "input");
        var inputs = Inputs(input);
        if (inputs is null)
        {
            await errors.RejectAsync(context, requestId, "'input' must be a non-empty string, array of strings, array of tokens or array of token arrays.");
            return;
        }

        var dimensions = RequestJson.GetInt64(root, "dimensions") ?? (model.Contains("large", StringComparison.OrdinalIgnoreCase) ? 3072 : 1536);
        if (dimensions is < 1 or > 3072)
        {
            await errors.RejectAsync(context, requestId, "'dimensions' must be between 1 and 3072.");
            return;
        }

        var base64 = RequestJson.GetString(root, "encoding_format") == "base64";
        var plan = state.BeginCall(SimulatorProviders.OpenAI, model);
        if (!await CallGate.PassAsync(context, plan, errors, requestId, model))
        {
            return;
        }

        long counted = 0;
        foreach (var item in inputs)
        {
            counted += item.ValueKind is JsonValueKind.String
                ? Math.Max(1, TokenMath.FromCharacters(item.GetString()!.Length))
                : item.GetArrayLength();
        }

        var promptTokens = plan.Behavior.PromptTokens is { } fixedCount ? Math.Max(0, fixedCount) : counted;
        var reportedModel = plan.Behavior.ReportedModel ?? model;

        using var writer = new WireWriter(context, plan.Fault);
        var vector = ArrayPool<float>.Shared.Rent((int)dimensions);
        try
        {
            var json = writer.StartJson();
            json.WriteStartObject();
            json.WriteString("object", "list");
            json.WriteStartArray("data");
            for (var i = 0; i < inputs.Count; i++)
            {
                var values = vector.AsSpan(0, (int)dimensions);
                Fill(values, inputs[i]);
                json.WriteStartObject();
                json.WriteString("object", "embedding");
                json.WriteNumber("index", i);
                if (base64)
                {
                    json.WriteBase64String("embedding", MemoryMarshal.AsBytes(values));
                }
                else
                {
                    json.WriteStartArray("embedding");
                    foreach (var value in values)
                    {
                        json.WriteNumberValue(value);
                    }

                    json.WriteEndArray();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteString("model", reportedModel);
            json.WriteStartObject("usage");
            json.WriteNumber("prompt_tokens", promptTokens);
            json.WriteNumber("total_tokens", promptTokens);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        finally
        {
            ArrayPool<float>.Shared.Return(vector);
        }

        state.Bill(new SimulatorLedgerEntry(
            state.TimeProvider.GetUtcNow(), SimulatorProviders.OpenAI, reportedModel, requestId,
            promptTokens, CachedTokens: 0, CompletionTokens: 0, ReasoningTokens: 0, AudioSeconds: 0, Characters: 0, Streamed: false));
        await writer.SendJsonAsync();
    }

    /// <summary>The inputs to embed (strings or token arrays), or <see langword="null"/> when the input is not one of OpenAI's forms.</summary>
    private static List<JsonElement>? Inputs(JsonElement input)
    {
        switch (input.ValueKind)
        {
            case JsonValueKind.String:
                return [input];
            case JsonValueKind.Array when input.GetArrayLength() > 0:
                var first = input[0];
                if (first.ValueKind is JsonValueKind.Number)
                {
                    return [input];
                }

                var items = new List<JsonElement>(input.GetArrayLength());
                foreach (var item in input.EnumerateArray())
                {
                    if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Array))
                    {
                        return null;
                    }

                    items.Add(item);
                }

                return items;
            default:
                return null;
        }
    }

    /// <summary>A unit vector that depends only on the input, so equal inputs embed equally.</summary>
    internal static void Fill(Span<float> values, JsonElement input)
    {
        var seed = 2166136261u;
        if (input.ValueKind is JsonValueKind.String)
        {
            Fill(values, input.GetString()!);
            return;
        }

        foreach (var token in input.EnumerateArray())
        {
            seed = (seed ^ (uint)(token.TryGetInt64(out var id) ? id : 0)) * 16777619u;
        }

        FillFromSeed(values, seed);
    }

    /// <summary>A unit vector that depends only on the text (Gemini embeds text alike).</summary>
    internal static void Fill(Span<float> values, string text)
    {
        var seed = 2166136261u;
        foreach (var c in text)
        {
            seed = (seed ^ c) * 16777619u;
        }

        FillFromSeed(values, seed);
    }

    private static void FillFromSeed(Span<float> values, uint seed)
    {
        double sumOfSquares = 0;
        var x = seed | 1u;
        for (var i = 0; i < values.Length; i++)
        {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            var value = (x / (float)uint.MaxValue) - 0.5f;
            values[i] = value;
            sumOfSquares += value * value;
        }

        var scale = (float)(1 / Math.Sqrt(sumOfSquares));
        for (var i = 0; i < values.Length; i++)
        {
            values[i] *= scale;
        }
    }
}
