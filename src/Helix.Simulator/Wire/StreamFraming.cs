namespace Helix.Simulator.Wire;

/// <summary>How the events of a streamed answer are framed on the wire.</summary>
internal enum StreamFraming
{
    /// <summary>Server-sent events ending in <c>\n\n</c> (OpenAI, DeepSeek, Anthropic).</summary>
    Sse,

    /// <summary>Server-sent events ending in <c>\r\n\r\n</c> (Gemini's <c>alt=sse</c>).</summary>
    SseCrlf,

    /// <summary>One JSON array whose elements arrive one by one (Gemini without <c>alt=sse</c>).</summary>
    JsonArray,
}
