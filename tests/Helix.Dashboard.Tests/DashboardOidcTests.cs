using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using Helix.Gateway.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Xunit;

namespace Helix.Dashboard.Tests;

/// <summary>
/// OpenID Connect sign-in against a minimal identity provider served by the test on a loopback port (discovery
/// document, signing keys and a token endpoint that signs an ID token with RSA): the challenge goes to its authority,
/// the callback signs in with the mapped role, and a person without a mapped role is refused.
/// </summary>
public sealed class DashboardOidcTests : IAsyncLifetime
{
    private const string ClientId = "helix-dashboard";
    private const string ClientSecret = "test-client-secret-0123456789";

    private readonly TestIssuer _issuer = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "helix-dashboard-oidc-tests", Guid.NewGuid().ToString("N"));
    private GatewayApp? _gateway;
    private HttpClient? _client;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        await _issuer.StartAsync();
        Directory.CreateDirectory(_directory);
        _gateway = new GatewayApp(_directory, _issuer.Url);
        _client = _gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
    }

    [Fact]
    public async Task LoginPage_WhenConfigured_OffersSignInWithTheProvider()
    {
        var html = await _client!.GetStringAsync("/login", Ct);

        Assert.Contains("Sign in with Test IdP", html, StringComparison.Ordinal);
        Assert.Contains("href=\"/account/oidc?returnUrl=%2F\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Challenge_RedirectsToTheAuthority_AndTheCallbackSignsInWithTheMappedRole()
    {
        var (location, cookies) = await ChallengeAsync("/approvals");

        Assert.StartsWith(_issuer.Url + "/authorize?", location.ToString(), StringComparison.Ordinal);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.Equal(ClientId, query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());

        // The person signs in at the provider, which sends them back with a code; the gateway redeems it for an ID token.
        var code = _issuer.Authorize(query["nonce"].ToString(), subject: "u-42", name: "Olga Ops", groups: ["staff", "helix-ops"]);
        using var callback = await CallbackAsync(query["state"].ToString(), code, cookies);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/approvals", callback.Headers.Location!.OriginalString);
        var session = SetCookies(callback).Single(c => c.StartsWith("helix_dashboard=", StringComparison.Ordinal));
        Assert.Equal(1, _issuer.Redeemed);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/approvals");
        request.Headers.Add("Cookie", session);
        using var page = await _client!.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("Olga Ops (operator)", html, StringComparison.Ordinal);
        Assert.Contains("<h1", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_PersonWithoutAMappedRole_IsRefusedAndNotSignedIn()
    {
        var (location, cookies) = await ChallengeAsync("/");
        var query = QueryHelpers.ParseQuery(location.Query);
        var code = _issuer.Authorize(query["nonce"].ToString(), subject: "u-7", name: "Nora Nobody", groups: ["staff"]);

        using var callback = await CallbackAsync(query["state"].ToString(), code, cookies);

        Assert.Equal(HttpStatusCode.Redirect, callback.StatusCode);
        Assert.Equal("/login?error=oidc-refused", callback.Headers.Location!.OriginalString);
        Assert.DoesNotContain(SetCookies(callback), c => c.StartsWith("helix_dashboard=", StringComparison.Ordinal) && !c.StartsWith("helix_dashboard=;", StringComparison.Ordinal));
        var html = await _client!.GetStringAsync("/login?error=oidc-refused", Ct);
        Assert.Contains("gives you no Helix role", html, StringComparison.Ordinal);

        using var home = await _client.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/login", home.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public void MapRole_HighestMappedValueWins_DefaultNoneRefuses()
    {
        var settings = new DashboardOidcOptions { RoleClaim = "groups", Roles = { ["ops"] = "operator", ["boss"] = "admin", ["readers"] = "viewer" } };
        static System.Security.Claims.ClaimsPrincipal User(params string[] groups) =>
            new(new System.Security.Claims.ClaimsIdentity(groups.Select(g => new System.Security.Claims.Claim("groups", g)), "test"));

        Assert.Equal(Helix.Core.Principals.PrincipalRole.Admin, Accounts.DashboardOidc.MapRole(User("readers", "boss", "ops"), settings));
        Assert.Equal(Helix.Core.Principals.PrincipalRole.Viewer, Accounts.DashboardOidc.MapRole(User("readers"), settings));
        Assert.Null(Accounts.DashboardOidc.MapRole(User("strangers"), settings));
        settings.DefaultRole = "viewer";
        Assert.Equal(Helix.Core.Principals.PrincipalRole.Viewer, Accounts.DashboardOidc.MapRole(User("strangers"), settings));
    }

    private async Task<(Uri Location, List<string> Cookies)> ChallengeAsync(string returnUrl)
    {
        using var challenge = await _client!.GetAsync("/account/oidc?returnUrl=" + Uri.EscapeDataString(returnUrl), Ct);
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        return (challenge.Headers.Location!, SetCookies(challenge));
    }

    // The provider answers with a form the browser posts back (response_mode=form_post), carrying the correlation and nonce cookies.
    private async Task<HttpResponseMessage> CallbackAsync(string state, string code, List<string> cookies)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin-oidc")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = code, ["state"] = state }),
        };
        request.Headers.Add("Cookie", string.Join("; ", cookies));
        return await _client!.SendAsync(request, Ct);
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values.Select(v => v.Split(';')[0])] : [];

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }

        await _issuer.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private sealed class GatewayApp(string directory, string authority) : WebApplicationFactory<GatewayOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Helix:AdminKey", DashboardHost.AdminKey);
            builder.UseSetting("Helix:Storage:ConnectionString", $"Data Source={Path.Combine(directory, "helix.db")}");
            builder.UseSetting("Helix:Simulator:Enabled", "true");
            builder.UseSetting("Helix:Dashboard:Oidc:Authority", authority);
            builder.UseSetting("Helix:Dashboard:Oidc:ClientId", ClientId);
            builder.UseSetting("Helix:Dashboard:Oidc:ClientSecret", ClientSecret);
            builder.UseSetting("Helix:Dashboard:Oidc:DisplayName", "Test IdP");
            builder.UseSetting("Helix:Dashboard:Oidc:RoleClaim", "groups");
            builder.UseSetting("Helix:Dashboard:Oidc:Roles:helix-ops", "operator");
            builder.UseSetting("Helix:Dashboard:Oidc:Roles:helix-admins", "admin");
            builder.UseSetting("Helix:Dashboard:Oidc:RequireHttpsMetadata", "false");
        }
    }

    /// <summary>A minimal OpenID Connect provider: discovery, keys, and a token endpoint that redeems the codes the test issues.</summary>
    private sealed class TestIssuer : IAsyncDisposable
    {
        private readonly RSA _rsa = RSA.Create(2048);
        private readonly ConcurrentDictionary<string, (string Nonce, string Subject, string Name, string[] Groups)> _codes = new(StringComparer.Ordinal);
        private WebApplication? _app;
        private int _redeemed;

        public string Url { get; private set; } = "";

        public int Redeemed => _redeemed;

        public string Authorize(string nonce, string subject, string name, string[] groups)
        {
            var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            _codes[code] = (nonce, subject, name, groups);
            return code;
        }

        public async Task StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
            _app = builder.Build();
            var key = new RsaSecurityKey(_rsa) { KeyId = "test-key-1" };
            var parameters = _rsa.ExportParameters(includePrivateParameters: false);
            _app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
            {
                ["issuer"] = Url,
                ["authorization_endpoint"] = Url + "/authorize",
                ["token_endpoint"] = Url + "/token",
                ["jwks_uri"] = Url + "/jwks",
                ["response_types_supported"] = new[] { "code" },
                ["subject_types_supported"] = new[] { "public" },
                ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
                ["code_challenge_methods_supported"] = new[] { "S256" },
            }));
            _app.MapGet("/jwks", () => Results.Json(new
            {
                keys = new[] { new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) } },
            }));
            _app.MapPost("/token", async (HttpRequest request) =>
            {
                var form = await request.ReadFormAsync();
                if (form["grant_type"] != "authorization_code" || form["client_id"] != ClientId || form["client_secret"] != ClientSecret
                    || string.IsNullOrEmpty(form["code_verifier"]) || !_codes.TryRemove(form["code"].ToString(), out var grant))
                {
                    return Results.Json(new { error = "invalid_grant" }, statusCode: 400);
                }

                Interlocked.Increment(ref _redeemed);
                var now = TimeProvider.System.GetUtcNow().UtcDateTime;
                var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = Url,
                    Audience = ClientId,
                    IssuedAt = now,
                    NotBefore = now,
                    Expires = now.AddMinutes(5),
                    Claims = new Dictionary<string, object>
                    {
                        ["sub"] = grant.Subject,
                        ["name"] = grant.Name,
                        ["nonce"] = grant.Nonce,
                        ["groups"] = grant.Groups,
                    },
                    SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
                });
                return Results.Json(new { access_token = "opaque-access-token", token_type = "Bearer", expires_in = 300, id_token = idToken });
            });
            await _app.StartAsync();
            Url = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        }

        public async ValueTask DisposeAsync()
        {
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }

            _rsa.Dispose();
        }
    }
}
