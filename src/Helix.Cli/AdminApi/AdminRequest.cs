namespace Helix.Cli.AdminApi;

/// <summary>One call of the admin API: its method, its path under <c>/admin/api/</c> (with the query) and its JSON body.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="PathAndQuery">The path under <c>/admin/api/</c>, escaped, with its query string.</param>
/// <param name="Body">The body, serialized as JSON; <see langword="null"/> for none.</param>
internal sealed record AdminRequest(HttpMethod Method, string PathAndQuery, object? Body = null)
{
    /// <summary>A GET of <paramref name="pathAndQuery"/>.</summary>
    public static AdminRequest Get(string pathAndQuery) => new(HttpMethod.Get, pathAndQuery);
}
