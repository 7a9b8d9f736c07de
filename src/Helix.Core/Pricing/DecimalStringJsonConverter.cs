using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Helix.Core.Pricing;

/// <summary>
/// Writes a <see cref="decimal"/> as an exact JSON string (<c>"0.000007"</c>), never a JSON number a reader could
/// turn into a binary float; reads a string or a number.
/// </summary>
/// <remarks>
/// Thread-safe and stateless. The string keeps every significant digit and drops trailing zeros; reading numbers too
/// keeps documents written before money became strings readable.
/// </remarks>
public sealed class DecimalStringJsonConverter : JsonConverter<decimal>
{
    // decimal keeps at most 28 fractional digits, so this format never rounds.
    private const string Exact = "0.############################";

    /// <summary>The shared instance.</summary>
    public static DecimalStringJsonConverter Instance { get; } = new();

    /// <summary>Formats <paramref name="value"/> as the converter writes it.</summary>
    public static string Format(decimal value) => value.ToString(Exact, CultureInfo.InvariantCulture);

    /// <inheritdoc/>
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.GetDecimal();
        }

        if (reader.TokenType == JsonTokenType.String
            && decimal.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        throw new JsonException("Expected a decimal as a string or a number.");
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(Format(value));
    }
}
