using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

// helix-load suite|table|check ...: the peer benchmark (bench/peers/run.sh; see SuiteCommand, TableCommand, CheckCommand).
if (args.Length > 0 && args[0] is "suite" or "table" or "check")
{
    return args[0] switch
    {
        "suite" => await Helix.LoadGenerator.SuiteCommand.RunAsync(args),
        "table" => Helix.LoadGenerator.TableCommand.Run(args),
        _ => Helix.LoadGenerator.CheckCommand.Run(args),
    };
}

// Usage: helix-load URL BODY_JSON [concurrency=16] [seconds=10] [warmup-seconds=2] [header:value ...]
// Sends POST URL with BODY_JSON from `concurrency` workers for `seconds` (after a warm-up) and prints one line:
// "<url> concurrency=N requests=N errors=N rps=N p50_ms=N p90_ms=N p99_ms=N p999_ms=N max_ms=N". Loopback only; bounded in time.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: helix-load URL BODY_JSON [concurrency] [seconds] [warmup-seconds] [Header:value ...]");
    return 2;
}

var url = new Uri(args[0]);
if (!IPAddress.TryParse(url.Host, out var address) || !IPAddress.IsLoopback(address))
{
    Console.Error.WriteLine("helix-load only targets loopback addresses (127.0.0.0/8, ::1).");
    return 2;
}

var body = Encoding.UTF8.GetBytes(args[1]);
var concurrency = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
var seconds = args.Length > 3 ? double.Parse(args[3], CultureInfo.InvariantCulture) : 10;
var warmup = args.Length > 4 ? double.Parse(args[4], CultureInfo.InvariantCulture) : 2;
var headers = args.Skip(5).Select(h => h.Split(':', 2)).Where(h => h.Length == 2).ToArray();

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = TimeSpan.FromMinutes(10) };
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };

async Task<(List<double> Latencies, int Errors)> RunAsync(TimeSpan duration)
{
    var stop = Stopwatch.StartNew();
    var workers = Enumerable.Range(0, concurrency).Select(async _ =>
    {
        var latencies = new List<double>(4096);
        var errors = 0;
        while (stop.Elapsed < duration)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new("application/json");
            foreach (var header in headers)
            {
                request.Headers.TryAddWithoutValidation(header[0], header[1]);
            }

            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                if (!response.IsSuccessStatusCode)
                {
                    errors++;
                    continue;
                }
            }
            catch (HttpRequestException)
            {
                errors++;
                continue;
            }

            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        return (latencies, errors);
    }).ToArray();
    var results = await Task.WhenAll(workers);
    return ([.. results.SelectMany(r => r.latencies)], results.Sum(r => r.errors));
}

await RunAsync(TimeSpan.FromSeconds(warmup));
var measured = Stopwatch.StartNew();
var (all, failures) = await RunAsync(TimeSpan.FromSeconds(seconds));
var elapsed = measured.Elapsed.TotalSeconds;
all.Sort();

double Percentile(double p) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)Math.Ceiling(p * all.Count) - 1)];

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{url} concurrency={concurrency} requests={all.Count} errors={failures} rps={all.Count / elapsed:0} p50_ms={Percentile(0.50):0.000} p90_ms={Percentile(0.90):0.000} p99_ms={Percentile(0.99):0.000} p999_ms={Percentile(0.999):0.000} max_ms={(all.Count == 0 ? 0 : all[^1]):0.000}"));
return failures == 0 ? 0 : 1;
