using Helix.Core.Providers;

namespace Helix.Providers.Shared;

/// <summary>A chat call over <see cref="HttpCalls"/>: the request an <see cref="IChatWire"/> writes, its completion read whole or its stream opened.</summary>
/// <remarks>
/// A stream is read up to its first chunk before it is handed out, so a stream that fails at once is a failed
/// call; until then the stream is disposed on every way out. The request's last bytes wait for the attempt's
/// open-attempt record to commit (<see cref="RecordCommitContent"/>). Stateless and thread-safe.
/// </remarks>
internal static class HttpChatCalls
{
    /// <summary>Makes a non-streaming call.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its request is <see langword="null"/>.</exception>
    public static Task<ProviderResult<ChatCompletion>> CompleteAsync(
        IChatWire wire, HttpClient http, ChatCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (wire.CreateRequest(call, stream: false, out var translationError) is not { } request)
        {
            return Task.FromResult<ProviderResult<ChatCompletion>>(translationError!);
        }

        if (!RecordCommitContent.TryHold(request, call.RecordCommitted))
        {
            return AfterCommitAsync(request, call.RecordCommitted, () => CompleteAsync(wire, http, call, cancellationToken));
        }

        return HttpCalls.SendAsync(
            wire, http, request, (Wire: wire, Call: call),
            static (body, response, state) => state.Wire.ReadCompletion(body, state.Call, (int)response.StatusCode),
            cancellationToken);
    }

    /// <summary>Opens a stream and reads it up to its first chunk.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="call"/> or its request is <see langword="null"/>.</exception>
    public static Task<ProviderResult<IChatCompletionStream>> StreamAsync(
        IChatWire wire, HttpClient http, ChatCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (wire.CreateRequest(call, stream: true, out var translationError) is not { } request)
        {
            return Task.FromResult<ProviderResult<IChatCompletionStream>>(translationError!);
        }

        if (!RecordCommitContent.TryHold(request, call.RecordCommitted))
        {
            return AfterCommitAsync(request, call.RecordCommitted, () => StreamAsync(wire, http, call, cancellationToken));
        }

        return HttpCalls.OpenAsync(wire, http, request, (Wire: wire, Call: call), wire.IsStream, OpenStreamAsync, cancellationToken);
    }

    // A request without a body has nothing to hold back: it is made anew once the record committed.
    private static async Task<ProviderResult<T>> AfterCommitAsync<T>(HttpRequestMessage request, Task committed, Func<Task<ProviderResult<T>>> call)
    {
        request.Dispose();
        await committed;
        return await call();
    }

    private static async Task<ProviderResult<IChatCompletionStream>> OpenStreamAsync(
        HttpResponseMessage response, (IChatWire Wire, ChatCall Call) state, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        SseChatStream? stream = state.Wire.CreateStream(response, state.Call);
        try
        {
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
        finally
        {
            if (stream is not null)
            {
                await stream.DisposeAsync();
            }
        }
    }
}
