using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>The skeleton of a provider call over HTTP, whatever its kind: send, classify the answer, read it whole or open it.</summary>
/// <remarks>
/// What differs between providers is asked of an <see cref="IHttpWire"/> and the reader or opener given. A status
/// that is not a success and a transport failure become a <see cref="ProviderError"/>; cancellation through the
/// caller's token is rethrown; any other cancellation is the HTTP client's timeout. The request is disposed when the
/// call ends; a response is disposed on every way out unless an opener took it. Stateless and thread-safe.
/// </remarks>
internal static class HttpCalls
{
    // The largest declared length read straight into an array of that size; anything longer is buffered by HttpContent.
    private const long ExactReadLimit = 8 * 1024 * 1024;

    /// <summary>Sends <paramref name="request"/> and reads the whole answer: a success body (keep-alive whitespace trimmed) through <paramref name="read"/>, a failure through the wire.</summary>
    public static async Task<ProviderResult<T>> SendAsync<T, TState>(
        IHttpWire wire,
        HttpClient http,
        HttpRequestMessage request,
        TState state,
        Func<ReadOnlyMemory<byte>, HttpResponseMessage, TState, ProviderResult<T>> read,
        CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                byte[] bytes;
                try
                {
                    // An answer that declares its length (a chat completion does) is read into one array of exactly
                    // that size; otherwise HttpContent buffers it, growing a pooled buffer, and copies it out.
                    if (response.Content.Headers.ContentLength is { } length && length <= ExactReadLimit)
                    {
                        bytes = length == 0 ? [] : new byte[length];
                        using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
                        await body.ReadExactlyAsync(bytes, cancellationToken);
                    }
                    else
                    {
                        bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    }
                }
                catch (Exception ex) when (response.IsSuccessStatusCode && !cancellationToken.IsCancellationRequested && ProviderHttp.IsTransportFailure(ex))
                {
                    // The provider accepted the call and was writing its answer when the body broke: it billed the call.
                    return ProviderHttp.TransportError(ex, wire.Name, http.Timeout) with { StatusCode = (int)response.StatusCode };
                }

                return response.IsSuccessStatusCode
                    ? read(ProviderHttp.TrimJsonBody(bytes), response, state)
                    : wire.ReadError(response, bytes);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ProviderHttp.IsTransportFailure(ex))
            {
                return ProviderHttp.TransportError(ex, wire.Name, http.Timeout);
            }
        }
    }

    /// <summary>Sends <paramref name="request"/>, reads only the answer's headers, and hands a successful answer of the expected kind to <paramref name="open"/>.</summary>
    /// <remarks>
    /// An answer that fails, or that <paramref name="isExpected"/> refuses, is read whole and given to the wire's
    /// <see cref="IHttpWire.ReadError"/>. <paramref name="open"/> owns the response from the moment it is called: it
    /// disposes it when it fails. Transport failures inside <paramref name="open"/> are classified like the send's.
    /// </remarks>
    public static async Task<ProviderResult<T>> OpenAsync<T, TState>(
        IHttpWire wire,
        HttpClient http,
        HttpRequestMessage request,
        TState state,
        Func<HttpResponseMessage, bool> isExpected,
        Func<HttpResponseMessage, TState, CancellationToken, Task<ProviderResult<T>>> open,
        CancellationToken cancellationToken)
    {
        using (request)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode || !isExpected(response))
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    return wire.ReadError(response, bytes);
                }

                var owned = response;
                response = null;
                return await open(owned, state, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ProviderHttp.IsTransportFailure(ex))
            {
                return ProviderHttp.TransportError(ex, wire.Name, http.Timeout);
            }
            finally
            {
                response?.Dispose();
            }
        }
    }
}
