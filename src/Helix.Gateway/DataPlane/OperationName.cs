using System.Text.Json.Nodes;
using Helix.Core.Pipeline;

namespace Helix.Gateway.DataPlane;

/// <summary>Finds the operation a data-plane call names: <c>X-Helix-Operation</c>, else <c>model: "op:&lt;name&gt;"</c>.</summary>
internal static class OperationName
{
    public static bool TryResolve(HttpRequest request, JsonObject body, out string operation, out GatewayError? error) =>
        TryResolve(request, body["model"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null, out operation, out error);

    /// <param name="request">The call, for its <c>X-Helix-Operation</c> header.</param>
    /// <param name="model">The request's <c>model</c> field (a JSON property or a multipart form field).</param>
    /// <param name="operation">The operation named.</param>
    /// <param name="error">Why none is named.</param>
    public static bool TryResolve(HttpRequest request, string? model, out string operation, out GatewayError? error)
    {
        error = null;
        if (request.Headers.TryGetValue(HelixHeaders.Operation, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            operation = header.ToString().Trim();
            return true;
        }

        model = model?.Trim();
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
