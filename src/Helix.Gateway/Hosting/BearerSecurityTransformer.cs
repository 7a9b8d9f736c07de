using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Helix.Gateway.Hosting;

/// <summary>Declares the bearer scheme in the OpenAPI document: required on every admin operation, accepted on every <c>/v1</c> one.</summary>
/// <remarks>
/// The data plane takes calls without a key until the first <c>app</c> key exists, so a <c>/v1</c> operation lists
/// the bearer requirement and the empty one (<c>[{"bearer":[]},{}]</c>: either satisfies it).
/// </remarks>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    private const string SchemeName = "bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An API key. /admin/api: the admin key (Helix:AdminKey, or the key generated into data/admin-key) or a viewer, operator, " +
                "admin or agent key. /v1: an app or agent key, optional until the first app key exists.",
        };

        foreach (var (path, item) in document.Paths)
        {
            var admin = path.StartsWith("/admin/api", StringComparison.Ordinal);
            if (!admin && !path.StartsWith("/v1/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }

            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
                if (!admin)
                {
                    operation.Security.Add(new OpenApiSecurityRequirement());
                }
            }
        }

        return Task.CompletedTask;
    }
}
