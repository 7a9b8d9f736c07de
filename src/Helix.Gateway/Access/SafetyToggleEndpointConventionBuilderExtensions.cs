using Helix.Core.Principals;
using Helix.Core.Toggles;

namespace Helix.Gateway.Access;

/// <summary>Makes an admin endpoint refuse agent principals while a locked safety toggle says so.</summary>
/// <remarks>
/// Defence in depth beyond roles: an endpoint whose access admits no agent still refuses one here, should a role
/// or a key ever be misconfigured. The toggle is read from <see cref="SafetyToggles"/> on each request (memory only).
/// </remarks>
public static class SafetyToggleEndpointConventionBuilderExtensions
{
    /// <summary>Answers 403 ProblemDetails (code <c>forbidden_by_safety_toggle</c>) to an agent while the locked toggle <paramref name="safetyToggle"/> is enabled.</summary>
    /// <param name="builder">The endpoint(s).</param>
    /// <param name="safetyToggle">The locked toggle, such as <see cref="ToggleNames.AgentsCannotChangeRoutes"/>.</param>
    public static TBuilder RefuseAgentsWhile<TBuilder>(this TBuilder builder, string safetyToggle)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(safetyToggle);
        return builder.AddEndpointFilter(async (invocation, next) =>
        {
            var http = invocation.HttpContext;
            if (http.GetPrincipal().Role == PrincipalRole.Agent
                && http.RequestServices.GetRequiredService<SafetyToggles>().IsEnabled(safetyToggle))
            {
                return Results.Problem(
                    title: "Forbidden",
                    detail: $"The locked safety toggle '{safetyToggle}' is enabled: an agent may not do this.",
                    statusCode: StatusCodes.Status403Forbidden,
                    extensions: new Dictionary<string, object?> { ["code"] = "forbidden_by_safety_toggle" });
            }

            return await next(invocation);
        });
    }
}
