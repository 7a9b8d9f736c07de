using System.Text.Json.Serialization;

namespace Helix.Storage.Sqlite;

/// <summary>Source-generated JSON for the columns that hold JSON (fallback model lists).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class SqliteJsonContext : JsonSerializerContext;
