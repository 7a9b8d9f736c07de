using System.Buffers;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Providers;

namespace Helix.Gateway.DataPlane;

/// <summary>Reads a JSON request body within the configured size limit.</summary>
internal static class RequestBody
{
    // Duplicate keys are refused: which of two values counts would be up to each reader (and an upstream may disagree).
    private static readonly JsonDocumentOptions s_documentOptions = new() { AllowDuplicateProperties = false };

    public static async Task<(JsonObject? Body, string? Error, int Status)> ReadJsonObjectAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var (buffer, length, error, status) = await ReadRentedAsync(request, maxBytes, cancellationToken);
        if (buffer is null)
        {
            return (null, error, status);
        }

        // The bytes live only until they are parsed (the document keeps its own copy).
        try
        {
            return Parse(request.HttpContext, buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads and checks a chat request in one pass over its bytes, which the request keeps (and returns to the pool when disposed).</summary>
    public static async Task<(ChatRequest? Body, string? Error, int Status, string? Param)> ReadChatAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        var (buffer, length, error, status) = await ReadRentedAsync(request, maxBytes, cancellationToken);
        if (buffer is null)
        {
            return (null, error, status, null);
        }

        ChatRequest? body = null;
        try
        {
            var json = buffer.AsSpan(0, length);
            if (Check(request.HttpContext, json) is { } refused)
            {
                return (null, refused, 400, null);
            }

            body = ChatRequest.Read(buffer, length, rented: true, out var problem);
            return body is null ? (null, problem!.Message, 400, problem.Param) : (body, null, 200, null);
        }
        finally
        {
            if (body is null)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    // Rented, sized by Content-Length when it is given; the caller returns the buffer.
    private static async Task<(byte[]? Buffer, int Length, string? Error, int Status)> ReadRentedAsync(HttpRequest request, long maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, 0, TooLarge(maxBytes), 413);
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    buffer = Grow(buffer, length);
                }

                var read = await request.Body.ReadAsync(buffer.AsMemory(length), cancellationToken);
                if (read == 0)
                {
                    return (buffer, length, null, 200);
                }

                length += read;
                if (length > maxBytes)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0, TooLarge(maxBytes), 413);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return (null, 0, TooLarge(maxBytes), 413);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static byte[] Grow(byte[] buffer, int length)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(buffer.Length * 2, 8192));
        buffer.AsSpan(0, length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        return larger;
    }

    // What every JSON body must be before it is read: not empty, UTF-8, no lone surrogate escape. Hashes the bytes for the approval gate.
    private static string? Check(HttpContext context, ReadOnlySpan<byte> json)
    {
        if (json.IsEmpty)
        {
            return "The request body is empty; send a JSON object.";
        }

        ApprovalHeaders.SetBodyHash(context, json);
        if (!Utf8.IsValid(json))
        {
            return "The request body is not valid UTF-8.";
        }

        return HasLoneSurrogate(json)
            ? "The request body has a string with a lone surrogate (an unpaired \\uD800-\\uDFFF escape); it is not valid Unicode."
            : null;
    }

    private static (JsonObject? Body, string? Error, int Status) Parse(HttpContext context, ReadOnlySpan<byte> json)
    {
        if (Check(context, json) is { } refused)
        {
            return (null, refused, 400);
        }

        try
        {
            return JsonNode.Parse(json, null, s_documentOptions) is JsonObject body
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

        ApprovalHeaders.SetBodyHash(request.HttpContext, buffer.WrittenSpan);
        return (buffer, null, 200);
    }

    private static string TooLarge(long maxBytes) => $"The request body is larger than the limit of {maxBytes} bytes.";

    // Escaped surrogates are rare (ASCII-only encoders write emoji as pairs of them), so the full check, one forward
    // read of the tokens, runs only when the bytes hold such an escape.
    private static bool HasLoneSurrogate(ReadOnlySpan<byte> json)
    {
        if (!HasSurrogateEscape(json))
        {
            return false;
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = s_documentOptions.MaxDepth });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped)
                {
                    _ = reader.GetString();
                }
            }
        }
        catch (InvalidOperationException)
        {
            return true;
        }
        catch (JsonException)
        {
            // Malformed JSON: the parse that follows says so.
        }

        return false;
    }

    private static bool HasSurrogateEscape(ReadOnlySpan<byte> json)
    {
        while (true)
        {
            var at = json.IndexOf("\\u"u8);
            if (at < 0 || at + 4 > json.Length)
            {
                return false;
            }

            var high = json[at + 2] | 0x20;
            var next = json[at + 3] | 0x20;
            if (high == 'd' && next is (>= (byte)'8' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f'))
            {
                return true;
            }

            json = json[(at + 2)..];
        }
    }

}
