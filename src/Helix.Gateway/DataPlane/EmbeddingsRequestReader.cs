using System.Text.Json;
using System.Text.Json.Nodes;
using Helix.Core.Pipeline;
using Helix.Core.Routing;
using Helix.Gateway.Access;
using Helix.Gateway.Configuration;

namespace Helix.Gateway.DataPlane;

/// <summary>Reads and validates a <c>POST /v1/embeddings</c> body (OpenAI's <c>CreateEmbeddingRequest</c>) before anything is routed.</summary>
/// <remarks>
/// <c>input</c> is a non-empty string, an array of 1 to 2048 non-empty strings, an array of token ids, or an array of
/// such arrays; <c>dimensions</c> a positive integer; <c>encoding_format</c> <c>float</c> or <c>base64</c>.
/// </remarks>
internal static class EmbeddingsRequestReader
{
    /// <summary>OpenAI's limit on the inputs of one call.</summary>
    public const int MaxInputs = 2048;

    private const string InputShape = "'input' must be a non-empty string, an array of non-empty strings, an array of token ids, or an array of arrays of token ids";

    public static async Task<Checked<EmbeddingsRequest>> ReadAsync(HttpContext context, RouteTable routes, GatewayOptions options, CancellationToken cancellationToken)
    {
        var (body, error, status) = await RequestBody.ReadJsonObjectAsync(context.Request, options.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return Checked<EmbeddingsRequest>.Invalid(error!, null, statusCode: status);
        }

        return Validate(context.Request, body, routes);
    }

    public static Checked<EmbeddingsRequest> Validate(HttpRequest http, JsonObject body, RouteTable routes)
    {
        if (!OperationName.TryResolve(http, body, out var operation, out var operationError))
        {
            return Checked<EmbeddingsRequest>.Fail(operationError!, "model");
        }

        var route = OperationRoute.Resolve(routes, operation, Modality.Embeddings);
        if (!route.IsValid)
        {
            return Checked<EmbeddingsRequest>.Fail(route.Error, route.Param);
        }

        var count = CountInputs(body["input"], out var inputError);
        if (inputError is not null)
        {
            return Checked<EmbeddingsRequest>.Invalid(inputError, "input");
        }

        if (!JsonFields.TryInteger(body, "dimensions", out var dimensions) || dimensions < 1)
        {
            return Checked<EmbeddingsRequest>.Invalid("'dimensions' must be a positive integer.", "dimensions");
        }

        if (!JsonFields.TryString(body, "encoding_format", out var encoding) || encoding is not (null or "float" or "base64"))
        {
            return Checked<EmbeddingsRequest>.Invalid("'encoding_format' must be \"float\" or \"base64\".", "encoding_format");
        }

        if (!JsonFields.TryString(body, "user", out var user) || user?.Length > EndUser.MaxLength)
        {
            return Checked<EmbeddingsRequest>.Invalid($"'user' must be a string of at most {EndUser.MaxLength} characters.", "user");
        }

        var request = new OperationRequest
        {
            Operation = route.Value.Route.Operation,
            RequestId = RequestIds.New(),
            Principal = http.HttpContext.GetPrincipal(),
            User = EndUser.Read(http, user),
            RequestHash = ApprovalHeaders.BodyHashOf(http.HttpContext),
            ApprovalId = ApprovalHeaders.Id(http),
            ApprovalWait = ApprovalHeaders.WaitFor(http),
        };
        return new EmbeddingsRequest(request, route.Value, body, count);
    }

    private static int CountInputs(JsonNode? input, out string? error)
    {
        error = null;
        switch (input)
        {
            case JsonValue text when text.GetValueKind() == JsonValueKind.String:
                if (text.GetValue<string>().Length == 0)
                {
                    error = $"{InputShape}; it is an empty string.";
                }

                return 1;
            case JsonArray { Count: 0 }:
                error = $"{InputShape}; it is an empty array.";
                return 0;
            case JsonArray { Count: > MaxInputs } many:
                error = $"'input' holds {many.Count} items; the limit is {MaxInputs} per call.";
                return 0;
            case JsonArray items when IsTokenArray(items):
                return 1;
            case JsonArray items:
                foreach (var item in items)
                {
                    var ok = item switch
                    {
                        JsonValue s when s.GetValueKind() == JsonValueKind.String => s.GetValue<string>().Length > 0,
                        JsonArray tokens => tokens.Count > 0 && IsTokenArray(tokens),
                        _ => false,
                    };
                    if (!ok)
                    {
                        error = $"{InputShape}; mixed, empty or other items are not.";
                        return 0;
                    }
                }

                if (items.Any(i => i is JsonArray) && !items.All(i => i is JsonArray))
                {
                    error = $"{InputShape}; strings and token arrays cannot be mixed.";
                    return 0;
                }

                return items.Count;
            case null:
                error = $"{InputShape}; it is missing.";
                return 0;
            default:
                error = $"{InputShape}.";
                return 0;
        }
    }

    private static bool IsTokenArray(JsonArray items)
    {
        foreach (var item in items)
        {
            if (item is not JsonValue value || value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<long>(out var token) || token < 0)
            {
                return false;
            }
        }

        return items.Count > 0;
    }
}
