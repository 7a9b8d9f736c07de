using System.Net.Http.Headers;
using System.Text;
using Helix.Core.Routing;
using Helix.Testing;
using Microsoft.AspNetCore.Http;

namespace Helix.Gateway.Tests.DataPlane.Audio;

/// <summary>Requests as Kestrel hands them to an endpoint, and the seeded routes (with <c>embeddings</c>) plus a disabled speech operation.</summary>
internal static class DataPlaneRequests
{
    public static async Task<RouteTable> RoutesAsync(params RouteConfig[] extra)
    {
        var routes = TestModels.Routes.Concat(
        [
            new RouteConfig
            {
                Operation = "speech-off",
                PrimaryModel = "openai/tts-1",
                Modality = Modality.Speech,
                Enabled = false,
                UpdatedAt = TestModels.SeededAt,
            },
            .. extra,
        ]);
        var table = new RouteTable(new InMemoryRouteStore([.. TestModels.Catalog, Gpt4oMiniTts], routes), TimeProvider.System);
        await table.ReloadAsync();
        return table;
    }

    public static readonly ModelConfig Gpt4oMiniTts = new()
    {
        Id = "openai/gpt-4o-mini-tts",
        Provider = "openai",
        ProviderModel = "gpt-4o-mini-tts",
        Modality = Modality.Speech,
        DefaultMaxOutputTokens = 0,
    };

    public static HttpContext Json(string body, string? operationHeader = null, string? userHeader = null)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = "POST";
        context.Request.ContentType = "application/json";
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        AddHeaders(context, operationHeader, userHeader);
        return context;
    }

    public static async Task<HttpContext> MultipartAsync(MultipartFormDataContent form, string? operationHeader = null, string? userHeader = null)
    {
        var context = new DefaultHttpContext();
        var bytes = await form.ReadAsByteArrayAsync();
        context.Request.Method = "POST";
        context.Request.ContentType = form.Headers.ContentType!.ToString();
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        AddHeaders(context, operationHeader, userHeader);
        return context;
    }

    public static MultipartFormDataContent Form(byte[]? file, string fileName = "speech.wav", string? contentType = "audio/wav", params (string Name, string Value)[] fields)
    {
        var form = new MultipartFormDataContent();
        if (file is not null)
        {
            var part = new ByteArrayContent(file);
            if (contentType is not null)
            {
                part.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            }

            form.Add(part, "file", fileName);
        }

        foreach (var (name, value) in fields)
        {
            form.Add(new StringContent(value), name);
        }

        return form;
    }

    private static void AddHeaders(HttpContext context, string? operationHeader, string? userHeader)
    {
        if (operationHeader is not null)
        {
            context.Request.Headers["X-Helix-Operation"] = operationHeader;
        }

        if (userHeader is not null)
        {
            context.Request.Headers["X-Helix-User"] = userHeader;
        }
    }
}
