using Helix.Core.Routing;

namespace Helix.Gateway.DataPlane;

/// <summary><c>GET /v1/models</c>: every enabled operation as an OpenAI model <c>op:&lt;name&gt;</c>.</summary>
internal static class ModelsEndpoint
{
    public static IResult Handle(RouteTable routes)
    {
        var data = routes.Current.Routes
            .Where(r => r.Enabled)
            .Select(r => new ModelItem($"{HelixHeaders.OperationPrefix}{r.Operation}", "model", r.UpdatedAt.ToUnixTimeSeconds(), "helix"))
            .ToArray();
        return Results.Json(new ModelList("list", data));
    }

    internal sealed record ModelList(string Object, ModelItem[] Data);

    internal sealed record ModelItem(string Id, string Object, long Created, [property: System.Text.Json.Serialization.JsonPropertyName("owned_by")] string OwnedBy);
}
