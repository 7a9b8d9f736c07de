namespace Helix.Simulator;

/// <summary>A failure the simulated provider produces instead of a normal answer.</summary>
/// <remarks>Error answers (4xx/5xx) and timeouts are not billed; cut and malformed answers are.</remarks>
public enum SimulatorFault
{
    /// <summary>The call succeeds.</summary>
    None,

    /// <summary>429 in the provider's rate-limit shape, with <c>retry-after</c> (Gemini: <c>RetryInfo.retryDelay</c>).</summary>
    RateLimited,

    /// <summary>500 in the provider's error shape.</summary>
    ServerError,

    /// <summary>503 overloaded (Anthropic: 529 <c>overloaded_error</c>).</summary>
    Overloaded,

    /// <summary>No answer at all until the client gives up and aborts the request (or the server stops).</summary>
    Timeout,

    /// <summary>
    /// The answer stops half-way and the connection is closed abruptly: no usage chunk, no <c>[DONE]</c>. Billed: a
    /// stream for the prompt and the tokens sent, a body in full (the provider finished it).
    /// </summary>
    CutStream,

    /// <summary>200 with a body that is not valid JSON (a stream's first event is truncated). Billed in full.</summary>
    MalformedJson,

    /// <summary>401 invalid key in the provider's error shape.</summary>
    Unauthorized,

    /// <summary>Out of credit: OpenAI 429 <c>insufficient_quota</c>, DeepSeek/Anthropic/Deepgram 402, Gemini 429 quota.</summary>
    InsufficientQuota,
}
