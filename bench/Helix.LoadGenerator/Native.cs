using System.Runtime.InteropServices;

namespace Helix.LoadGenerator;

/// <summary>The one libc call the paced load needs: a sleep finer than a millisecond (Linux; the harness runs there).</summary>
internal static class Native
{
    [DllImport("libc", EntryPoint = "usleep")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int USleep(uint microseconds);
}
