using Helix.Core.Hosting;

namespace Helix.Gateway.Hosting;

/// <summary>Holds requests until routes and prices are in memory, so no call sees an empty snapshot.</summary>
/// <remarks>Once ready, the check is one completed-task test per request.</remarks>
internal sealed class ReadinessMiddleware(RequestDelegate next, HelixInitializer initializer)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var ready = initializer.Ready;
        if (!ready.IsCompletedSuccessfully)
        {
            await ready.WaitAsync(context.RequestAborted);
        }

        await next(context);
    }
}
