using System.Buffers;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Gemini;

/// <summary>An embeddings provider for the Gemini API: an OpenAI <c>/v1/embeddings</c> request translated to <c>embedContent</c> or <c>batchEmbedContents</c> and back.</summary>
/// <remarks>
/// <para>
/// One string of <c>input</c> goes to <c>models/{model}:embedContent</c>, an array of strings to
/// <c>:batchEmbedContents</c> (one request each); <c>dimensions</c> becomes <c>outputDimensionality</c>. Token
/// arrays have no Gemini equivalent and are refused as <see cref="ProviderErrorKind.InvalidRequest"/>. The answer is
/// an OpenAI embeddings body (<c>encoding_format</c> <c>base64</c> honoured: little-endian float32). Usage is the
/// response's <c>usageMetadata.promptTokenCount</c> when Gemini reports it; otherwise the input tokens are counted
/// (a token per 4 characters) and the report is flagged as not known, so the call is priced as an estimate.
/// </para>
/// <para>Failures map as for Gemini chat. Thread-safe; the <see cref="HttpClient"/> is borrowed, not disposed.</para>
/// </remarks>
public sealed class GeminiEmbeddingsProvider : IEmbeddingsProvider, IHttpWire
{
    private readonly HttpClient _http;
    private readonly ProviderEndpoint _endpoint;
    private readonly TimeProvider _time;

