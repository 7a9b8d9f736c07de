using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Helix.LoadGenerator;

/// <summary>
/// Reads what a target process spent, from outside it: CPU (utime + stime of <c>/proc/PID/stat</c>), resident memory
/// (<c>/proc/PID/status</c>) and, for a .NET target started with the bench's startup hook, its allocated bytes (a
/// Unix socket that answers <see cref="GC.GetTotalAllocatedBytes(bool)"/>).
/// </summary>
internal sealed class TargetProbe(int? pid, string? allocationSocket, int clockTicksPerSecond)
{
    /// <summary>One reading; a figure the target cannot give is null.</summary>
    internal readonly record struct Reading(double? CpuSeconds, long? AllocatedBytes);

    public Reading Read() => new(CpuSeconds(), AllocatedBytes());

    /// <summary>The peak and current resident set, in MiB, or nulls without a process.</summary>
    public (double? PeakMb, double? CurrentMb) Memory()
    {
        if (pid is null)
        {
            return (null, null);
        }

        double? peak = null, current = null;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) / 1024.0;
            }
            else if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line) / 1024.0;
            }
        }

        return (peak, current);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private double? CpuSeconds()
    {
        if (pid is null)
        {
            return null;
        }

        // The command name (field 2) may hold spaces: count fields from the ')' that closes it; utime and stime are
        // fields 14 and 15, so the 12th and 13th after it.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / (double)clockTicksPerSecond;
    }

    private long? AllocatedBytes()
    {
        if (string.IsNullOrEmpty(allocationSocket))
        {
            return null;
        }

        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(allocationSocket));
        var buffer = new byte[32];
        var length = 0;
        int read;
        while ((read = socket.Receive(buffer, length, buffer.Length - length, SocketFlags.None)) > 0)
        {
            length += read;
        }

        return long.Parse(Encoding.ASCII.GetString(buffer, 0, length), CultureInfo.InvariantCulture);
    }
}
