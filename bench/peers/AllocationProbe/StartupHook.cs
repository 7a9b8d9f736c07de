using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// A .NET startup hook (<c>DOTNET_STARTUP_HOOKS</c>) that lets the peer benchmark read how many bytes a .NET target
/// allocated, without touching the target's code: when <c>HELIX_BENCH_ALLOC_SOCKET</c> names a path, a background
/// thread listens on that Unix socket and answers each connection with <see cref="GC.GetTotalAllocatedBytes(bool)"/>
/// (precise) in decimal, then closes it. The load generator reads it before and after a phase.
/// </summary>
[SuppressMessage("Design", "CA1050:Declare types in namespaces", Justification = "The runtime finds a startup hook by the global type name StartupHook.")]
public static class StartupHook
{
    /// <summary>Called by the runtime before the application's Main.</summary>
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("HELIX_BENCH_ALLOC_SOCKET");
        if (string.IsNullOrEmpty(path))
        {
            return;
        }

        var thread = new Thread(() => Serve(path)) { IsBackground = true, Name = "bench allocation probe" };
        thread.Start();
    }

    private static void Serve(string path)
    {
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(8);
        while (true)
        {
            using var client = listener.Accept();
            try
            {
                var total = GC.GetTotalAllocatedBytes(precise: true);
                client.Send(Encoding.ASCII.GetBytes(total.ToString(CultureInfo.InvariantCulture)));
                client.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // The reader went away before the answer: it asks again; the target must never fall over for it.
            }
        }
    }
}
