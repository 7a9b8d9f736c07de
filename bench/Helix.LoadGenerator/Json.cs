using System.Text.Json;

namespace Helix.LoadGenerator;

/// <summary>The JSON settings of the suite's result files and the committed baseline.</summary>
internal static class Json
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static SuiteResult Read(string path) =>
        JsonSerializer.Deserialize<SuiteResult>(File.ReadAllText(path), Options)
        ?? throw new InvalidDataException($"{path} holds no suite result.");
}
