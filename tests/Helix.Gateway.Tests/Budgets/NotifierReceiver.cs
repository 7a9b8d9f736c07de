using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Helix.Gateway.Tests.Budgets;

/// <summary>A local HTTP listener on loopback that records what notifiers post, and fails on demand.</summary>
internal sealed class NotifierReceiver : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Task _loop;
    private int _failing;

    public NotifierReceiver()
    {
        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public string BaseUrl { get; }

    /// <summary>Requests answered 2xx: path, signature header, body.</summary>
    public ConcurrentQueue<(string Path, string? Signature, string Body)> Received { get; } = new();

    /// <summary>Requests answered 500.</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>While true, every request is answered 500.</summary>
    public bool Failing
    {
        get => Volatile.Read(ref _failing) == 1;
        set => Volatile.Write(ref _failing, value ? 1 : 0);
    }

    private int _refused;

    public async Task WaitForAsync(Func<IReadOnlyCollection<(string Path, string? Signature, string Body)>, bool> condition, TimeSpan timeout)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition(Received.ToArray()))
        {
            if (waited.Elapsed > timeout)
            {
                throw new TimeoutException($"The receiver got {Received.Count} deliveries ({Refused} refused) in {timeout}: {string.Join(" | ", Received.Select(r => r.Path))}");
            }

            await Task.Delay(20);
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            if (Failing)
            {
                Interlocked.Increment(ref _refused);
                context.Response.StatusCode = 500;
            }
            else
            {
                Received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.Headers["X-Helix-Signature"], body));
                context.Response.StatusCode = 204;
            }

            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
