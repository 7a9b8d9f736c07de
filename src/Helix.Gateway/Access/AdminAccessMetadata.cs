namespace Helix.Gateway.Access;

/// <summary>Endpoint metadata: the access an admin endpoint needs; read by <see cref="Admin.AdminAuthorizationMiddleware"/>.</summary>
/// <param name="Access">The access needed.</param>
public sealed record AdminAccessMetadata(AdminAccess Access);
