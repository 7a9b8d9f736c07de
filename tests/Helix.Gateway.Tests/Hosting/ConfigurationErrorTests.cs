using System.Diagnostics;
using Helix.Gateway.Tests.Readme;
using Xunit;

namespace Helix.Gateway.Tests.Hosting;

/// <summary>A bad setting stops the real gateway process with status 1 and the key to fix, never a stack trace.</summary>
public sealed class ConfigurationErrorTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "--Helix:Resilience:AttemptTimeout=soon", "Helix:Resilience:AttemptTimeout" },
        { "--Helix:RefreshInterval=00:00:00", "Helix:RefreshInterval" },
        { "--Helix:Storage:Provider=postgres", "Helix:Storage:Provider" },
        { "--Helix:Providers:openia:ApiKey=x", "Helix:Providers:openia" },
        { "--Helix:Simulator:Port=70000", "Helix:Simulator:Port" },
        { "--Helix:Telemetry:OtlpEndpoint=collector:4317", "Set Helix:Telemetry:OtlpEndpoint to an absolute http or https URI" },
        { "--Helix:Resilience:AttemptTimeout=soon --Helix:Simulator:Port=-3 --Helix:RefreshInterval=00:00:00", "Helix:Resilience:AttemptTimeout|Helix:Simulator:Port|Helix:RefreshInterval" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadSetting_ExitsWithStatus1NamingEveryKey(string arguments, string keys)
    {
        var directory = Directory.CreateTempSubdirectory("helix-config-error-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(GatewayAssembly());
            start.ArgumentList.Add("--urls=http://127.0.0.1:0");
            start.ArgumentList.Add("--Helix:AdminKey=config-error-test-key-0123");
            foreach (var argument in arguments.Split(' '))
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(60));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stderr + await stdout;
            Assert.Equal(1, process.ExitCode);
            Assert.Contains("Helix cannot start", output, StringComparison.Ordinal);
            Assert.All(keys.Split('|'), key => Assert.Contains(key, output, StringComparison.Ordinal));
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
            Assert.DoesNotContain("Unhandled exception", output, StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string GatewayAssembly()
    {
        var configuration = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory)).Parent!.Name;
        return RepositoryFiles.PathOf("src", "Helix.Gateway", "bin", configuration, "net10.0", "Helix.Gateway.dll");
    }
}
