using System.Net;
using System.Text;
using Helix.Core.Principals;
using Helix.Gateway.Access;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Helix.Gateway.Tests.Access;

/// <summary>Every admin endpoint, as the app itself maps it, against every kind of caller.</summary>
public sealed class RoleEndpointMatrixTests : IClassFixture<GatewayFactory>
{
    // Who each access level admits, written out here rather than read from AdminAccessRoles: the table is the spec.
    private static readonly Dictionary<AdminAccess, string[]> s_admitted = new()
    {
        [AdminAccess.Read] = ["agent", "viewer", "operator", "admin", "bootstrap"],
        [AdminAccess.Propose] = ["agent", "operator", "admin", "bootstrap"],
        [AdminAccess.Operate] = ["operator", "admin", "bootstrap"],
        [AdminAccess.Administer] = ["admin", "bootstrap"],
    };

    private readonly GatewayFactory _factory;

    public RoleEndpointMatrixTests(GatewayFactory factory) => _factory = factory;

    [Fact]
    public async Task EveryAdminEndpoint_EveryCaller_RefusedOrAdmittedAsItsAccessSays()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = _factory.CreateAdminClient();
        Dictionary<string, string?> callers = new()
        {
            ["none"] = null,
            ["bootstrap"] = GatewayFactory.AdminKey,
            ["app"] = (await Keys.CreateAsync(admin, "matrix app", "app")).Key,
            ["agent"] = (await Keys.CreateAsync(admin, "matrix agent", "agent")).Key,
            ["viewer"] = (await Keys.CreateAsync(admin, "matrix viewer", "viewer")).Key,
            ["operator"] = (await Keys.CreateAsync(admin, "matrix operator", "operator")).Key,
            ["admin"] = (await Keys.CreateAsync(admin, "matrix admin", "admin")).Key,
        };
        var revoked = await Keys.CreateAsync(admin, "matrix revoked admin", "admin");
        (await admin.DeleteAsync($"/admin/api/keys/{revoked.Id}", ct)).EnsureSuccessStatusCode();
        callers["revoked"] = revoked.Key;
        callers["unknown"] = "hlx_admin_" + new string('A', 43);

        var endpoints = AdminEndpoints();
        Assert.True(endpoints.Count >= 20, $"Only {endpoints.Count} admin endpoints found.");
        var undeclared = endpoints.Where(e => e.Access is null).Select(e => e.Name).ToArray();
        Assert.True(undeclared.Length == 0, $"Admin endpoints without RequireAccess: {string.Join(", ", undeclared)}");

        List<string> failures = [];
        var clients = callers.ToDictionary(c => c.Key, c => Keys.Client(_factory, c.Value));
        foreach (var endpoint in endpoints)
        {
            foreach (var (caller, client) in clients)
            {
                // A malformed body and ids that name nothing (a number, to meet any route constraint): an admitted call is refused by the endpoint itself
                // (400/404/405…) and changes nothing; a refused one never reaches it.
                using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), endpoint.Path);
                if (endpoint.Method is "POST" or "PUT" or "PATCH")
                {
                    request.Content = new StringContent("{", Encoding.UTF8, "application/json");
                }

                using var response = await client.SendAsync(request, ct);
                var refusal = await RefusalAsync(response);
                var expected = caller switch
                {
                    "none" or "revoked" or "unknown" => "401",
                    "app" => "403",
                    _ when s_admitted[endpoint.Access!.Value].Contains(caller) => "admitted",
                    _ => "403",
                };
                if (refusal != expected)
                {
                    failures.Add($"{endpoint.Name} as {caller}: expected {expected}, got {refusal} ({(int)response.StatusCode})");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<string> RefusalAsync(HttpResponseMessage response)
    {
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
            return "401";
        }

        // The access middleware's 403 names the access needed; an endpoint's own 403 (say, an approval by its
        // requester) is a decision of an admitted caller.
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            var body = await Json.ReadAsync(response);
            Assert.Equal(403, body.GetProperty("status").GetInt32());
            if (body.TryGetProperty("access", out _) || body.GetProperty("detail").GetString()!.Contains("app key", StringComparison.Ordinal))
            {
                return "403";
            }
        }

        return "admitted";
    }

    private sealed record AdminEndpoint(string Method, string Path, AdminAccess? Access)
    {
        public string Name => $"{Method} {Path}";
    }

    private List<AdminEndpoint> AdminEndpoints()
    {
        var source = _factory.Services.GetRequiredService<EndpointDataSource>();
        List<AdminEndpoint> found = [];
        foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            if (!pattern.StartsWith("/admin/api", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var path = System.Text.RegularExpressions.Regex.Replace(pattern, "{[^}]*}", "404404404");

            var access = endpoint.Metadata.GetMetadata<AdminAccessMetadata>()?.Access;
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                found.Add(new AdminEndpoint(method, path, access));
            }
        }

        return found;
    }
}
