namespace Helix.Gateway.Configuration;

/// <summary>Settings the gateway cannot start with; each failure names the key to fix.</summary>
/// <remarks>Caught by the entry point, which prints the failures and exits with status 1, without a stack trace.</remarks>
internal sealed class GatewayConfigurationException : Exception
{
    public GatewayConfigurationException(IReadOnlyList<string> failures, Exception? innerException = null)
        : base(string.Join(" ", failures), innerException) => Failures = failures;

    public GatewayConfigurationException(string message, Exception? innerException)
        : this([message], innerException)
    {
    }

    public GatewayConfigurationException()
        : this(["The configuration is not valid."])
    {
    }

    public GatewayConfigurationException(string message)
        : this([message])
    {
    }

    /// <summary>Every failure, one key each.</summary>
    public IReadOnlyList<string> Failures { get; }
}
