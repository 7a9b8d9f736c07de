using System.Globalization;

namespace Helix.Core.Resilience;

/// <summary>A message that names a duration in seconds, made once per duration rather than once per call.</summary>
/// <remarks>Thread-safe: racing callers may each make the text once; every one gets an equal text.</remarks>
internal sealed class SecondsMessage(string format)
{
    private Entry? _last;

    /// <summary>The message for <paramref name="duration"/> (<c>{0}</c> in the format is its seconds, as <c>0.#</c>).</summary>
    public string For(TimeSpan duration)
    {
        var last = _last;
        if (last is not null && last.Duration == duration)
        {
            return last.Text;
        }

        var entry = new Entry(duration, string.Format(CultureInfo.InvariantCulture, format, duration.TotalSeconds));
        _last = entry;
        return entry.Text;
    }

    private sealed record Entry(TimeSpan Duration, string Text);
}
