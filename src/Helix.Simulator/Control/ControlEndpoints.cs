using System.Globalization;
using System.Text.Json;
using Helix.Simulator.Wire;

namespace Helix.Simulator.Control;

/// <summary>
/// The control API for out-of-process users: <c>PUT/DELETE _simulator/behavior</c> and <c>GET/DELETE _simulator/ledger</c>.
/// </summary>
internal sealed class ControlEndpoints(SimulatorState state)
{
    /// <summary>
    /// Sets a behaviour from <c>{provider?, model?, latencyMs, chunkDelayMs, promptTokens, completionTokens,
    /// cachedTokens, cacheWriteTokens, reasoningTokens, audioSeconds, reportedModel, fault, faultCount,
    /// retryAfterSeconds}</c>; fields left out take the defaults of <see cref="SimulatorBehavior"/>.
    /// </summary>
    public async Task PutBehaviorAsync(HttpContext context)
    {
        using var document = await RequestJson.ReadAsync(context);
        if (document is null)
        {
            await ProblemAsync(context, ["The body must be a JSON object."]);
            return;
        }

        string? provider = null;
        string? model = null;
        var behavior = new SimulatorBehavior();
        List<string> errors = [];
        foreach (var property in document.RootElement.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "provider":
                    provider = ReadString(value, property.Name, errors);
                    break;
                case "model":
                    model = ReadString(value, property.Name, errors);
                    break;
                case "latencyMs":
                    behavior = behavior with { Latency = TimeSpan.FromMilliseconds(ReadCount(value, property.Name, errors) ?? 0) };
                    break;
                case "chunkDelayMs":
                    behavior = behavior with { ChunkDelay = ReadCount(value, property.Name, errors) is { } ms ? TimeSpan.FromMilliseconds(ms) : null };
                    break;
                case "promptTokens":
                    behavior = behavior with { PromptTokens = ReadCount(value, property.Name, errors) };
                    break;
                case "completionTokens":
                    behavior = behavior with { CompletionTokens = ReadCount(value, property.Name, errors) ?? behavior.CompletionTokens };
                    break;
                case "cachedTokens":
                    behavior = behavior with { CachedTokens = ReadCount(value, property.Name, errors) ?? 0 };
                    break;
                case "cacheWriteTokens":
                    behavior = behavior with { CacheWriteTokens = ReadCount(value, property.Name, errors) ?? 0 };
                    break;
                case "reasoningTokens":
                    behavior = behavior with { ReasoningTokens = ReadCount(value, property.Name, errors) ?? 0 };
                    break;
                case "audioSeconds":
                    behavior = behavior with { AudioSeconds = ReadSeconds(value, property.Name, errors) };
                    break;
                case "reportedModel":
                    behavior = behavior with { ReportedModel = ReadString(value, property.Name, errors) };
                    break;
                case "fault":
                    behavior = behavior with { Fault = ReadFault(value, errors) };
                    break;
                case "faultCount":
                    behavior = behavior with { FaultCount = ReadCount(value, property.Name, errors) };
                    break;
                case "retryAfterSeconds":
                    behavior = behavior with { RetryAfterSeconds = ReadCount(value, property.Name, errors) ?? behavior.RetryAfterSeconds };
                    break;
                default:
                    errors.Add($"Unknown field '{property.Name}'.");
                    break;
            }
        }

        if (errors.Count > 0)
        {
            await ProblemAsync(context, errors);
            return;
        }

        state.SetBehavior(provider, model, behavior);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Removes the override named by <c>?provider=&amp;model=</c>, or resets every behaviour when neither is given.</summary>
    public Task DeleteBehaviorAsync(HttpContext context)
    {
        var query = context.Request.Query;
        string? provider = query["provider"].ToString() is { Length: > 0 } p ? p : null;
        string? model = query["model"].ToString() is { Length: > 0 } m ? m : null;
        if (provider is null && model is null)
        {
            state.Reset();
        }
        else
        {
            state.RemoveBehavior(provider, model);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    /// <summary>The ledger as a JSON array of <see cref="SimulatorLedgerEntry"/> in camelCase.</summary>
    public async Task GetLedgerAsync(HttpContext context)
    {
        var entries = state.Ledger;
        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartArray();
        foreach (var entry in entries)
        {
            json.WriteStartObject();
            json.WriteString("at", entry.At);
            json.WriteString("provider", entry.Provider);
            json.WriteString("model", entry.Model);
            json.WriteString("requestId", entry.RequestId);
            json.WriteNumber("promptTokens", entry.PromptTokens);
            json.WriteNumber("cachedTokens", entry.CachedTokens);
            json.WriteNumber("completionTokens", entry.CompletionTokens);
            json.WriteNumber("reasoningTokens", entry.ReasoningTokens);
            json.WriteNumber("audioSeconds", entry.AudioSeconds);
            json.WriteNumber("characters", entry.Characters);
            json.WriteBoolean("streamed", entry.Streamed);
            json.WriteNumber("cacheWrite5mTokens", entry.CacheWrite5mTokens);
            json.WriteNumber("cacheWrite1hTokens", entry.CacheWrite1hTokens);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        await writer.SendJsonAsync();
    }

    /// <summary>Empties the ledger.</summary>
    public Task DeleteLedgerAsync(HttpContext context)
    {
        state.ClearLedger();
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static string? ReadString(JsonElement value, string name, List<string> errors)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return value.GetString();
            default:
                errors.Add($"'{name}' must be a string or null.");
                return null;
        }
    }

    private static int? ReadCount(JsonElement value, string name, List<string> errors)
    {
        if (value.ValueKind is JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 0)
        {
            return count;
        }

        errors.Add($"'{name}' must be a whole number, 0 or more.");
        return null;
    }

    private static double? ReadSeconds(JsonElement value, string name, List<string> errors)
    {
        if (value.ValueKind is JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.Number && value.GetDouble() is >= 0 and var seconds)
        {
            return seconds;
        }

        errors.Add($"'{name}' must be a number of seconds, 0 or more.");
        return null;
    }

    private static SimulatorFault ReadFault(JsonElement value, List<string> errors)
    {
        if (value.ValueKind is JsonValueKind.Null)
        {
            return SimulatorFault.None;
        }

        if (value.ValueKind is JsonValueKind.String
            && Enum.TryParse<SimulatorFault>(value.GetString(), ignoreCase: true, out var fault)
            && !int.TryParse(value.GetString(), CultureInfo.InvariantCulture, out _))
        {
            return fault;
        }

        errors.Add($"'fault' must be one of: {string.Join(", ", Enum.GetNames<SimulatorFault>())}.");
        return SimulatorFault.None;
    }

    private static async Task ProblemAsync(HttpContext context, List<string> errors)
    {
        using var writer = new WireWriter(context, SimulatorFault.None);
        var json = writer.StartJson();
        json.WriteStartObject();
        json.WriteString("title", "Invalid simulator behavior");
        json.WriteNumber("status", StatusCodes.Status400BadRequest);
        json.WriteStartArray("errors");
        foreach (var error in errors)
        {
            json.WriteStringValue(error);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await writer.SendJsonAsync(StatusCodes.Status400BadRequest);
    }
}
