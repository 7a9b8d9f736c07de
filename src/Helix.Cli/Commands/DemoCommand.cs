using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Helix.Cli.AdminApi;
using Helix.Cli.CommandLine;
using Helix.Cli.Output;

namespace Helix.Cli.Commands;

/// <summary>
/// <c>helix demo --minutes N</c>: realistic traffic for every seed operation through the gateway's <c>/v1</c>, so a fresh
/// install's dashboard shows real charts from real log rows (the simulator answers unless real keys are configured).
/// </summary>
/// <remarks>
/// Every request is an ordinary data-plane call (chat, transcription of a generated WAV, speech) with varied prompts,
/// output caps and end users; about a third of the answered chat calls get feedback (<c>POST /v1/feedback</c>).
/// Nothing is written to the log but by the gateway itself.
/// </remarks>
internal sealed class DemoCommand
{
    private const string ApiKeyVariable = "HELIX_API_KEY";

    private readonly Option<decimal?> _minutes = CliOptions.Decimal("--minutes", "N", "How long to send traffic (default 1).");
    private readonly Option<decimal?> _calls = CliOptions.Decimal("--calls", "N", "Stop after N calls (whichever comes first with --minutes).");
    private readonly Option<decimal?> _rate = CliOptions.Decimal("--rate", "R", "Calls per second (default 2).");
    private readonly Option<string?> _seed = CliOptions.Text("--seed", "S", "Seed of the random choices, for a repeatable run.");
    private readonly Option<string?> _apiKey = CliOptions.Text("--api-key", "KEY", $"The application key for /v1, when the gateway needs one (default: ${ApiKeyVariable}).");

    private static readonly string[] s_users = ["alice", "bob", "carol", "dave", "erin"];

    private static readonly (string Operation, string[] Prompts, int MaxTokens)[] s_chatOperations =
    [
        ("chat", ["Hello! What can you do?", "Summarise the benefits of unit tests in two sentences.", "What is the capital of Portugal?"], 256),
        ("agent", ["Plan the steps to migrate a service from SQLite to PostgreSQL.", "List the tools you would call to book a meeting room."], 512),
        ("memory-synthesis", ["Merge these notes into one memory: the user likes tea; the user moved to Lisbon in May."], 256),
        ("sentiment-analysis", ["Classify the sentiment: 'The delivery was late but support was wonderful.'", "Classify: 'Never again.'"], 16),
        ("email-drafting", ["Draft a short email thanking a colleague for reviewing my pull request."], 384),
        ("video-understanding", ["Describe what happens in this product demo video in three bullet points."], 256),
    ];

    private readonly Option<string?> _url = AdminApiClient.UrlOption();

    private IEnumerable<Option> Options => [_minutes, _calls, _rate, _seed, _apiKey, _url];

    /// <summary>Creates <c>helix demo</c>.</summary>
    public static Command Create(CliContext context) => new DemoCommand().Build(context);

    private HelixCommand Build(CliContext context)
    {
        var command = new HelixCommand("demo", "Send realistic traffic for every seed operation, so the dashboard shows real charts.")
        {
            Details = """
                Sends realistic traffic for every seed operation (chat, agent, memory-synthesis, sentiment-analysis,
                email-drafting, video-understanding, audio-transcription, text-to-speech) through the gateway's /v1, with
                feedback on some answers, so the dashboard of a fresh install shows real charts from real log rows. Without
                provider keys the gateway's simulator answers. Prints the calls, failures and cost per operation.
                """,
            Examples = """
                helix demo --minutes 2
                helix demo --calls 50 --rate 5 --seed 1
                """,
        };
        foreach (var option in Options)
        {
            command.Options.Add(option);
        }

        command.SetAction((parsed, cancellationToken) => RunAsync(parsed, context, cancellationToken));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parsed, CliContext context, CancellationToken cancellationToken)
    {
        var minutes = Positive(parsed, _minutes) ?? (parsed.GetValue(_calls) is not null ? null : 1m);
        var calls = Positive(parsed, _calls) is { } c ? (long)decimal.Ceiling(c) : (long?)null;
        var rate = Positive(parsed, _rate) ?? 2m;
        var random = parsed.GetValue(_seed) is { } seedText
            ? new Random(int.TryParse(seedText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seed) ? seed : throw new UsageException("--seed is a whole number."))
            : new Random();
        var gateway = AdminApiClient.From(parsed, context).BaseUrl.AbsoluteUri.TrimEnd('/');
        var apiKey = parsed.GetValue(_apiKey) ?? context.Environment(ApiKeyVariable);

        var time = context.Time;
        var deadline = minutes is { } m ? time.GetUtcNow().AddMinutes((double)m) : DateTimeOffset.MaxValue;
        var interval = TimeSpan.FromSeconds((double)(1m / rate));
        var wav = Wav(seconds: 2);
        Dictionary<string, (long Calls, long Failed, decimal Cost)> totals = new(StringComparer.Ordinal);
        long sent = 0;
        await context.Stdout.WriteLineAsync($"Sending demo traffic to {gateway}/v1 ({rate} calls/s{(minutes is { } mm ? $", {mm} min" : "")}{(calls is { } cc ? $", {cc} calls" : "")}); Ctrl+C stops.");
        while (time.GetUtcNow() < deadline && (calls is null || sent < calls))
        {
            // Each operation in turn, so even a short run touches every one; the choices within are random.
            var slot = (int)(sent % (s_chatOperations.Length + 2));
            var user = s_users[random.Next(s_users.Length)];
            string operation;
            HttpResponseMessage response;
            if (slot < s_chatOperations.Length)
            {
                var (op, prompts, maxTokens) = s_chatOperations[slot];
                operation = op;
                var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
                {
                    ["model"] = "op:" + op,
                    ["messages"] = new[] { new Dictionary<string, string> { ["role"] = "user", ["content"] = prompts[random.Next(prompts.Length)] } },
                    ["max_tokens"] = maxTokens,
                    ["user"] = user,
                });
                response = await SendAsync(context.Http, HttpMethod.Post, gateway + "/v1/chat/completions", Json(body), apiKey, cancellationToken);
            }
            else if (slot == s_chatOperations.Length)
            {
                operation = "audio-transcription";
                var form = new MultipartFormDataContent
                {
                    { new StringContent("op:audio-transcription"), "model" },
                    { new StringContent(user), "user" },
                };
                var file = new ByteArrayContent(wav);
                file.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
                form.Add(file, "file", "demo.wav");
                response = await SendAsync(context.Http, HttpMethod.Post, gateway + "/v1/audio/transcriptions", form, apiKey, cancellationToken);
            }
            else
            {
                operation = "text-to-speech";
                var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
                {
                    ["model"] = "op:text-to-speech",
                    ["input"] = "Your order has shipped and will arrive on Thursday.",
                    ["voice"] = "alloy",
                    ["user"] = user,
                });
                response = await SendAsync(context.Http, HttpMethod.Post, gateway + "/v1/audio/speech", Json(body), apiKey, cancellationToken);
            }

