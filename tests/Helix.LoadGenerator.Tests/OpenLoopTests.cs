using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Helix.LoadGenerator.Tests;

/// <summary>The paced load charges a target's stall to every call that was due during it (no coordinated omission).</summary>
public sealed class OpenLoopTests
{
    [Fact]
    public async Task Stall_IsChargedToEveryCallDueDuringIt_NotOnlyToTheOneInFlight()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var stallUntil = 0L;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            // Every call that arrives while the upstream stalls waits until the stall ends.
            var left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), Interlocked.Read(ref stallUntil));
            if (left > TimeSpan.Zero)
            {
                await Task.Delay(left, context.RequestAborted);
            }

            await context.Response.WriteAsync("{}", context.RequestAborted);
        });
        await app.StartAsync(cancellationToken);
        var url = new Uri(app.Urls.Single() + "/v1/chat/completions");
        using var http = new HttpClient();
        var caller = new Caller(http, url, []);
        var body = Caller.Body("m", 0, stream: false);
        var probe = new TargetProbe(null, null, 100);

        // 200 calls a second for 0.2 s of warm-up and 2 s measured; the upstream stalls for 600 ms from 0.7 s in, so
        // about 120 of the 400 measured calls are due during the stall; each of them waits for its end.
        var stall = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(700), cancellationToken);
            Interlocked.Exchange(ref stallUntil, Stopwatch.GetTimestamp() + Stopwatch.Frequency * 6 / 10);
        }, cancellationToken);
        var step = await OpenLoop.RunAsync(caller, body, 200, TimeSpan.FromSeconds(0.2), TimeSpan.FromSeconds(2), probe);
        await stall;

        Assert.Equal(0, step.Errors);
        Assert.Equal(400, step.Requests);
        // A closed loop (or timing from the actual send after waiting for a free caller) would see one slow call; the
        // paced load sees a quarter of them slow, the worst by about the whole stall.
        Assert.True(step.P99 >= 400, $"p99 {step.P99} ms: the stall was not charged to the calls due during it.");
        Assert.True(step.P999 >= 500, $"p99.9 {step.P999} ms");
        await app.StopAsync(cancellationToken);
    }
}
