namespace Helix.Cli;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C stops the command cleanly; a second one ends the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };

        return await HelixCli.RunAsync(args, Console.Out, Console.Error, null, null, Environment.GetEnvironmentVariable, cancellation.Token);
    }
}
