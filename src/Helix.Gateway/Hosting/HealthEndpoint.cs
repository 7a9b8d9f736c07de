using Helix.Core.OperationLog;

namespace Helix.Gateway.Hosting;

/// <summary><c>GET /healthz</c>: 200 once routes and prices are loaded and the operation log's store takes writes; 503 otherwise.</summary>
/// <remarks>
/// The store's state is the writer's: a failed commit or probe makes it 503 at once. With no commit in the last
/// second the endpoint probes the store with a write that leaves no trace (so a database that turned read-only or
/// full between calls is noticed), through the writer, in turn with the commits.
/// </remarks>
internal static class HealthEndpoint
{
    private static readonly TimeSpan s_freshFor = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_probeTimeout = TimeSpan.FromSeconds(2);

    public static async Task<IResult> HandleAsync(OperationLogWriter writer, CancellationToken cancellationToken)
    {
        if (writer.IsStoreAvailable && writer.SinceLastSuccess > s_freshFor)
        {
            try
            {
                await writer.ProbeAsync().WaitAsync(s_probeTimeout, cancellationToken);
            }
            catch (Exception ex) when (ex is StoreUnavailableException or TimeoutException)
            {
                return Unavailable(writer);
            }
        }

        return writer.IsStoreAvailable ? Results.Text("ok") : Unavailable(writer);
    }

    private static IResult Unavailable(OperationLogWriter writer) => Results.Text(
        $"store unavailable: the operation log's store does not take writes; calls are refused with 503 ({writer.HeldRows} rows held until it recovers)",
        statusCode: StatusCodes.Status503ServiceUnavailable);
}
