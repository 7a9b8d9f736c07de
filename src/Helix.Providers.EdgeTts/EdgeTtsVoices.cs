using System.Collections.Frozen;

namespace Helix.Providers.EdgeTts;

/// <summary>Which Edge voice speaks a call: an Edge voice the caller names, else the route's, else the Edge voice standing in for an OpenAI voice.</summary>
/// <remarks>Stateless and thread-safe.</remarks>
internal static class EdgeTtsVoices
{
    // OpenAI's voices, each given an Edge neural voice of a similar register.
    private static readonly FrozenDictionary<string, string> s_openAIVoices = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["alloy"] = "en-US-AriaNeural",
        ["ash"] = "en-US-AndrewNeural",
        ["ballad"] = "en-GB-RyanNeural",
        ["coral"] = "en-US-EmmaNeural",
        ["echo"] = "en-US-GuyNeural",
        ["fable"] = "en-GB-SoniaNeural",
        ["nova"] = "en-US-JennyNeural",
        ["onyx"] = "en-US-ChristopherNeural",
        ["sage"] = "en-US-MichelleNeural",
        ["shimmer"] = "en-US-AnaNeural",
        ["verse"] = "en-US-BrianNeural",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Edge voice for the call, or <see langword="null"/> when neither the voice nor the model names one.</summary>
    public static string? Resolve(string? voice, string providerModel)
    {
        if (IsEdgeVoice(voice))
        {
            return voice;
        }

        if (IsEdgeVoice(providerModel))
        {
            return providerModel;
        }

        return voice is not null && s_openAIVoices.TryGetValue(voice, out var mapped) ? mapped : null;
    }

    /// <summary>Whether <paramref name="name"/> has the shape of an Edge neural voice (<c>en-US-AriaNeural</c>, <c>zh-CN-XiaoxiaoNeural</c>).</summary>
    public static bool IsEdgeVoice(string? name)
    {
        if (name is null || name.Length > 64 || !name.EndsWith("Neural", StringComparison.Ordinal))
        {
            return false;
        }

        var dashes = 0;
        foreach (var c in name)
        {
            if (c == '-')
            {
                dashes++;
            }
            else if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return dashes >= 2;
    }
}
