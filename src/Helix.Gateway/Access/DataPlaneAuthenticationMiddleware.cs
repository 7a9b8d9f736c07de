using Helix.Core.Pipeline;
using Helix.Core.Principals;
using Helix.Gateway.Admin;
using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane;

namespace Helix.Gateway.Access;

/// <summary>
/// Authenticates <c>/v1</c> calls: an <c>app</c> or <c>agent</c> key becomes the call's principal; once any such key
/// exists (or <c>Helix:DataPlane:RequireKey</c> is set) a call without a valid one gets 401 <c>unauthorized</c>; a
/// human key (viewer, operator, admin, the bootstrap admin key) gets 403 <c>forbidden</c>. Errors in the OpenAI shape.
/// </summary>
/// <remarks>
/// No I/O: keys come from the <see cref="KeyDirectory"/>'s snapshot. Before a key is required, a key that is not
/// Helix's is ignored (OpenAI SDKs always send one) and the call stays <see cref="Principal.Anonymous"/>. Which
/// operations a limited key may call is checked by routing, where the operation's canonical name is known.
/// </remarks>
internal sealed class DataPlaneAuthenticationMiddleware(RequestDelegate next, KeyDirectory keys, AdminKey bootstrap, GatewayOptions options)
{
    private const string Scheme = "Bearer ";

    public static bool Applies(HttpContext context) => context.Request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        string? header = context.Request.Headers.Authorization;
        var presented = header is not null && header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? header.AsSpan(Scheme.Length).Trim()
            : [];
        if (!presented.IsEmpty && keys.TryResolve(presented, out var entry))
        {
            if (!entry.Principal.Role.CallsDataPlane())
            {
                return RefuseHumanAsync(context);
            }

            context.SetPrincipal(entry.Principal);
            context.Features.Set(entry);
            return next(context);
        }

        if (!presented.IsEmpty && bootstrap.Matches(presented.ToString()))
        {
            return RefuseHumanAsync(context);
        }

        if (options.DataPlane.RequireKey || keys.HasDataPlaneKeys)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return WriteAsync(context, GatewayError.Unauthorized(presented.IsEmpty
                ? "This gateway needs an API key: send 'Authorization: Bearer <key>' with an app or agent key."
                : "The API key is not valid (unknown or revoked)."));
        }

        return next(context);
    }

    private static Task RefuseHumanAsync(HttpContext context) =>
        WriteAsync(context, GatewayError.Forbidden("This key is a person's key for the admin API; call /v1 with an app or agent key."));

    private static Task WriteAsync(HttpContext context, GatewayError error) => OpenAIErrors.From(error, context).ExecuteAsync(context);
}
