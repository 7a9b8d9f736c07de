namespace Helix.Gateway.Admin;

/// <summary>The body of <c>PATCH /admin/api/keys/{id}</c> as the OpenAPI document shows it: any of the fields; what is left out stays.</summary>
/// <remarks>The endpoint reads the body itself (to tell a field left out from one set to <see langword="null"/>); this type only describes it.</remarks>
internal sealed record KeyEditBody(string? Name, string? Role, IReadOnlyList<string>? Operations, int? RequestsPerMinute);
