using System.Text;
using BenchmarkDotNet.Attributes;
using Helix.Core.Providers;
using Helix.Gateway.DataPlane;
using Microsoft.AspNetCore.Http;

namespace Helix.Benchmarks;

/// <summary>The chat endpoint's reading of a request body (size limit, UTF-8, JSON, the request's checks) and the upstream's copy of it.</summary>
[MemoryDiagnoser]
public class RequestBodyBenchmarks
{
    private static readonly byte[] s_body = Encoding.UTF8.GetBytes(
        """{"model":"op:chat","max_tokens":256,"temperature":0.2,"user":"user-42","messages":[{"role":"system","content":"You are a terse analyst. Answer in one line."},{"role":"user","content":"Summarise the quarter: revenue up 12%, costs flat, two new customers in the north region, churn down to 1.1%."}]}""");

    private readonly DefaultHttpContext _context = new();
    private readonly ChatRequest _request = ChatRequest.Parse(s_body);

    /// <summary>Reads and checks a small chat body, as the endpoint does before the pipeline.</summary>
    [Benchmark]
    public async Task<bool> ReadChatBody()
    {
        var request = _context.Request;
        request.Body = new MemoryStream(s_body, writable: false);
        request.ContentLength = s_body.Length;
        var (body, _, _, _) = await RequestBody.ReadChatAsync(request, 1 << 20, CancellationToken.None);
        using (body)
        {
            return body is not null;
        }
    }

    /// <summary>Writes the body an OpenAI-compatible upstream gets: the caller's bytes with <c>model</c> replaced.</summary>
    [Benchmark]
    public int WriteUpstreamBody() => _request.WriteUpstreamJson("deepseek-chat", stream: false).Length;
}
