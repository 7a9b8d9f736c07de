using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>What one provider's chat API does its own way: the request it takes, the body it answers, its errors, its stream.</summary>
/// <remarks>
/// An adapter implements it (explicitly, so none of it becomes public surface) and hands itself to
/// <see cref="HttpChatCalls"/>, which owns sending, transport failures, cancellation and the stream's hand-over.
/// Implementations are thread-safe.
/// </remarks>
internal interface IChatWire : IHttpWire
{
    /// <summary>The HTTP request for a call, or <see langword="null"/> and the error that says why it cannot be translated.</summary>
    /// <exception cref="ArgumentNullException">The call has no request.</exception>
    HttpRequestMessage? CreateRequest(ChatCall call, bool stream, out ProviderError? error);

    /// <summary>The completion in a success body (keep-alive whitespace trimmed), or the error that body is.</summary>
    ProviderResult<ChatCompletion> ReadCompletion(ReadOnlyMemory<byte> body, ChatCall call, int status);

    /// <summary>Whether a successful answer to a stream request is a stream; one that is not is read whole and given to <see cref="IHttpWire.ReadError"/>.</summary>
    bool IsStream(HttpResponseMessage response) => true;

    /// <summary>The stream over a successful answer, which owns <paramref name="response"/> from then on.</summary>
    SseChatStream CreateStream(HttpResponseMessage response, ChatCall call);
}
