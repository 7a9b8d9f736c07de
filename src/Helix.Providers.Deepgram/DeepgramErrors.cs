using System.Text.Json;
using Helix.Core.Providers;
using Helix.Providers.Shared;

namespace Helix.Providers.Deepgram;

/// <summary>Maps Deepgram failures (<c>{"err_code","err_msg","request_id"}</c> or <c>{"category","message"}</c>) to <see cref="ProviderError"/> values.</summary>
/// <remarks>402 is out of credit; 429 carries <c>retry-after</c>. Stateless and thread-safe; messages are redacted of the key.</remarks>
internal static class DeepgramErrors
{
    public static ProviderError FromResponse(HttpResponseMessage response, ReadOnlySpan<byte> body, TimeProvider time, string? apiKey)
    {
        var status = (int)response.StatusCode;
        var (code, message) = Read(body);
        var kind = ProviderHttp.KindOfStatus(status) ?? ProviderErrorKind.ServerError;
        var text = ProviderHttp.Redact(message ?? ProviderHttp.StatusText(response), apiKey);
        return new ProviderError(kind, $"deepgram: {text}", status, ProviderHttp.RetryAfter(response, time), code);
    }

    private static (string? Code, string? Message) Read(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return default;
        }

        try
        {
            var reader = JsonScalars.Start(body);
            if (!JsonScalars.StartObject(ref reader))
            {
                return default;
            }

            string? code = null, message = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("err_code"u8) || reader.ValueTextEquals("category"u8))
                {
                    code ??= JsonScalars.ReadString(ref reader);
                }
                else if (reader.ValueTextEquals("err_msg"u8) || reader.ValueTextEquals("message"u8))
                {
                    message ??= JsonScalars.ReadString(ref reader);
                }
                else
                {
                    JsonScalars.SkipValue(ref reader);
                }
            }

            return (code, message);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}
