using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Helix.Cli.Tests;

/// <summary>A stand-in for the gateway's admin API on loopback: records each request and answers with canned JSON.</summary>
internal sealed class FakeAdminApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<RecordedRequest> _requests = [];

    private FakeAdminApi(WebApplication app, int status, string body)
    {
        _app = app;
        Status = status;
        Body = body;
    }

    /// <summary>The status code answered.</summary>
    public int Status { get; set; }

    /// <summary>The JSON body answered.</summary>
    public string Body { get; set; }

    /// <summary>The base URL to give the CLI.</summary>
    public string Url { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeAdminApi> StartAsync(string body, int status = 200)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeAdminApi(app, status, body);
        app.Map("/{**path}", fake.HandleAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        fake.Url = addresses.Addresses.Single();
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        lock (_requests)
        {
            _requests.Add(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.Authorization.ToString(),
                context.Request.ContentType,
                buffer.ToArray()));
        }

        context.Response.StatusCode = Status;
        context.Response.ContentType = Status >= 400 ? "application/problem+json" : "application/json";
        await context.Response.WriteAsync(Body, Encoding.UTF8, context.RequestAborted);
    }
}

/// <summary>One request the fake received.</summary>
internal sealed record RecordedRequest(string Method, string Path, string Query, string Authorization, string? ContentType, byte[] Body)
{
    public IReadOnlyDictionary<string, string> QueryValues =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(Query).ToDictionary(p => p.Key, p => p.Value.ToString());
}
