using System.Buffers;
using System.Diagnostics;
using System.Text;

namespace Helix.LoadGenerator;

/// <summary>Sends one prepared chat completion call and reads its answer to the end, timing the first and last bytes.</summary>
internal sealed class Caller(HttpClient http, Uri url, IReadOnlyList<KeyValuePair<string, string>> headers)
{
    private static readonly byte[] Done = Encoding.ASCII.GetBytes("data: [DONE]\n\n");

    /// <summary>The body of a chat call for <paramref name="model"/>; the mock reads its delay from <c>delay_ms=</c>.</summary>
    public static byte[] Body(string model, int delayMs, bool stream) => Encoding.UTF8.GetBytes(
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Summarise the quarterly report in three bullet points. delay_ms="
        + delayMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\"}],\"max_tokens\":32"
        + (stream ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}}" : "}"));

    public async Task<CallOutcome> CallAsync(byte[] body, bool stream)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        foreach (var header in headers)
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            await using var content = await response.Content.ReadAsStreamAsync();
            var read = await content.ReadAsync(buffer);
            var first = Stopwatch.GetTimestamp();
            var tail = new byte[Done.Length];
            var tailLength = 0;
            while (read > 0)
            {
                tailLength = KeepTail(tail, tailLength, buffer.AsSpan(0, read));
                read = await content.ReadAsync(buffer);
            }

            var last = Stopwatch.GetTimestamp();
            var ok = response.IsSuccessStatusCode && (!stream || tail.AsSpan(0, tailLength).SequenceEqual(Done));
            return new CallOutcome(ok, first, last);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
        {
            var now = Stopwatch.GetTimestamp();
            return new CallOutcome(false, now, now);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static int KeepTail(byte[] tail, int length, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
            return tail.Length;
        }

        var keep = Math.Min(length, tail.Length - chunk.Length);
        tail.AsSpan(length - keep, keep).CopyTo(tail);
        chunk.CopyTo(tail.AsSpan(keep));
        return keep + chunk.Length;
    }
}
