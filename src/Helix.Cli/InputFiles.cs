namespace Helix.Cli;

/// <summary>Reads the files named on the command line, with messages that name the file and the option.</summary>
internal static class InputFiles
{
    /// <exception cref="CliFailure">The file cannot be read.</exception>
    public static async Task<byte[]> ReadBytesAsync(string path, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CliFailure($"Cannot read {what} '{path}': {Reason(ex)}");
        }
    }

    /// <exception cref="CliFailure">The file cannot be read.</exception>
    public static async Task<string> ReadTextAsync(string path, string what, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CliFailure($"Cannot read {what} '{path}': {Reason(ex)}");
        }
    }

    private static string Reason(Exception ex) => ex switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file.",
        UnauthorizedAccessException => "permission denied.",
        _ => ex.Message,
    };
}
