using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Helix.Gateway.Tests.Durability;

/// <summary>The gateway as a real OS process (built output of src/Helix.Gateway), so a test can SIGKILL it.</summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly Process _process;

    private GatewayProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static Task<GatewayProcess> StartAsync(string dataDirectory, string adminKey, CancellationToken cancellationToken) =>
        StartAsync(dataDirectory, adminKey, new Dictionary<string, string>(), cancellationToken);

    /// <summary>Starts the gateway with <paramref name="environment"/> added to (or overriding) the defaults.</summary>
    public static async Task<GatewayProcess> StartAsync(
        string dataDirectory, string adminKey, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        var port = FreePort();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dataDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(GatewayAssembly());
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(baseAddress.ToString());
        start.Environment["Helix__AdminKey"] = adminKey;
        start.Environment["Helix__Storage__ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "helix.db")}";
        start.Environment["Helix__Simulator__Enabled"] = "true";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("The gateway process did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var gateway = new GatewayProcess(process, baseAddress);
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited with code {process.ExitCode} during start-up.");
            }

            try
            {
                using var health = await http.GetAsync("/healthz", cancellationToken);
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(100, cancellationToken);
        }

        await gateway.DisposeAsync();
        throw new TimeoutException("The gateway did not answer /healthz within 60 s.");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, nothing graceful.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private static string GatewayAssembly()
    {
        var testOutput = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var configuration = testOutput.Parent!.Name; // tests/X/bin/<Configuration>/net10.0
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Helix.slnx")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Helix.slnx not found above the test output."),
            "src", "Helix.Gateway", "bin", configuration, "net10.0", "Helix.Gateway.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/Helix.Gateway ({configuration}) first: {path} is missing.", path);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
