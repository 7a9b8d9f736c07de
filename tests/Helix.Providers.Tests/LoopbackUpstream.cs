using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Helix.Providers.Tests;

/// <summary>A real HTTP server on 127.0.0.1 that plays a recorded upstream and records what it was sent.</summary>
/// <remarks>Each test starts its own; the handler decides the answer, including faults (status codes, torn streams).</remarks>
internal sealed class LoopbackUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private LoopbackUpstream(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    public static async Task<LoopbackUpstream> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var upstream = new LoopbackUpstream(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            upstream._received.Enqueue(new ReceivedRequest(
                context.Request.Method,
                context.Request.Path + context.Request.QueryString,
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body.ToArray()));
            await handler(context);
        });
        await app.StartAsync(TestContext.Current.CancellationToken);
        upstream.BaseUrl = new Uri(app.Urls.Single());
        return upstream;
    }

    /// <summary>Answers with a JSON body.</summary>
    public static Func<HttpContext, Task> Json(byte[] body, int status = 200, params (string Name, string Value)[] headers) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    };

    /// <summary>Answers with a JSON body given as text.</summary>
    public static Func<HttpContext, Task> Json(string body, int status = 200, params (string Name, string Value)[] headers) =>
        Json(Encoding.UTF8.GetBytes(body), status, headers);

    /// <summary>Streams an SSE transcript line by line, flushing each; <paramref name="abortAfter"/> tears the connection instead of ending it.</summary>
    public static Func<HttpContext, Task> Sse(string transcript, bool abortAfter = false) => async context =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        var lines = transcript.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            await context.Response.WriteAsync(i < lines.Length - 1 ? lines[i] + "\n" : lines[i], context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }

        if (abortAfter)
        {
            // Let the client read what was sent before the connection is torn.
            await Task.Delay(50, context.RequestAborted);
            context.Abort();
        }
    };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}

/// <summary>One request the upstream received.</summary>
internal sealed record ReceivedRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}
