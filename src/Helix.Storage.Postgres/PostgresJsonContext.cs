using System.Text.Json.Serialization;

namespace Helix.Storage.Postgres;

/// <summary>Source-generated JSON for the columns that hold JSON (fallback model lists).</summary>
[JsonSerializable(typeof(IReadOnlyList<string>))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class PostgresJsonContext : JsonSerializerContext;
