using Helix.Core.Metering;
using Helix.Core.Providers;
using Helix.Gateway.DataPlane.Audio;
using Helix.Providers.Tests.OpenApi;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane.Audio;

/// <summary>The transcription bodies Helix writes itself are valid against OpenAI's OpenAPI schemas.</summary>
public sealed class TranscriptSchemaTests
{
    private static readonly Transcript s_twoSegments = new(
        "Hello there. General Kenobi.",
        "en",
        4.25m,
        [new TranscriptSegment(0m, 1.5m, " Hello there."), new TranscriptSegment(1.5m, 4.25m, "General Kenobi. ")],
        new UsageReport(new UsageMeters { AudioSeconds = 4.25m }, IsKnown: true));

    public static TheoryData<string> Usages => ["duration", "tokens", "unknown"];

    private static Transcript WithUsage(string usage) => usage switch
    {
        "duration" => s_twoSegments,
        "tokens" => s_twoSegments with
        {
            Usage = new UsageReport(new UsageMeters { InputTokens = 7, InputAudioTokens = 100, OutputTokens = 12 }, IsKnown: true),
        },
        _ => s_twoSegments with { Usage = UsageReport.Unknown() },
    };

    [Theory]
    [MemberData(nameof(Usages))]
    public void Json_IsAValidCreateTranscriptionResponseJson(string usage)
    {
        var (body, _) = TranscriptRenderer.Render(WithUsage(usage), TranscriptFormat.Json);

        OpenAISchemas.AssertValid("CreateTranscriptionResponseJson", body);
    }

    [Fact]
    public void VerboseJson_WithSegments_IsAValidCreateTranscriptionResponseVerboseJson()
    {
        var (body, _) = TranscriptRenderer.Render(s_twoSegments, TranscriptFormat.VerboseJson, temperature: 0.2);

        OpenAISchemas.AssertValid("CreateTranscriptionResponseVerboseJson", body);
    }

    [Fact]
    public void VerboseJson_WithoutSegmentsOrLanguage_IsAValidCreateTranscriptionResponseVerboseJson()
    {
        var transcript = new Transcript("Just this.", null, null, [], UsageReport.Unknown());

        var (body, _) = TranscriptRenderer.Render(transcript, TranscriptFormat.VerboseJson, audioSeconds: 2.000m);

        OpenAISchemas.AssertValid("CreateTranscriptionResponseVerboseJson", body);
    }
}