            using (response)
            {
                // The body is read to its end: a speech call's cost is settled when its audio has streamed.
                await response.Content.ReadAsByteArrayAsync(cancellationToken);
                var cost = Header(response, "X-Helix-Cost-Usd") is { } text && decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var usd) ? usd : 0m;
                var total = totals.GetValueOrDefault(operation);
                totals[operation] = (total.Calls + 1, total.Failed + (response.IsSuccessStatusCode ? 0 : 1), total.Cost + cost);
                if (response.IsSuccessStatusCode && slot < s_chatOperations.Length && random.Next(3) == 0
                    && Header(response, "X-Helix-Request-Id") is { } requestId)
                {
                    var score = random.Next(2) == 0 ? random.Next(1, 6) : random.Next(-1, 2);
                    var feedback = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["request_id"] = requestId, ["score"] = score });
                    using var rated = await SendAsync(context.Http, HttpMethod.Post, gateway + "/v1/feedback", Json(feedback), apiKey, cancellationToken);
                }
            }

            sent++;
            if (time.GetUtcNow() < deadline && (calls is null || sent < calls))
            {
                await Task.Delay(interval, time, cancellationToken);
            }
        }

        var report = new StringBuilder().AppendLine(CultureInfo.InvariantCulture, $"Sent {sent} calls:");
        foreach (var (operation, total) in totals.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            report.AppendLine(CultureInfo.InvariantCulture, $"  {operation,-20} {total.Calls,5} calls {total.Failed,4} failed  {Usd.Exact(total.Cost)} USD");
        }

        await context.Stdout.WriteAsync(report.ToString());
        return ExitCodes.Success;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string url, HttpContent content, string? apiKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (!string.IsNullOrWhiteSpace(apiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey.Trim());
        }

        try
        {
            return await http.SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new CliFailure($"Cannot reach the gateway at {url}: {ex.Message}");
        }
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static decimal? Positive(ParseResult parsed, Option<decimal?> option)
    {
        var value = parsed.GetValue(option);
        return value is { } v && v <= 0 ? throw new UsageException($"{option.Name} must be above 0.") : value;
    }

    // A 16 kHz mono 16-bit WAV of a quiet tone: real audio whose header states its duration.
    private static byte[] Wav(int seconds)
    {
        const int SampleRate = 16_000;
        var samples = SampleRate * seconds;
        using var stream = new MemoryStream(44 + (samples * 2));
        using var writer = new BinaryWriter(stream);
        writer.Write("RIFF"u8);
        writer.Write(36 + (samples * 2));
        writer.Write("WAVEfmt "u8);
        writer.Write(16);
        writer.Write((short)1);
        writer.Write((short)1);
        writer.Write(SampleRate);
        writer.Write(SampleRate * 2);
        writer.Write((short)2);
        writer.Write((short)16);
        writer.Write("data"u8);
        writer.Write(samples * 2);
        for (var i = 0; i < samples; i++)
        {
            writer.Write((short)(1000 * Math.Sin(2 * Math.PI * 440 * i / SampleRate)));
        }

        writer.Flush();
        return stream.ToArray();
    }
}
