using System.Text.Json;
using Helix.Core.Metering;

namespace Helix.Providers.Gemini;

/// <summary>Turns a Gemini <c>usageMetadata</c> into disjoint meters.</summary>
/// <remarks>
/// The one code path for Gemini usage: the adapter and <c>helix cost</c> both call it. The prompt count includes
/// cached tokens, which are split out by modality; thoughts are reasoning output on top of the candidates; tool-use
/// prompt tokens are their own meter. Stateless and thread-safe; reads with a <see cref="Utf8JsonReader"/>.
/// </remarks>
public static class GeminiUsage
{
    /// <summary>Reads the usage of a <c>generateContent</c> body.</summary>
    /// <param name="body">The UTF-8 JSON body.</param>
    /// <returns>The meters, <c>modelVersion</c> as the reported model and <c>responseId</c>; unknown without <c>usageMetadata</c>.</returns>
    /// <exception cref="JsonException"><paramref name="body"/> is not a JSON object.</exception>
    public static UsageReport ParseGenerateContent(ReadOnlySpan<byte> body) => ReportOf(GeminiPayload.Read(body));

    internal static UsageReport ReportOf(in GeminiPayload payload) => payload.HasUsage
        ? new UsageReport(payload.Meters, IsKnown: true, payload.ModelVersion, ProviderRequestId: payload.ResponseId)
        : UsageReport.Unknown(payload.ModelVersion, payload.ResponseId);
}
