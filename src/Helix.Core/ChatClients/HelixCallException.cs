using Helix.Core.Pipeline;

namespace Helix.Core.ChatClients;

/// <summary>Thrown by <see cref="HelixChatClient"/> when Helix refuses or cannot complete a call.</summary>
/// <remarks><c>IChatClient</c> has no error values, so the in-process entry turns the pipeline's <see cref="GatewayError"/> into this exception.</remarks>
public sealed class HelixCallException : Exception
{
    /// <summary>Creates the exception from the pipeline's error.</summary>
    public HelixCallException(GatewayError error)
        : base((error ?? throw new ArgumentNullException(nameof(error))).Message)
    {
        Error = error;
    }

    /// <summary>The error, with its stable code.</summary>
    public GatewayError Error { get; }
}
