using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>The skeleton of a chat call over HTTP that every adapter shares: send, classify the answer, read it or open its stream.</summary>
/// <remarks>
/// What differs between providers is asked of an <see cref="IChatWire"/>. A status that is not a success and a
/// transport failure become a <see cref="ProviderError"/>; cancellation through the caller's token is rethrown; any
/// other cancellation is the HTTP client's timeout. A stream is read up to its first chunk before it is handed out,
/// so a stream that fails at once is a failed call; until then the response (later the stream) is disposed on every
/// way out. Stateless and thread-safe.
/// </remarks>
internal static class HttpChatCalls
{
    /// <summary>Makes a non-streaming call.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its request is <see langword="null"/>.</exception>
    public static async Task<ProviderResult<ChatCompletion>> CompleteAsync(
        IChatWire wire, HttpClient http, ChatCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (wire.CreateRequest(call, stream: false, out var translationError) is not { } request)
        {
            return translationError!;
        }

        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                byte[] bytes;
                try
                {
                    bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                }
                catch (Exception ex) when (response.IsSuccessStatusCode && !cancellationToken.IsCancellationRequested && ProviderHttp.IsTransportFailure(ex))
                {
                    // The provider accepted the call and was writing its answer when the body broke: it billed the call.
                    return ProviderHttp.TransportError(ex, wire.Name, http.Timeout) with { StatusCode = (int)response.StatusCode };
                }

                return response.IsSuccessStatusCode
                    ? wire.ReadCompletion(ProviderHttp.TrimJsonBody(bytes), call, (int)response.StatusCode)
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

    /// <summary>Opens a stream and reads it up to its first chunk.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its request is <see langword="null"/>.</exception>
    public static async Task<ProviderResult<IChatCompletionStream>> StreamAsync(
        IChatWire wire, HttpClient http, ChatCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (wire.CreateRequest(call, stream: true, out var translationError) is not { } request)
        {
            return translationError!;
        }

        using (request)
        {
            HttpResponseMessage? response = null;
            SseChatStream? stream = null;
            try
            {
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                if (!response.IsSuccessStatusCode || !wire.IsStream(response))
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
                    return wire.ReadError(response, bytes);
                }

                var status = (int)response.StatusCode;
                stream = wire.CreateStream(response, call);
                response = null;
                if (await stream.OpenAsync(cancellationToken) is { } error)
                {
                    // A stream that broke or garbled before its first chunk was still accepted (and billed) by the provider.
                    return error.StatusCode is null && error.Kind is ProviderErrorKind.MalformedResponse or ProviderErrorKind.Network
                        ? error with { StatusCode = status }
                        : error;
                }

                var opened = stream;
                stream = null;
                return ProviderResult<IChatCompletionStream>.Success(opened);
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
                if (stream is not null)
                {
                    await stream.DisposeAsync();
                }
            }
        }
    }
}
