namespace Helix.Gateway.Access;

/// <summary>Declares the access an admin endpoint needs.</summary>
public static class AdminAccessEndpointConventionBuilderExtensions
{
    /// <summary>Requires <paramref name="access"/> for the endpoint(s); an endpoint that declares nothing needs <see cref="AdminAccess.Administer"/>.</summary>
    public static TBuilder RequireAccess<TBuilder>(this TBuilder builder, AdminAccess access)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.WithMetadata(new AdminAccessMetadata(access));
    }
}
