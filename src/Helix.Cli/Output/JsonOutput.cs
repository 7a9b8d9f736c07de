using System.Text.Encodings.Web;
using System.Text.Json;

namespace Helix.Cli.Output;

/// <summary>How the CLI writes JSON: indented, and readable in a terminal (no \u escapes for '+' or non-ASCII).</summary>
internal static class JsonOutput
{
    public static JsonSerializerOptions Indented { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonWriterOptions WriterOptions { get; } = new()
    {
        Indented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
