namespace Helix.Simulator;

/// <summary>The names of the simulated providers, as used in behaviours and ledger entries and as route prefixes.</summary>
public static class SimulatorProviders
{
    /// <summary>OpenAI: chat completions, embeddings, transcriptions and speech under <c>{root}/openai/v1/</c>.</summary>
    public const string OpenAI = "openai";

    /// <summary>DeepSeek: chat completions under <c>{root}/deepseek/</c>.</summary>
    public const string DeepSeek = "deepseek";

    /// <summary>Gemini API: <c>generateContent</c> and <c>streamGenerateContent</c> under <c>{root}/gemini/v1beta/</c>.</summary>
    public const string Gemini = "gemini";

    /// <summary>Anthropic: messages under <c>{root}/anthropic/v1/</c>.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>Deepgram: pre-recorded listen under <c>{root}/deepgram/v1/</c>.</summary>
    public const string Deepgram = "deepgram";

    /// <summary>Edge read-aloud: the WebSocket <c>consumer/speech/synthesize/readaloud/edge/v1</c> under <c>{root}/edge-tts/</c>.</summary>
    public const string EdgeTts = "edge-tts";
}
