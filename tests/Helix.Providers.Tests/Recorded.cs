namespace Helix.Providers.Tests;

/// <summary>Reads the recorded provider bodies under <c>Recorded/</c> (written by hand in each provider's documented shape).</summary>
internal static class Recorded
{
    public static byte[] Bytes(string provider, string file) => File.ReadAllBytes(PathOf(provider, file));

    public static string Text(string provider, string file) => File.ReadAllText(PathOf(provider, file));

    private static string PathOf(string provider, string file) => Path.Combine(AppContext.BaseDirectory, "Recorded", provider, file);
}
