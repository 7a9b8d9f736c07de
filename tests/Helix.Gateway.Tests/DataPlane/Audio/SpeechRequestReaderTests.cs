using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane.Audio;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane.Audio;

public sealed class SpeechRequestReaderTests
{
    private static readonly GatewayOptions s_options = new() { MaxRequestBodyBytes = 65536 };

    [Fact]
    public async Task ReadAsync_OpenAIRequest_IsValidWithDefaults()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var context = DataPlaneRequests.Json("""{"model":"op:text-to-speech","input":"Hello.","voice":"alloy","user":"ann"}""");

        var read = await SpeechRequestReader.ReadAsync(context, routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(read.IsValid, read.Error?.Message);
        Assert.Equal("text-to-speech", read.Value.Request.Operation);
        Assert.Equal("ann", read.Value.Request.User);
        Assert.Equal("mp3", read.Value.ResponseFormat);
        Assert.Equal(1.0, read.Value.Speed);
        Assert.StartsWith("req_", read.Value.Request.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_HeadersNameOperationAndUser_TheyWin()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var context = DataPlaneRequests.Json("""{"model":"tts-1","input":"Hi","voice":"nova","user":"ann","response_format":"wav","speed":4}""", "text-to-speech", "bob");

        var read = await SpeechRequestReader.ReadAsync(context, routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(read.IsValid, read.Error?.Message);
        Assert.Equal("bob", read.Value.Request.User);
        Assert.Equal("wav", read.Value.ResponseFormat);
        Assert.Equal(4.0, read.Value.Speed);
    }

    public static TheoryData<string, int, string, string?> BadBodies => new()
    {
        { """{"input":"Hi","voice":"alloy"}""", 400, "invalid_request", "model" },
        { """{"model":"op:nope","input":"Hi","voice":"alloy"}""", 404, "unknown_operation", "model" },
        { """{"model":"op:speech-off","input":"Hi","voice":"alloy"}""", 403, "operation_disabled", "model" },
        { """{"model":"op:chat","input":"Hi","voice":"alloy"}""", 400, "operation_modality_mismatch", "model" },
        { """{"model":"op:audio-transcription","input":"Hi","voice":"alloy"}""", 400, "operation_modality_mismatch", "model" },
        { """{"model":"op:text-to-speech","voice":"alloy"}""", 400, "invalid_request", "input" },
        { """{"model":"op:text-to-speech","input":"   ","voice":"alloy"}""", 400, "invalid_request", "input" },
        { """{"model":"op:text-to-speech","input":42,"voice":"alloy"}""", 400, "invalid_request", "input" },
        { """{"model":"op:text-to-speech","input":"Hi"}""", 400, "invalid_request", "voice" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":{"id":"voice_123"}}""", 400, "invalid_request", "voice" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"darth"}""", 400, "unknown_voice", "voice" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"Alloy"}""", 400, "unknown_voice", "voice" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"ballad"}""", 400, "unknown_voice", "voice" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"de-DE-KatjaNeural"}""", 400, "unknown_voice", "voice" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","response_format":"ogg"}""", 400, "invalid_request", "response_format" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","response_format":"MP3"}""", 400, "invalid_request", "response_format" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","speed":0.2}""", 400, "invalid_request", "speed" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","speed":4.01}""", 400, "invalid_request", "speed" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","speed":"fast"}""", 400, "invalid_request", "speed" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","stream_format":"sse"}""", 400, "invalid_request", "stream_format" },
        { """{"model":"op:text-to-speech","input":"Hi","voice":"alloy","user":7}""", 400, "invalid_request", "user" },
        { """not json""", 400, "invalid_request", null },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task ReadAsync_BadBody_IsRefusedNamingTheField(string body, int status, string code, string? param)
    {
        var routes = await DataPlaneRequests.RoutesAsync();

        var read = await SpeechRequestReader.ReadAsync(DataPlaneRequests.Json(body), routes, s_options, TestContext.Current.CancellationToken);

        Assert.False(read.IsValid);
        Assert.Equal(status, read.Error.StatusCode);
        Assert.Equal(code, read.Error.Code);
        Assert.Equal(param, read.Param);
    }

    [Fact]
    public async Task ReadAsync_InputOf4096Characters_IsValidAndOneMoreIsNot()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var limit = new string('a', 4096);

        var atLimit = await SpeechRequestReader.ReadAsync(DataPlaneRequests.Json($$"""{"model":"op:text-to-speech","input":"{{limit}}","voice":"echo"}"""), routes, s_options, TestContext.Current.CancellationToken);
        var over = await SpeechRequestReader.ReadAsync(DataPlaneRequests.Json($$"""{"model":"op:text-to-speech","input":"{{limit}}b","voice":"echo"}"""), routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(atLimit.IsValid);
        Assert.Equal("input_too_long", over.Error?.Code);
        Assert.Equal("input", over.Param);
    }

    [Fact]
    public async Task ReadAsync_VoiceKnownOnlyToAFallbackFreeRoute_DependsOnTheRoutesModels()
    {
        var routes = await DataPlaneRequests.RoutesAsync(
            new Helix.Core.Routing.RouteConfig { Operation = "edge-only", PrimaryModel = "edge-tts/en-US-AriaNeural", Modality = Helix.Core.Routing.Modality.Speech },
            new Helix.Core.Routing.RouteConfig { Operation = "mini-tts", PrimaryModel = "openai/gpt-4o-mini-tts", Modality = Helix.Core.Routing.Modality.Speech });

        var edgeVoice = await SpeechRequestReader.ReadAsync(DataPlaneRequests.Json("""{"model":"op:edge-only","input":"Hallo","voice":"de-DE-KatjaNeural"}"""), routes, s_options, TestContext.Current.CancellationToken);
        var ballad = await SpeechRequestReader.ReadAsync(DataPlaneRequests.Json("""{"model":"op:mini-tts","input":"Hi","voice":"ballad"}"""), routes, s_options, TestContext.Current.CancellationToken);
        var edgeOnMini = await SpeechRequestReader.ReadAsync(DataPlaneRequests.Json("""{"model":"op:mini-tts","input":"Hi","voice":"en-US-GuyNeural"}"""), routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(edgeVoice.IsValid, edgeVoice.Error?.Message);
        Assert.True(ballad.IsValid, ballad.Error?.Message);
        Assert.Equal("unknown_voice", edgeOnMini.Error?.Code);
        Assert.Contains("ballad", edgeOnMini.Error?.Message, StringComparison.Ordinal);
    }
}
