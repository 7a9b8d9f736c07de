namespace Helix.Gateway.DataPlane;

/// <summary>The end user a data-plane call names: <c>X-Helix-User</c>, else the request's <c>user</c> field.</summary>
internal static class EndUser
{
    public const int MaxLength = 256;

    public static string? Read(HttpRequest request, string? field)
    {
        if (request.Headers.TryGetValue(HelixHeaders.User, out var header) && !string.IsNullOrWhiteSpace(header))
        {
            return header.ToString().Trim();
        }

        return string.IsNullOrWhiteSpace(field) ? null : field.Trim();
    }
}
