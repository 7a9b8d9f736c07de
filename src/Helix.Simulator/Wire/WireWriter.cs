using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text.Json;

namespace Helix.Simulator.Wire;

/// <summary>Writes one call's answer, a body or a stream of events, and plays the faults that corrupt an answer.</summary>
/// <remarks>
/// Not thread-safe: one per call. Each JSON document is written into a reused buffer and then copied to the
/// response, which is what lets <see cref="SimulatorFault.CutStream"/> and <see cref="SimulatorFault.MalformedJson"/>
/// cut a document in half. <see cref="SimulatorFault.CutStream"/> on a stream is the caller's to play
/// (it knows which event is half-way); here it only cuts a whole body.
/// </remarks>
internal sealed class WireWriter : IDisposable
{
    private static readonly TimeSpan s_keepAliveInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_cutGrace = TimeSpan.FromMilliseconds(50);

    private readonly HttpContext _context;
    private readonly SimulatorFault _fault;
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;
    private StreamFraming _framing;
    private int _events;

    public WireWriter(HttpContext context, SimulatorFault fault)
    {
        _context = context;
        _fault = fault;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Starts a new JSON document; the previous one is discarded.</summary>
    public Utf8JsonWriter StartJson()
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        return _json;
    }

    /// <summary>Sends the current JSON document as the whole body.</summary>
    public Task SendJsonAsync(int statusCode = StatusCodes.Status200OK)
    {
        _json.Flush();
        return SendBodyAsync(_buffer.WrittenMemory, "application/json", statusCode);
    }

    /// <summary>Sends a whole body: cut half-way with the connection closed, or truncated, when the fault says so.</summary>
    public async Task SendBodyAsync(ReadOnlyMemory<byte> body, string contentType, int statusCode = StatusCodes.Status200OK)
    {
        var response = _context.Response;
        var sent = _fault is SimulatorFault.CutStream or SimulatorFault.MalformedJson ? body[..(body.Length / 2)] : body;
        if (!response.HasStarted)
        {
            response.StatusCode = statusCode;
            response.ContentType = contentType;
            response.ContentLength = _fault is SimulatorFault.CutStream ? body.Length : sent.Length;
        }

        await response.Body.WriteAsync(sent, _context.RequestAborted);
        if (_fault is SimulatorFault.CutStream)
        {
            await CutAsync();
        }
    }

    /// <summary>Sends the status and headers of a stream.</summary>
    public Task StartStreamAsync(StreamFraming framing)
    {
        _framing = framing;
        var response = _context.Response;
        if (!response.HasStarted)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = framing is StreamFraming.JsonArray ? "application/json; charset=UTF-8" : "text/event-stream; charset=utf-8";
            response.Headers.CacheControl = "no-cache";
        }

        return response.StartAsync(_context.RequestAborted);
    }

    /// <summary>Sends the current JSON document as the next event of the stream.</summary>
    public ValueTask<FlushResult> SendEventAsync() => SendEventAsync(default);

    /// <summary>Sends the current JSON document as the next event, named <paramref name="eventName"/> (SSE only).</summary>
    public ValueTask<FlushResult> SendEventAsync(ReadOnlySpan<byte> eventName)
    {
        _json.Flush();
        var payload = _buffer.WrittenSpan;
        if (_fault is SimulatorFault.MalformedJson && _events == 0)
        {
            payload = payload[..(payload.Length / 2)];
        }

        var pipe = _context.Response.BodyWriter;
        switch (_framing)
        {
            case StreamFraming.JsonArray:
                pipe.Write(_events == 0 ? "["u8 : ",\r\n"u8);
                pipe.Write(payload);
                break;
            default:
                if (!eventName.IsEmpty)
                {
                    pipe.Write("event: "u8);
                    pipe.Write(eventName);
                    pipe.Write("\n"u8);
                }

                pipe.Write("data: "u8);
                pipe.Write(payload);
                pipe.Write(_framing is StreamFraming.SseCrlf ? "\r\n\r\n"u8 : "\n\n"u8);
                break;
        }

        _events++;
        return pipe.FlushAsync(_context.RequestAborted);
    }

    /// <summary>Sends bytes as they are (<c>data: [DONE]</c>, comments).</summary>
    public ValueTask<FlushResult> SendRawAsync(ReadOnlySpan<byte> bytes)
    {
        var pipe = _context.Response.BodyWriter;
        pipe.Write(bytes);
        return pipe.FlushAsync(_context.RequestAborted);
    }

    /// <summary>Ends a stream normally (closes a JSON array).</summary>
    public async Task EndStreamAsync()
    {
        if (_framing is StreamFraming.JsonArray)
        {
            await SendRawAsync(_events == 0 ? "[]"u8 : "]"u8);
        }
    }

    /// <summary>
    /// Holds the answer for <paramref name="latency"/> the way DeepSeek does under load: the status goes out at once,
    /// then SSE <c>: keep-alive</c> comments (a stream) or blank lines (a body) until the answer is ready.
    /// </summary>
    public async Task KeepAliveAsync(TimeSpan latency, bool stream)
    {
        var response = _context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = stream ? "text/event-stream; charset=utf-8" : "application/json";
        if (stream)
        {
            response.Headers.CacheControl = "no-cache";
        }

        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            await SendRawAsync(stream ? ": keep-alive\n\n"u8 : "\n"u8);
            var left = latency - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(left < s_keepAliveInterval ? left : s_keepAliveInterval, _context.RequestAborted);
        }
    }

    /// <summary>Closes the connection abruptly after what was already sent.</summary>
    public async Task CutAsync()
    {
        await _context.Response.Body.FlushAsync(_context.RequestAborted);

        // Aborting drops whatever the transport has not yet put on the socket, and a flush only hands bytes to the
        // transport; the pause lets what was "sent" reach the client before the connection breaks.
        await Task.Delay(s_cutGrace, _context.RequestAborted);
        _context.Abort();
    }

    public void Dispose() => _json.Dispose();
}
