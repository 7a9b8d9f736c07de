namespace Helix.Gateway.Configuration;

/// <summary>A setting the gateway cannot start with; the message names the key to fix.</summary>
/// <remarks>Caught by the entry point, which prints the message and exits with status 1, without a stack trace.</remarks>
internal sealed class GatewayConfigurationException : Exception
{
    public GatewayConfigurationException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    public GatewayConfigurationException()
    {
    }

    public GatewayConfigurationException(string message)
        : base(message)
    {
    }
}
