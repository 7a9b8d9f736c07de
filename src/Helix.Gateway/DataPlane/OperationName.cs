using System.Text.Json.Nodes;
using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>Finds the operation a data-plane call names: <c>X-Helix-Operation</c>, else <c>model: "op:&lt;name&gt;"</c>.</summary>
internal static class OperationName
{
    public static bool TryResolve(HttpRequest request, JsonObject body, out string operation, out GatewayError? error)
    {
        error = null;
        if (request.Headers.TryGetValue(HelixHeaders.Operation, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            operation = header.ToString().Trim();
            return true;
        }

        var model = body["model"] is JsonValue value && value.TryGetValue<string>(out var text) ? text.Trim() : null;
        if (string.IsNullOrEmpty(model))
        {
            operation = string.Empty;
            error = GatewayError.InvalidRequest("Name the operation: set model to \"op:<operation>\" or send the X-Helix-Operation header.");
            return false;
        }

        operation = model.StartsWith(HelixHeaders.OperationPrefix, StringComparison.OrdinalIgnoreCase)
            ? model[HelixHeaders.OperationPrefix.Length..]
            : model;
        return true;
    }
}
