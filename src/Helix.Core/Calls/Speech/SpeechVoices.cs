using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Helix.Core.Routing;

namespace Helix.Core.Calls.Speech;

/// <summary>Which voices a speech model can speak, so an unknown voice is refused before any provider is called.</summary>
/// <remarks>
/// <para>
/// OpenAI's models speak a fixed list (<c>tts-1</c> and <c>tts-1-hd</c> nine voices; <c>gpt-4o-mini-tts</c> those and four
/// more). Edge TTS speaks its neural voices by name (<c>en-US-AriaNeural</c>, <c>de-DE-KatjaNeural</c>, …) and OpenAI's
/// voice names too, which its adapter maps to neural voices, so an OpenAI client works unchanged. A model of another
/// provider, or an OpenAI model not listed here, is not restricted: Helix cannot know its voices.
/// </para>
/// <para>
/// An operation accepts a voice only when <em>every</em> model of its route can speak it: a fallback that cannot would
/// turn a provider outage into a refused call. Stateless and thread-safe.
/// </para>
/// </remarks>
public static partial class SpeechVoices
{
    private static readonly string[] s_openAIClassic = ["alloy", "ash", "coral", "echo", "fable", "nova", "onyx", "sage", "shimmer"];

    private static readonly FrozenDictionary<string, FrozenSet<string>> s_openAIByModel = new Dictionary<string, FrozenSet<string>>(StringComparer.OrdinalIgnoreCase)
    {
        ["tts-1"] = s_openAIClassic.ToFrozenSet(StringComparer.Ordinal),
        ["tts-1-hd"] = s_openAIClassic.ToFrozenSet(StringComparer.Ordinal),
        ["gpt-4o-mini-tts"] = s_openAIClassic.Concat(["ballad", "verse", "marin", "cedar"]).ToFrozenSet(StringComparer.Ordinal),
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> s_openAIAll = s_openAIByModel.Values.SelectMany(v => v).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The OpenAI voice names Edge TTS accepts, as every OpenAI model knows them.</summary>
    public static IReadOnlyCollection<string> OpenAIVoices => s_openAIAll;

    /// <summary>Whether <paramref name="model"/> can speak <paramref name="voice"/>.</summary>
    public static bool CanSpeak(ModelConfig model, string voice)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(voice);
        return model.Provider switch
        {
            "openai" => !s_openAIByModel.TryGetValue(model.ProviderModel, out var voices) || voices.Contains(voice),
            "edge-tts" => s_openAIAll.Contains(voice) || EdgeVoiceName().IsMatch(voice),
            _ => true,
        };
    }

    /// <summary>Whether every model of <paramref name="targets"/> can speak <paramref name="voice"/>.</summary>
    public static bool EveryCanSpeak(IEnumerable<ModelConfig> targets, string voice)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var target in targets)
        {
            if (!CanSpeak(target, voice))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The listed voices every model of <paramref name="targets"/> can speak, for an error message; Edge voice names are described, not listed.</summary>
    public static IReadOnlyList<string> Describe(IEnumerable<ModelConfig> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var models = targets.ToList();
        List<string> known = [.. s_openAIAll.Where(v => models.TrueForAll(m => CanSpeak(m, v))).Order(StringComparer.Ordinal)];
        if (models.TrueForAll(m => m.Provider != "openai"))
        {
            known.Add("an Edge neural voice name such as en-US-AriaNeural");
        }

        return known;
    }

    // xx-XX-NameNeural, xx-XX-NameMultilingualNeural, zh-CN-liaoning-XiaobeiNeural, …
    [GeneratedRegex("^[a-z]{2,3}-[A-Z]{2,4}(-[A-Za-z]+)?-[A-Za-z0-9]+Neural$", RegexOptions.CultureInvariant)]
    private static partial Regex EdgeVoiceName();
}
