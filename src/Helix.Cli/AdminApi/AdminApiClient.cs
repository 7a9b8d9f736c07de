using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;
using Helix.Cli.CommandLine;

namespace Helix.Cli.AdminApi;

/// <summary>Calls the gateway's admin API (<c>/admin/api</c>) with the admin key, turning its errors into messages.</summary>
internal sealed class AdminApiClient
{
    public const string UrlVariable = "HELIX_URL";
    public const string AdminKeyVariable = "HELIX_ADMIN_KEY";
    public const string DefaultUrl = "http://127.0.0.1:8080";

    public const string UrlOptionName = "--url";
    public const string AdminKeyOptionName = "--admin-key";

    private readonly HttpClient _http;
    private readonly string? _adminKey;

    public AdminApiClient(HttpClient http, Uri baseUrl, string? adminKey)
    {
        _http = http;
        BaseUrl = baseUrl;
        _adminKey = string.IsNullOrWhiteSpace(adminKey) ? null : adminKey.Trim();
    }

    public Uri BaseUrl { get; }

    /// <summary><c>--url URL</c>: the gateway.</summary>
    public static Option<string?> UrlOption() =>
        CliOptions.Text(UrlOptionName, "URL", $"The gateway (default: ${UrlVariable}, else {DefaultUrl}).");

    /// <summary><c>--admin-key KEY</c>: the admin key.</summary>
    public static Option<string?> AdminKeyOption() =>
        CliOptions.Text(AdminKeyOptionName, "KEY", $"The admin key (default: ${AdminKeyVariable}).");

    /// <summary>A client for the gateway named by <c>--url</c> or <c>HELIX_URL</c>, with <c>--admin-key</c> or <c>HELIX_ADMIN_KEY</c>.</summary>
    /// <param name="parsed">The parsed command line of a command that has <see cref="UrlOption"/> (and usually <see cref="AdminKeyOption"/>).</param>
    /// <param name="context">The environment and HTTP client.</param>
    /// <exception cref="UsageException">The URL is not an absolute http(s) URL.</exception>
    public static AdminApiClient From(ParseResult parsed, CliContext context)
    {
        var text = parsed.GetValue<string?>(UrlOptionName) ?? NonEmpty(context.Environment(UrlVariable)) ?? DefaultUrl;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new UsageException($"--url needs an absolute http(s) URL such as {DefaultUrl}, not '{text}'.");
        }

        var adminKey = parsed.CommandResult.Command.Options.Any(o => o.Name == AdminKeyOptionName) ? parsed.GetValue<string?>(AdminKeyOptionName) : null;
        return new AdminApiClient(context.Http, url, adminKey ?? NonEmpty(context.Environment(AdminKeyVariable)));
    }

    /// <summary>Posts <paramref name="body"/> to <c>/admin/api/{path}</c> and reads the JSON answer.</summary>
    /// <param name="pathAndQuery">The path under <c>/admin/api/</c>, with its query string.</param>
    /// <param name="body">The request body.</param>
    /// <param name="contentType">The body's media type.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="CliFailure">The gateway could not be reached, refused the call (its ProblemDetails in the message) or did not answer JSON.</exception>
    public Task<JsonDocument> PostAsync(string pathAndQuery, byte[] body, string contentType, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, pathAndQuery, body, contentType, cancellationToken);

    /// <summary>Reads <c>/admin/api/{path}</c> as JSON.</summary>
    /// <exception cref="CliFailure">The gateway could not be reached, refused the call or did not answer JSON.</exception>
    public Task<JsonDocument> GetAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, pathAndQuery, null, null, cancellationToken);

    /// <summary>Puts <paramref name="body"/> as JSON to <c>/admin/api/{path}</c> and reads the JSON answer.</summary>
    /// <exception cref="CliFailure">The gateway could not be reached, refused the call or did not answer JSON.</exception>
    public Task<JsonDocument> PutJsonAsync(string pathAndQuery, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Put, pathAndQuery, JsonSerializer.SerializeToUtf8Bytes(body), "application/json", cancellationToken);

    /// <summary>Deletes <c>/admin/api/{path}</c>; the JSON answer, or <see langword="null"/> for 204 No Content.</summary>
    /// <exception cref="CliFailure">The gateway could not be reached or refused the call.</exception>
    public Task<JsonDocument?> DeleteAsync(string pathAndQuery, CancellationToken cancellationToken) =>
        SendOrEmptyAsync(HttpMethod.Delete, pathAndQuery, null, null, cancellationToken);

    /// <summary>Sends <paramref name="method"/> to <c>/admin/api/{path}</c>, with <paramref name="body"/> when given, and reads the JSON answer.</summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="pathAndQuery">The path under <c>/admin/api/</c>, with its query string.</param>
    /// <param name="body">The request body, or <see langword="null"/> for none.</param>
    /// <param name="contentType">The body's media type (ignored without a body).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="CliFailure">The gateway could not be reached, refused the call (its ProblemDetails in the message) or did not answer JSON.</exception>
    public async Task<JsonDocument> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken cancellationToken) =>
        await SendOrEmptyAsync(method, pathAndQuery, body, contentType, cancellationToken)
            ?? throw new CliFailure("The gateway answered without a body where one was expected.");

    /// <summary>As <see cref="SendAsync"/>, but an answer without a body (204 No Content) is <see langword="null"/>.</summary>
    /// <exception cref="CliFailure">The gateway could not be reached, refused the call (its ProblemDetails in the message) or did not answer JSON.</exception>
    public async Task<JsonDocument?> SendOrEmptyAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl.AbsoluteUri.TrimEnd('/') + "/admin/api/" + pathAndQuery);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (_adminKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _adminKey);
        }

        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliFailure($"Cannot reach the gateway at {BaseUrl.AbsoluteUri.TrimEnd('/')}: {ex.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new CliFailure($"The gateway at {BaseUrl.AbsoluteUri.TrimEnd('/')} did not answer in time.");
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new CliFailure($"The gateway answered {(int)response.StatusCode} {response.ReasonPhrase}: {ErrorMessage(text)}");
            }

            if (text.Length == 0)
            {
                return null;
            }

            try
            {
                return JsonDocument.Parse(text);
            }
            catch (JsonException)
            {
                throw new CliFailure($"The gateway answered {(int)response.StatusCode} with a body that is not JSON.");
            }
        }
    }

    // A ProblemDetails' title and detail; an OpenAI-style {"error":{"message"}}; else the start of the body.
    internal static string ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                var title = String(root, "title");
                var detail = String(root, "detail");
                if (title is not null || detail is not null)
                {
                    return title is not null && detail is not null ? $"{title}: {detail}" : (title ?? detail)!;
                }

                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && String(error, "message") is { } message)
                {
                    return message;
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: show the text itself.
        }

        var trimmed = body.Trim();
        return trimmed.Length == 0 ? "(no details)" : trimmed.Length > 300 ? trimmed[..300] + "…" : trimmed;
    }

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : null;

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
