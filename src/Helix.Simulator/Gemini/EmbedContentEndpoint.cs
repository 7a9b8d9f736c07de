using System.Text.Json;
using Helix.Simulator.OpenAI;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Gemini;

/// <summary>
/// <c>models/{model}:embedContent</c> and <c>:batchEmbedContents</c> of the Gemini API: deterministic unit vectors of
/// <c>outputDimensionality</c> (3072 by default) values. Like the real API, the answer carries no usage; the ledger
/// bills a token per 4 characters of text.
/// </summary>
internal sealed class EmbedContentEndpoint(SimulatorState state)
{
    private const int DefaultDimensions = 3072;

    public async Task HandleAsync(HttpContext context, string model, bool batch)
    {
        var errors = GeminiErrorDialect.Instance;
        var responseId = Ids.Alphanumeric(string.Empty, 22);
        using var document = await RequestJson.ReadAsync(context);
        if (document is null)
        {
            await errors.RejectAsync(context, responseId, "Invalid JSON payload received.");
            return;
        }

        var root = document.RootElement;
        var requests = new List<JsonElement>();
        if (batch)
        {
            var list = RequestJson.Get(root, "requests");
            if (list.ValueKind is not JsonValueKind.Array || list.GetArrayLength() == 0)
            {
                await errors.RejectAsync(context, responseId, "* BatchEmbedContentsRequest.requests: requests is not specified");
                return;
            }

            requests.AddRange(list.EnumerateArray());
        }
        else
        {
            requests.Add(root);
        }

        var texts = new List<string>(requests.Count);
        var dimensions = new List<int>(requests.Count);
        foreach (var request in requests)
        {
            var text = TextOf(RequestJson.Get(request, "content"));
            var size = RequestJson.GetInt64(request, "outputDimensionality") ?? DefaultDimensions;
            if (text is null)
            {
                await errors.RejectAsync(context, responseId, "* EmbedContentRequest.content: contents is not specified");
                return;
            }

            if (size is < 1 or > DefaultDimensions)
            {
                await errors.RejectAsync(context, responseId, $"* EmbedContentRequest.output_dimensionality: must be between 1 and {DefaultDimensions}");
                return;
            }

            texts.Add(text);
            dimensions.Add((int)size);
        }

        var plan = state.BeginCall(SimulatorProviders.Gemini, model);
        if (!await CallGate.PassAsync(context, plan, errors, responseId, model))
        {
            return;
        }

        long tokens = 0;
        foreach (var text in texts)
        {
            tokens += Math.Max(1, TokenMath.FromCharacters(text.Length));
        }

        var promptTokens = plan.Behavior.PromptTokens is { } fixedCount ? Math.Max(0, fixedCount) : tokens;
        using var writer = new WireWriter(context, plan.Fault);
        var json = writer.StartJson();
        json.WriteStartObject();
        if (batch)
        {
            json.WriteStartArray("embeddings");
        }

        for (var i = 0; i < texts.Count; i++)
        {
            var values = new float[dimensions[i]];
            EmbeddingsEndpoint.Fill(values, texts[i]);

            if (batch)
            {
                json.WriteStartObject();
            }
            else
            {
                json.WriteStartObject("embedding");
            }

            json.WriteStartArray("values");
            foreach (var value in values)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (batch)
        {
            json.WriteEndArray();
        }

        json.WriteEndObject();
        state.Bill(new SimulatorLedgerEntry(
            state.TimeProvider.GetUtcNow(), SimulatorProviders.Gemini, plan.Behavior.ReportedModel ?? model, responseId,
            promptTokens, CachedTokens: 0, CompletionTokens: 0, ReasoningTokens: 0, AudioSeconds: 0, Characters: 0, Streamed: false));
        await writer.SendJsonAsync();
    }

    private static string? TextOf(JsonElement content)
    {
        var parts = RequestJson.Get(content, "parts");
        if (parts.ValueKind is not JsonValueKind.Array)
        {
            return null;
        }

        string? text = null;
        foreach (var part in parts.EnumerateArray())
        {
            if (RequestJson.GetString(part, "text") is { } piece)
            {
                text = text is null ? piece : text + " " + piece;
            }
        }

        return text;
    }
}
