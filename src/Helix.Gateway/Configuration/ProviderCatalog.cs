namespace Helix.Gateway.Configuration;

/// <summary>The providers the gateway knows: their public API roots and their place on the simulator.</summary>
internal static class ProviderCatalog
{
    private static readonly Dictionary<string, (Uri PublicBase, string SimulatorPrefix)> s_providers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["openai"] = (new Uri("https://api.openai.com/v1"), "openai/v1"),
        ["deepseek"] = (new Uri("https://api.deepseek.com"), "deepseek"),
        ["gemini"] = (new Uri("https://generativelanguage.googleapis.com/v1beta"), "gemini/v1beta"),
        ["anthropic"] = (new Uri("https://api.anthropic.com/v1"), "anthropic/v1"),
        ["deepgram"] = (new Uri("https://api.deepgram.com"), "deepgram"),
        ["edge-tts"] = (new Uri("wss://speech.platform.bing.com"), "edge-tts"),
    };

    public static IEnumerable<string> Names => s_providers.Keys;

    public static bool IsKnown(string provider) => s_providers.ContainsKey(provider);

    public static Uri PublicBase(string provider) => s_providers[provider].PublicBase;

    public static Uri OnSimulator(Uri simulatorRoot, string provider) =>
        new(simulatorRoot, s_providers[provider].SimulatorPrefix);
}
