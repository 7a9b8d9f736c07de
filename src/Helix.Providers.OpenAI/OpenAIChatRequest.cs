using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Providers;

namespace Helix.Providers.OpenAI;

/// <summary>Writes the caller's request for an OpenAI-compatible upstream, unknown fields intact.</summary>
/// <remarks>
/// A chat request is its bytes passed through (<see cref="ChatRequest.WriteUpstreamJson"/>): no document is built. A
/// request that is a document (embeddings) is written from it. Only <c>model</c> is replaced. A stream always asks for usage (<c>"stream":true</c> and
/// <c>stream_options.include_usage</c>, merged into the caller's options), so a streamed call is never priced
/// blind; a non-streamed call drops <c>stream_options</c>, which upstreams reject without <c>stream</c>.
/// The request object is only read, never mutated. Thread-safe for distinct requests.
/// </remarks>
internal static class OpenAIChatRequest
{
    public static ReadOnlyMemory<byte> Write(ChatRequest request, string model, bool stream) =>
        request.WriteUpstreamJson(model, stream);

    public static ReadOnlyMemory<byte> Write(JsonObject request, string model, bool stream)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (!request.ContainsKey("model"))
            {
                writer.WriteString("model", model);
            }

            foreach (var (name, value) in request)
            {
                switch (name)
                {
                    case "model":
                        writer.WriteString("model", model);
                        break;
                    case "stream":
                        writer.WriteBoolean("stream", stream);
                        break;
                    case "stream_options":
                        if (stream)
                        {
                            WriteStreamOptions(writer, value as JsonObject);
                        }

                        break;
                    default:
                        writer.WritePropertyName(name);
                        WriteValue(writer, value);
                        break;
                }
            }

            if (stream && !request.ContainsKey("stream"))
            {
                writer.WriteBoolean("stream", true);
            }

            if (stream && !request.ContainsKey("stream_options"))
            {
                WriteStreamOptions(writer, callerOptions: null);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static void WriteStreamOptions(Utf8JsonWriter writer, JsonObject? callerOptions)
    {
        writer.WriteStartObject("stream_options");
        if (callerOptions is not null)
        {
            foreach (var (name, value) in callerOptions)
            {
                if (name != "include_usage")
                {
                    writer.WritePropertyName(name);
                    WriteValue(writer, value);
                }
            }
        }

        writer.WriteBoolean("include_usage", true);
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonNode? value)
    {
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
