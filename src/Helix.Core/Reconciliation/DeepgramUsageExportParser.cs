using System.Text.Json;

namespace Helix.Core.Reconciliation;

/// <summary>Reads Deepgram's request list (<c>GET /v1/projects/{id}/requests</c>): one priced line per request.</summary>
/// <remarks>
/// <code>
/// {"page":0,"limit":100,"requests":[{"request_id":"…","project_uuid":"…","created":"2026-11-24T10:00:00Z",
///   "path":"/v1/listen?model=nova-3&amp;smart_format=true","api_key_id":"…",
///   "response":{"details":{"usd":0.0089,"duration":0.0349,"total_audio":125.5,"channels":1,"streams":1,
///   "models":["…"],"method":"sync"},"code":200,"completed":"…"},"callback":null}]}
/// </code>
/// Accepts one page or a JSON array of pages. The model is the <c>model</c> query parameter of <c>path</c>
/// (<see cref="BilledModelNames.Unknown"/> without one). Requests without a priced response (still running, or
/// refused before any audio was processed) carry no charge and are skipped. The only export of the supported
/// providers that can be matched call by call, on <see cref="BilledLine.RequestId"/>. Stateless and thread-safe.
/// </remarks>
public sealed class DeepgramUsageExportParser : IBillingExportParser
{
    private const string Format = "Deepgram request list";

    /// <inheritdoc />
    public string Provider => "deepgram";

    /// <inheritdoc />
    public BillingExport Parse(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return JsonExportPages.Read(content, Provider, Format, "requests", ReadRequest);
    }

    // A request without a priced response still counts towards the period the export covers.
    private (DateOnly First, DateOnly Last) ReadRequest(JsonElement request, string path, List<BilledLine> lines)
    {
        var requestId = ExportJson.RequiredString(request, "request_id", path, Format);
        var created = ExportJson.RequiredTimestamp(request, "created", path, Format);
        var day = DateOnly.FromDateTime(created.UtcDateTime);
        var details = ExportJson.Object(request, "response", path, Format) is { } response
            ? ExportJson.Object(response, "details", $"{path}.response", Format)
            : null;
        if (details is { } d && ExportJson.OptionalDecimal(d, "usd", $"{path}.response.details", Format) is { } usd)
        {
            var model = BilledModelNames.Normalize(ModelOf(ExportJson.OptionalString(request, "path", path, Format)));
            var project = ExportJson.OptionalString(request, "project_uuid", path, Format);
            lines.Add(new BilledLine(Provider, day, model, TokenClass: null, project, usd, Quantity: null, requestId));
        }

        return (day, day);
    }

    private static string? ModelOf(string? path)
    {
        var query = path?.IndexOf('?', StringComparison.Ordinal) is int q and >= 0 ? path[(q + 1)..] : null;
        if (query is null)
        {
            return null;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Uri.UnescapeDataString(pair[..eq]).Equals("model", StringComparison.OrdinalIgnoreCase))
            {
                return Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            }
        }

        return null;
    }
}
