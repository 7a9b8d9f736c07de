using System.Globalization;

namespace Helix.Gateway;

/// <summary>Money on the wire: an exact decimal string, unrounded and without trailing zeros (never a JSON float).</summary>
internal static class Usd
{
    // decimal keeps at most 28 fractional digits, so this format never rounds.
    private const string Exact = "0.############################";

    public static string Format(decimal value) => value.ToString(Exact, CultureInfo.InvariantCulture);

    public static string? Format(decimal? value) => value is { } v ? Format(v) : null;

    /// <summary>Writes <see cref="Format(decimal)"/>'s text into <paramref name="destination"/>; <see langword="false"/> when it does not fit.</summary>
    public static bool TryFormat(decimal value, Span<char> destination, out int written) =>
        value.TryFormat(destination, out written, Exact, CultureInfo.InvariantCulture);
}
