using System.Net.Http.Headers;
using Helix.Core.Calls.Transcription;
using Helix.Gateway.Configuration;
using Helix.Gateway.DataPlane.Audio;
using Helix.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Helix.Gateway.Tests.DataPlane.Audio;

public sealed class TranscriptionRequestReaderTests
{
    private static readonly GatewayOptions s_options = new() { MaxRequestBodyBytes = 1024 * 1024 };

    [Fact]
    public async Task ReadAsync_OpenAIForm_ReadsEveryFieldAndTheAudio()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var form = DataPlaneRequests.Form(TestAudio.WavSeconds(3, channels: 2), "meeting.wav", "audio/wav",
            ("model", "op:audio-transcription"), ("language", "en"), ("prompt", "Helix, Kenobi"), ("response_format", "verbose_json"),
            ("temperature", "0.2"), ("timestamp_granularities[]", "segment"), ("user", "ann"));

        var read = await TranscriptionRequestReader.ReadAsync(await DataPlaneRequests.MultipartAsync(form), routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(read.IsValid, read.Error?.Message);
        var request = read.Value;
        Assert.Equal("audio-transcription", request.Request.Operation);
        Assert.Equal("ann", request.Request.User);
        Assert.Equal("meeting.wav", request.FileName);
        Assert.Equal(new AudioInfo(AudioContainer.Wav, 3m, 2), request.Inspected);
        Assert.Equal(TestAudio.WavSeconds(3, channels: 2), request.Audio.ToArray());
        Assert.Equal("en", request.Language);
        Assert.Equal("Helix, Kenobi", request.Prompt);
        Assert.Equal(TranscriptFormat.VerboseJson, request.Format);
        Assert.Equal(0.2, request.Temperature);
        Assert.False(request.Multichannel);
    }

    [Fact]
    public async Task ReadAsync_OctetStreamFileWithoutExtensionAndOperationHeader_TrustsTheBytes()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var form = DataPlaneRequests.Form(TestAudio.Mp3Cbr(100, sampleRate: 48000), "blob", "application/octet-stream", ("multichannel", "true"));

        var read = await TranscriptionRequestReader.ReadAsync(await DataPlaneRequests.MultipartAsync(form, "audio-transcription", "bob"), routes, s_options, TestContext.Current.CancellationToken);

        Assert.True(read.IsValid, read.Error?.Message);
        Assert.Equal(AudioContainer.Mp3, read.Value.Inspected.Container);
        Assert.Equal(2.4m, read.Value.Inspected.DurationSeconds);
        Assert.Equal("bob", read.Value.Request.User);
        Assert.True(read.Value.Multichannel);
        Assert.Equal(TranscriptFormat.Json, read.Value.Format);
    }

    public static TheoryData<string, int, string, string?> BadForms => new()
    {
        { "no-model", 400, "invalid_request", "model" },
        { "chat", 400, "operation_modality_mismatch", "model" },
        { "speech", 400, "operation_modality_mismatch", "model" },
        { "no-file", 400, "invalid_request", "file" },
        { "empty-file", 400, "invalid_request", "file" },
        { "text-file", 400, "unsupported_audio_format", "file" },
        { "wav-as-mp3", 400, "audio_format_mismatch", "file" },
        { "mp3-named-ogg", 400, "audio_format_mismatch", "file" },
        { "language", 400, "invalid_request", "language" },
        { "format", 400, "invalid_request", "response_format" },
        { "temperature", 400, "invalid_request", "temperature" },
        { "stream", 400, "invalid_request", "stream" },
        { "prompt", 400, "invalid_request", "prompt" },
    };

    [Theory]
    [MemberData(nameof(BadForms))]
    public async Task ReadAsync_BadForm_IsRefusedNamingTheField(string @case, int status, string code, string? param)
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var wav = TestAudio.WavSeconds(1);
        (string, string) op = ("model", "op:audio-transcription");
        var form = @case switch
        {
            "no-model" => DataPlaneRequests.Form(wav),
            "chat" => DataPlaneRequests.Form(wav, fields: ("model", "op:chat")),
            "speech" => DataPlaneRequests.Form(wav, fields: ("model", "op:text-to-speech")),
            "no-file" => DataPlaneRequests.Form(null, fields: op),
            "empty-file" => DataPlaneRequests.Form([], fields: op),
            "text-file" => DataPlaneRequests.Form("just some words"u8.ToArray(), "notes.txt", "text/plain", op),
            "wav-as-mp3" => DataPlaneRequests.Form(wav, "speech.mp3", "audio/mpeg", op),
            "mp3-named-ogg" => DataPlaneRequests.Form(TestAudio.Mp3Cbr(20), "speech.ogg", null, op),
            "language" => DataPlaneRequests.Form(wav, fields: [op, ("language", "english please")]),
            "format" => DataPlaneRequests.Form(wav, fields: [op, ("response_format", "xml")]),
            "temperature" => DataPlaneRequests.Form(wav, fields: [op, ("temperature", "1.5")]),
            "stream" => DataPlaneRequests.Form(wav, fields: [op, ("stream", "true")]),
            _ => DataPlaneRequests.Form(wav, fields: [op, ("prompt", new string('p', 5000))]),
        };

        var read = await TranscriptionRequestReader.ReadAsync(await DataPlaneRequests.MultipartAsync(form), routes, s_options, TestContext.Current.CancellationToken);

        Assert.False(read.IsValid);
        Assert.Equal(status, read.Error.StatusCode);
        Assert.Equal(code, read.Error.Code);
        Assert.Equal(param, read.Param);
    }

    [Fact]
    public async Task ReadAsync_JsonInsteadOfAForm_IsRefused()
    {
        var routes = await DataPlaneRequests.RoutesAsync();

        var read = await TranscriptionRequestReader.ReadAsync(DataPlaneRequests.Json("""{"model":"op:audio-transcription"}"""), routes, s_options, TestContext.Current.CancellationToken);

        Assert.Equal(400, read.Error?.StatusCode);
        Assert.Contains("multipart/form-data", read.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_BodyOverTheLimit_Is413()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var form = DataPlaneRequests.Form(TestAudio.WavSeconds(40), fields: ("model", "op:audio-transcription"));

        var read = await TranscriptionRequestReader.ReadAsync(await DataPlaneRequests.MultipartAsync(form), routes, s_options, TestContext.Current.CancellationToken);

        Assert.Equal(413, read.Error?.StatusCode);
    }

    [Fact]
    public async Task ReadAsync_MalformedMultipart_IsRefused()
    {
        var routes = await DataPlaneRequests.RoutesAsync();
        var context = new DefaultHttpContext();
        var bytes = "--b\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nop:audio-transcription\r\n--b\r\nbroken"u8.ToArray();
        context.Request.ContentType = new MediaTypeHeaderValue("multipart/form-data") { Parameters = { new NameValueHeaderValue("boundary", "b") } }.ToString();
        context.Request.Body = new MemoryStream(bytes);

        var read = await TranscriptionRequestReader.ReadAsync(context, routes, s_options, TestContext.Current.CancellationToken);

        Assert.Equal(400, read.Error?.StatusCode);
    }
}
