using System.Text;
using System.Text.Json;
using Helix.Simulator;
using Xunit;

namespace Helix.Providers.Tests.Simulator;

/// <summary>Starts a fresh simulator per test and talks to it with a plain <see cref="HttpClient"/>.</summary>
public abstract class SimulatorTestBase : IAsyncLifetime
{
    private SimulatorServer? _server;
    private HttpClient? _http;

    protected SimulatorServer Server => _server ?? throw new InvalidOperationException("The server is not started.");

    protected SimulatorState State => Server.State;

    protected HttpClient Http => _http ?? throw new InvalidOperationException("The server is not started.");

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected virtual SimulatorOptions Options => new();

    public async ValueTask InitializeAsync()
    {
        _server = await SimulatorServer.StartAsync(Options, Ct);
        _http = new HttpClient { BaseAddress = _server.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);

    protected Task<HttpResponseMessage> PostJsonForStreamAsync(string path, string json) =>
        Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead,
            Ct);

    protected static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>Reads a response body until it ends or breaks; a broken connection is returned, not thrown.</summary>
    protected static async Task<(string Text, Exception? Error)> ReadUntilBrokenAsync(HttpResponseMessage response)
    {
        var text = new StringBuilder();
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(Ct);
            var buffer = new byte[4096];
            int read;
            while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
            {
                text.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (Exception exception) when (exception is IOException or HttpRequestException)
        {
            return (text.ToString(), exception);
        }

        return (text.ToString(), null);
    }

    /// <summary>The events of an SSE body: (event name or null, data) in order; comment lines are skipped.</summary>
    protected static List<(string? Event, string Data)> ParseSse(string body)
    {
        var events = new List<(string? Event, string Data)>();
        foreach (var block in body.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            string? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
            }

            if (data is not null)
            {
                events.Add((name, data));
            }
        }

        return events;
    }

    protected static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
