using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Helix.Core.Calls.Transcription;
using Helix.Core.Pipeline;
using Helix.Core.Routing;
using Helix.Gateway.Access;
using Helix.Gateway.Configuration;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace Helix.Gateway.DataPlane.Audio;

/// <summary>Reads and validates a <c>POST /v1/audio/transcriptions</c> form (OpenAI's <c>CreateTranscriptionRequest</c>) before anything is routed.</summary>
/// <remarks>
/// The body is read into memory once, within <c>Helix:MaxRequestBodyBytes</c> (413 beyond), and parsed as
/// multipart/form-data without temporary files; the file's bytes are inspected (real container, length, channels)
/// and a file that is empty, larger than OpenAI's 25 MB, not audio, or labelled as another format is refused.
/// Unknown fields are ignored, as an OpenAI-compatible server should; known fields are checked.
/// </remarks>
internal static class TranscriptionRequestReader
{
    /// <summary>OpenAI's limit on one audio file.</summary>
    public const int MaxFileBytes = 25 * 1024 * 1024;

    /// <summary>A bound on each text field, so no field can be a second upload.</summary>
    public const int MaxFieldLength = 4096;

    public static async Task<Checked<TranscriptionRequest>> ReadAsync(HttpContext context, RouteTable routes, GatewayOptions options, CancellationToken cancellationToken)
    {
        var http = context.Request;
        if (!MediaTypeHeaderValue.TryParse(http.ContentType, out var mediaType)
            || !mediaType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 } boundary)
        {
            return Checked<TranscriptionRequest>.Invalid("Send the audio as multipart/form-data with a 'file' part, as OpenAI's API takes it.", null);
        }

        var (buffer, error, status) = await RequestBody.ReadBytesAsync(http, options.MaxRequestBodyBytes, cancellationToken);
        if (buffer is null)
        {
            return Checked<TranscriptionRequest>.Invalid(error!, "file", statusCode: status);
        }

        var form = await ReadFormAsync(buffer.WrittenMemory, boundary, cancellationToken);
        if (form.Error is { } formError)
        {
            return Checked<TranscriptionRequest>.Invalid(formError, form.ErrorParam);
        }

