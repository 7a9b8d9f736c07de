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
            return IsWellFormed(operation, out error);
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
        return IsWellFormed(operation, out error);
    }

    /// <summary>
    /// Whether <paramref name="operation"/> can be an operation's name: 1 to <see cref="MaxLength"/> ASCII letters,
    /// digits, <c>-</c>, <c>_</c> or <c>.</c>. Checked before the name is written to a response header or logged.
    /// </summary>
    public static bool IsWellFormed(string operation, out GatewayError? error)
    {
        error = null;
        if (operation.Length is > 0 and <= MaxLength && !operation.AsSpan().ContainsAnyExcept(s_allowed))
        {
            return true;
        }

        error = GatewayError.InvalidRequest(
            $"An operation name is 1 to {MaxLength} characters among ASCII letters, digits, '-', '_' and '.'.");
        return false;
    }

    /// <summary>The longest operation name.</summary>
    public const int MaxLength = 64;

    private static readonly System.Buffers.SearchValues<char> s_allowed =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");
}
