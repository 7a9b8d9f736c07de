using System.Runtime.CompilerServices;

namespace Helix.Core.Tests.Reconciliation;

/// <summary>Reads the sample exports under <c>Reconciliation/Exports</c>.</summary>
internal static class ExportFiles
{
    public static string Read(string name) => File.ReadAllText(PathOf(name));

    // The output copy is used when the project copies the folder; otherwise the file beside this source file.
    private static string PathOf(string name, [CallerFilePath] string sourceFile = "")
    {
        var copied = Path.Combine(AppContext.BaseDirectory, "Reconciliation", "Exports", name);
        return File.Exists(copied) ? copied : Path.Combine(Path.GetDirectoryName(sourceFile)!, "Exports", name);
    }
}
