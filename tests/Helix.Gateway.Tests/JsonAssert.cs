using System.Text.Json;

namespace Helix.Gateway.Tests;

internal static class Json
{
    public static async Task<JsonElement> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<JsonElement[]> LogsAsync(HttpClient admin, string query = "limit=1000")
    {
        var response = await admin.GetAsync($"/admin/api/logs?{query}");
        response.EnsureSuccessStatusCode();
        var body = await ReadAsync(response);
        return [.. body.GetProperty("items").EnumerateArray()];
    }
}
