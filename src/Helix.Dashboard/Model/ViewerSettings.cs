namespace Helix.Dashboard.Model;

/// <summary>One viewer's display choices for the length of their session (a circuit): time zone, range and theme.</summary>
/// <remarks>Scoped to the circuit; not thread-safe (Blazor runs a circuit's events one at a time).</remarks>
public sealed class ViewerSettings
{
    private TimeZoneInfo _zone = TimeZoneInfo.Utc;

    /// <summary>Raised when a setting changes.</summary>
    public event Action? Changed;

    /// <summary>The viewer's time zone (UTC until chosen).</summary>
    public TimeZoneInfo Zone => _zone;

    /// <summary>The range pages show.</summary>
    public RangeKind Range { get; private set; } = RangeKind.Day;

    /// <summary>Whether the dark theme is on.</summary>
    public bool DarkMode { get; private set; }

    /// <summary>The IANA (or system) ids a viewer can choose from.</summary>
    public static IReadOnlyList<string> ZoneIds { get; } =
        [.. TimeZoneInfo.GetSystemTimeZones().Select(z => z.Id).Where(id => id.Contains('/', StringComparison.Ordinal) || id == "UTC").Order(StringComparer.Ordinal)];

    /// <summary>Chooses the time zone by id; false when unknown.</summary>
    public bool SetZone(string id)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return false;
        }

        _zone = zone;
        Changed?.Invoke();
        return true;
    }

    /// <summary>Chooses the range.</summary>
    public void SetRange(RangeKind range)
    {
        Range = range;
        Changed?.Invoke();
    }

    /// <summary>Turns the dark theme on or off.</summary>
    public void SetDarkMode(bool on)
    {
        DarkMode = on;
        Changed?.Invoke();
    }
}
