namespace Helix.Core.Routing;

/// <summary>What kind of call an operation makes.</summary>
public enum Modality
{
    /// <summary>Chat completions (text in, text out; images or video as input parts).</summary>
    Chat,

    /// <summary>Embeddings.</summary>
    Embeddings,

    /// <summary>Speech to text.</summary>
    Transcription,

    /// <summary>Text to speech.</summary>
    Speech,
}
