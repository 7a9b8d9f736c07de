using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>What every provider's HTTP API does its own way whatever the call: its name and its error bodies.</summary>
/// <remarks>
/// An adapter implements it (explicitly, so none of it becomes public surface) and hands itself to
/// <see cref="HttpCalls"/>, which owns sending, transport failures and cancellation. Implementations are thread-safe.
/// </remarks>
internal interface IHttpWire
{
    /// <summary>The provider id that messages about the connection name.</summary>
    string Name { get; }

    /// <summary>The error of an answer with a failure status, or of an answer that is not the kind the call expects.</summary>
    ProviderError ReadError(HttpResponseMessage response, byte[] body);
}
