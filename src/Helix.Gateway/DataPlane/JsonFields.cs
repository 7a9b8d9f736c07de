using System.Text.Json;
using System.Text.Json.Nodes;

namespace Helix.Gateway.DataPlane;

/// <summary>Reads optional request fields with their JSON type checked: a field of the wrong type is an error, <c>null</c> is absent.</summary>
internal static class JsonFields
{
    public static bool TryString(JsonObject body, string name, out string? value)
    {
        value = null;
        switch (body[name])
        {
            case null:
                return true;
            case JsonValue node when node.GetValueKind() == JsonValueKind.String:
                value = node.GetValue<string>();
                return true;
            default:
                return false;
        }
    }

    public static bool TryNumber(JsonObject body, string name, out double? value)
    {
        value = null;
        switch (body[name])
        {
            case null:
                return true;
            case JsonValue node when node.GetValueKind() == JsonValueKind.Number && node.TryGetValue<double>(out var number):
                value = number;
                return true;
            default:
                return false;
        }
    }

    public static bool TryInteger(JsonObject body, string name, out long? value)
    {
        value = null;
        switch (body[name])
        {
            case null:
                return true;
            case JsonValue node when node.GetValueKind() == JsonValueKind.Number && node.TryGetValue<long>(out var number):
                value = number;
                return true;
            case JsonValue node when node.GetValueKind() == JsonValueKind.Number && node.TryGetValue<double>(out var real) && real == Math.Floor(real) && Math.Abs(real) < 1e15:
                value = (long)real;
                return true;
            default:
                return false;
        }
    }
}
