using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helix.Gateway.DataPlane;

/// <summary>Reads a JSON request body within the configured size limit.</summary>
internal static class RequestBody
{
    public static async Task<(JsonObject? Body, string? Error, int Status)> ReadJsonObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, $"The request body is larger than the limit of {maxBytes} bytes.", 413);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (null, $"The request body is larger than the limit of {maxBytes} bytes.", 413);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, $"The request body is larger than the limit of {maxBytes} bytes.", 413);
        }

        if (buffer.WrittenCount == 0)
        {
            return (null, "The request body is empty; send a JSON object.", 400);
        }

        try
        {
            return JsonNode.Parse(buffer.WrittenSpan) is JsonObject body
                ? (body, null, 200)
                : (null, "The request body must be a JSON object.", 400);
        }
        catch (JsonException ex)
        {
            return (null, $"The request body is not valid JSON: {ex.Message}", 400);
        }
    }

    /// <summary>Reads the whole body into memory, refusing (413) a body over <paramref name="maxBytes"/> before reading it when it says its length.</summary>
    public static async Task<(ArrayBufferWriter<byte>? Body, string? Error, int Status)> ReadBytesAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes), 413);
        }

        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        try
        {
            while (true)
            {
                var memory = buffer.GetMemory(8192);
                var read = await request.Body.ReadAsync(memory, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return (null, TooLarge(maxBytes), 413);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(maxBytes), 413);
        }

        return (buffer, null, 200);
    }

    private static string TooLarge(long maxBytes) => $"The request body is larger than the limit of {maxBytes} bytes.";
}
