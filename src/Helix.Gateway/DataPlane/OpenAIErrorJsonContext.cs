using System.Text.Json.Serialization;

namespace Helix.Gateway.DataPlane;

/// <summary>Source-generated serialization of the OpenAI error shape (no reflection on the error path).</summary>
[JsonSerializable(typeof(OpenAIErrors.ErrorBody))]
[JsonSerializable(typeof(OpenAIErrors.ApprovalErrorBody))]
internal sealed partial class OpenAIErrorJsonContext : JsonSerializerContext;
