using Helix.Core.Routing;
using Helix.Gateway.Access;

namespace Helix.Gateway.DataPlane;

/// <summary><c>GET /v1/models</c>: every enabled operation the caller may call, as an OpenAI model <c>op:&lt;name&gt;</c>.</summary>
internal static class ModelsEndpoint
{
    public static IResult Handle(HttpContext context, RouteTable routes)
    {
        var principal = context.GetPrincipal();
        var data = routes.Current.Routes
            .Where(r => r.Enabled && principal.MayCall(r.Operation))
            .Select(r => new ModelItem($"{HelixHeaders.OperationPrefix}{r.Operation}", "model", r.UpdatedAt.ToUnixTimeSeconds(), "helix"))
            .ToArray();
        return Results.Json(new ModelList("list", data));
    }

    internal sealed record ModelList(string Object, ModelItem[] Data);

    internal sealed record ModelItem(string Id, string Object, long Created, [property: System.Text.Json.Serialization.JsonPropertyName("owned_by")] string OwnedBy);
}