        return Validate(http, form, routes);
    }

    private static Checked<TranscriptionRequest> Validate(HttpRequest http, Form form, RouteTable routes)
    {
        if (!OperationName.TryResolve(http, form.Field("model"), out var operation, out var operationError))
        {
            return Checked<TranscriptionRequest>.Fail(operationError!, "model");
        }

        var route = OperationRoute.Resolve(routes, operation, Modality.Transcription);
        if (!route.IsValid)
        {
            return Checked<TranscriptionRequest>.Fail(route.Error, route.Param);
        }

        if (form.File is not { } file)
        {
            return Checked<TranscriptionRequest>.Invalid("'file' is required: the audio, as a file part of the form.", "file");
        }

        if (file.Bytes.Length > MaxFileBytes)
        {
            return Checked<TranscriptionRequest>.Invalid($"The audio file is {file.Bytes.Length} bytes; the limit is {MaxFileBytes}.", "file", statusCode: 413);
        }

        var audio = AudioInspector.Check(file.Bytes.Span, file.ContentType, file.FileName);
        if (!audio.IsSuccess)
        {
            return Checked<TranscriptionRequest>.Fail(audio.Error, "file");
        }

        var language = form.Field("language");
        if (language is not null && !IsLanguage(language))
        {
            return Checked<TranscriptionRequest>.Invalid("'language' must be an ISO-639-1 code such as \"en\" (a region, \"en-US\", is accepted).", "language");
        }

        if (!TranscriptRenderer.TryParse(form.Field("response_format"), out var format))
        {
            return Checked<TranscriptionRequest>.Invalid("'response_format' must be json, text, verbose_json, srt or vtt.", "response_format");
        }

        double? temperature = null;
        if (form.Field("temperature") is { } temperatureText)
        {
            if (!double.TryParse(temperatureText, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || t is < 0 or > 1)
            {
                return Checked<TranscriptionRequest>.Invalid("'temperature' must be a number from 0 to 1.", "temperature");
            }

            temperature = t;
        }

        if (form.Field("stream") is { } stream && !stream.Equals("false", StringComparison.OrdinalIgnoreCase))
        {
            return Checked<TranscriptionRequest>.Invalid("Streamed transcription is not served; leave 'stream' unset or false.", "stream");
        }

        var multichannel = false;
        if (form.Field("multichannel") is { } multichannelText && !bool.TryParse(multichannelText, out multichannel))
        {
            return Checked<TranscriptionRequest>.Invalid("'multichannel' must be true or false.", "multichannel");
        }

        var request = new OperationRequest
        {
            Operation = route.Value.Route.Operation,
            RequestId = RequestIds.New(),
            Principal = http.HttpContext.GetPrincipal(),
            User = EndUser.Read(http, form.Field("user")),
            RequestHash = ApprovalHeaders.BodyHashOf(http.HttpContext),
            ApprovalId = ApprovalHeaders.Id(http),
            ApprovalWait = ApprovalHeaders.WaitFor(http),
        };
        return new TranscriptionRequest(request, route.Value, file.Bytes, file.FileName ?? "audio", audio.Value, language,
            form.Field("prompt"), format, temperature, multichannel);
    }

    private static bool IsLanguage(string value)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        var primary = dash < 0 ? value : value[..dash];
        var region = dash < 0 ? "a" : value[(dash + 1)..];
        return primary.Length is 2 or 3 && primary.All(char.IsAsciiLetter)
            && region.Length is > 0 and <= 8 && region.All(char.IsAsciiLetterOrDigit);
    }

    private static async Task<Form> ReadFormAsync(ReadOnlyMemory<byte> body, string boundary, CancellationToken cancellationToken)
    {
        var form = new Form();
        var segment = MemoryMarshal.TryGetArray(body, out var array) ? array : new ArraySegment<byte>(body.ToArray());
        using var stream = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        var reader = new MultipartReader(boundary, stream) { BodyLengthLimit = body.Length };
        try
        {
            while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)
                    || !disposition.IsFormDisposition() && !disposition.IsFileDisposition())
                {
                    return form.Fail("A part of the form has no Content-Disposition: form-data header.", null);
                }

                var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
                using var part = new MemoryStream();
                await section.Body.CopyToAsync(part, cancellationToken);
                if (name == "file")
                {
                    if (form.File is not null)
                    {
                        return form.Fail("Send one 'file' part.", "file");
                    }

                    var fileName = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value;
                    form.File = new FilePart(part.GetBuffer().AsMemory(0, (int)part.Length), fileName, section.ContentType);
                    continue;
                }

                if (part.Length > MaxFieldLength * 4)
                {
                    return form.Fail($"The form field '{name}' is longer than {MaxFieldLength} characters.", name);
                }

                var text = Encoding.UTF8.GetString(part.GetBuffer(), 0, (int)part.Length);
                if (text.Length > MaxFieldLength)
                {
                    return form.Fail($"The form field '{name}' is longer than {MaxFieldLength} characters.", name);
                }

                form.Fields[name] = text;
            }
        }
        catch (InvalidDataException ex)
        {
            return form.Fail($"The multipart body is malformed: {ex.Message}", null);
        }
        catch (IOException ex)
        {
            return form.Fail($"The multipart body is malformed: {ex.Message}", null);
        }

        return form;
    }

    private sealed record FilePart(ReadOnlyMemory<byte> Bytes, string? FileName, string? ContentType);

    private sealed class Form
    {
        public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

        public FilePart? File { get; set; }

        public string? Error { get; private set; }

        public string? ErrorParam { get; private set; }

        public string? Field(string name) => Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

        public Form Fail(string error, string? param)
        {
            Error = error;
            ErrorParam = param;
            return this;
        }
    }
}
