namespace Helix.Gateway.Admin;

/// <summary>The body of <c>PUT /admin/api/toggles/{name}</c>, for the OpenAPI document; the endpoint reads it strictly (unknown fields are refused).</summary>
internal sealed record ToggleBody(bool Enabled, string? Description, string? Owner, string? Scope, string? Subject);
