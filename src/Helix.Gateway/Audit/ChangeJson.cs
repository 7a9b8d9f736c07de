using System.Text.Json;

namespace Helix.Gateway.Audit;

/// <summary>How things are written as the before and after of a change: the admin API's own JSON (camelCase, nulls kept out).</summary>
internal static class ChangeJson
{
    private static readonly JsonSerializerOptions s_options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    public static string? Of<T>(T? value) => value is null ? null : JsonSerializer.Serialize(value, s_options);

    public static string Of<T>(T value, JsonSerializerOptions options) => JsonSerializer.Serialize(value, options);
}
