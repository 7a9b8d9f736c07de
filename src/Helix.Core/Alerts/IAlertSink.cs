namespace Helix.Core.Alerts;

/// <summary>Where alerts go (the log by default; Discord, Slack or a webhook when configured).</summary>
/// <remarks>Called on the request path: implementations must not block; queue and deliver in the background.</remarks>
public interface IAlertSink
{
    /// <summary>Raises an alert.</summary>
    void Raise(Alert alert);
}
