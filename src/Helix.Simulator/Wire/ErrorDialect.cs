namespace Helix.Simulator.Wire;

/// <summary>Renders a <see cref="WireError"/> in one provider's own status codes, headers and body shape.</summary>
internal abstract class ErrorDialect
{
    /// <param name="context">The call; its response has not started.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="requestId">The provider request id of the call (some shapes repeat it in the body).</param>
    /// <param name="model">The requested model, for messages.</param>
    /// <param name="retryAfterSeconds">The delay a rate-limit answer asks for.</param>
    /// <param name="message">A specific message (invalid requests); <see langword="null"/> uses the provider's usual one.</param>
    public abstract Task WriteAsync(
        HttpContext context, WireError error, string requestId, string model, int retryAfterSeconds, string? message = null);

    /// <summary>Sends an invalid-request answer.</summary>
    public Task RejectAsync(HttpContext context, string requestId, string message) =>
        WriteAsync(context, WireError.InvalidRequest, requestId, string.Empty, 0, message);
}