    /// <summary>Creates a provider for the endpoint.</summary>
    /// <param name="http">The client to send with; its <see cref="HttpClient.Timeout"/> bounds a call.</param>
    /// <param name="endpoint">The API version root (<c>https://generativelanguage.googleapis.com/v1beta</c>) and key.</param>
    /// <param name="timeProvider">The clock for <c>retry-after</c> dates; the system clock when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    public GeminiEmbeddingsProvider(HttpClient http, ProviderEndpoint endpoint, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        _http = http;
        _endpoint = endpoint;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc/>
    public string Name => "gemini";

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its request is <see langword="null"/>.</exception>
    public Task<ProviderResult<EmbeddingsResponse>> EmbedAsync(EmbeddingsCall call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(call.Request, nameof(call));
        var model = call.Model.ProviderModel.StartsWith("models/", StringComparison.Ordinal)
            ? call.Model.ProviderModel["models/".Length..]
            : call.Model.ProviderModel;
        if (Inputs(call.Request["input"], out var batch) is not { } inputs)
        {
            return Task.FromResult<ProviderResult<EmbeddingsResponse>>(new ProviderError(ProviderErrorKind.InvalidRequest,
                "gemini: 'input' must be a non-empty string or array of non-empty strings; Gemini embeds text, not token arrays."));
        }

        long? dimensions = call.Request["dimensions"] is JsonValue { } d && d.GetValueKind() == JsonValueKind.Number
            && long.TryParse(d.ToJsonString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : null;
        var body = WriteRequest(model, inputs, batch, dimensions);
        var path = $"models/{Uri.EscapeDataString(model)}:" + (batch ? "batchEmbedContents" : "embedContent");
        var request = new HttpRequestMessage(HttpMethod.Post, ProviderHttp.Combine(_endpoint.BaseUrl, path))
        {
            Content = new ReadOnlyMemoryContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        if (!string.IsNullOrEmpty(_endpoint.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", _endpoint.ApiKey);
        }

        var base64 = ChatRequestJson.Text(call.Request["encoding_format"]) == "base64";
        return HttpCalls.SendAsync(this, _http, request, (Self: this, Model: model, Inputs: inputs, Base64: base64),
            static (bytes, response, state) => state.Self.Read(bytes, (int)response.StatusCode, state.Model, state.Inputs, state.Base64),
            cancellationToken);
    }

    ProviderError IHttpWire.ReadError(HttpResponseMessage response, byte[] body) =>
        GeminiErrors.FromResponse(response, body, _time, _endpoint.ApiKey);

    private static List<string>? Inputs(JsonNode? input, out bool batch)
    {
        batch = input is JsonArray;
        if (ChatRequestJson.Text(input) is { Length: > 0 } single)
        {
            return [single];
        }

        if (input is not JsonArray { Count: > 0 } array)
        {
            return null;
        }

        var inputs = new List<string>(array.Count);
        foreach (var item in array)
        {
            if (ChatRequestJson.Text(item) is not { Length: > 0 } text)
            {
                return null;
            }

            inputs.Add(text);
        }

        return inputs;
    }

    private static ReadOnlyMemory<byte> WriteRequest(string model, List<string> inputs, bool batch, long? dimensions)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (batch)
            {
                writer.WriteStartArray("requests");
                foreach (var input in inputs)
                {
                    writer.WriteStartObject();
                    WriteOne(writer, model, input, dimensions);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }
            else
            {
                WriteOne(writer, model, inputs[0], dimensions);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static void WriteOne(Utf8JsonWriter writer, string model, string input, long? dimensions)
    {
        writer.WriteString("model", "models/" + model);
        writer.WriteStartObject("content");
        writer.WriteStartArray("parts");
        writer.WriteStartObject();
        writer.WriteString("text", input);
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        if (dimensions is { } d)
        {
            writer.WriteNumber("outputDimensionality", d);
        }
    }

    private ProviderResult<EmbeddingsResponse> Read(ReadOnlyMemory<byte> body, int status, string model, List<string> inputs, bool base64)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var vectors = new List<JsonElement>(inputs.Count);
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("embeddings", out var many) && many.ValueKind == JsonValueKind.Array)
            {
                vectors.AddRange(many.EnumerateArray().Select(ValuesOf));
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("embedding", out var one))
            {
                vectors.Add(ValuesOf(one));
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out _))
            {
                return GeminiErrors.FromPayload(body.Span, _endpoint.ApiKey) with { StatusCode = status };
            }

            if (vectors.Count != inputs.Count || vectors.Any(v => v.ValueKind != JsonValueKind.Array))
            {
                return new ProviderError(ProviderErrorKind.MalformedResponse,
                    $"gemini answered {status} with {vectors.Count} embeddings for {inputs.Count} inputs.", status);
            }

            var usage = UsageOf(root, model, inputs);
            return ProviderResult<EmbeddingsResponse>.Success(new EmbeddingsResponse(ToOpenAI(vectors, model, usage.Meters.InputTokens, base64), usage));
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return new ProviderError(ProviderErrorKind.MalformedResponse, $"gemini answered {status} with a body that is not embeddings: {ex.Message}", status);
        }
    }

    private static JsonElement ValuesOf(JsonElement embedding) =>
        embedding.ValueKind == JsonValueKind.Object && embedding.TryGetProperty("values", out var values) ? values : default;

    // Gemini reports usageMetadata.promptTokenCount on some models; without it the count is Helix's own, flagged.
    private static UsageReport UsageOf(JsonElement root, string model, List<string> inputs)
    {
        if (root.TryGetProperty("usageMetadata", out var usage) && usage.ValueKind == JsonValueKind.Object
            && usage.TryGetProperty("promptTokenCount", out var prompt) && prompt.ValueKind == JsonValueKind.Number)
        {
            return new UsageReport(new UsageMeters { InputTokens = prompt.GetInt64() }, IsKnown: true, model);
        }

        long counted = 0;
        foreach (var input in inputs)
        {
            counted += Math.Max(1, (input.Length + 3) / 4);
        }

        return new UsageReport(new UsageMeters { InputTokens = counted }, IsKnown: false, model);
    }

    /// <summary>The OpenAI embeddings body: every field the OpenAI document requires (<c>object</c>, <c>data</c>, <c>model</c>, <c>usage</c>).</summary>
    private static ReadOnlyMemory<byte> ToOpenAI(List<JsonElement> vectors, string model, long promptTokens, bool base64)
    {
        var buffer = new ArrayBufferWriter<byte>(1024 + (vectors.Count * 4096));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (var i = 0; i < vectors.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                if (base64)
                {
                    var floats = new float[vectors[i].GetArrayLength()];
                    var j = 0;
                    foreach (var value in vectors[i].EnumerateArray())
                    {
                        floats[j++] = value.GetSingle();
                    }

                    writer.WriteBase64String("embedding", MemoryMarshal.AsBytes(floats.AsSpan()));
                }
                else
                {
                    writer.WritePropertyName("embedding");
                    vectors[i].WriteTo(writer);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", promptTokens);
            writer.WriteNumber("total_tokens", promptTokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }
}
