using System.Text;
using BenchmarkDotNet.Attributes;
using Helix.Core.Pricing;
using Helix.Providers.Gemini;
using Helix.Providers.OpenAI;

namespace Helix.Benchmarks;

/// <summary>The whole cost step of a call: read the provider's usage from its response body, then price it.</summary>
[MemoryDiagnoser]
public class MeteringBenchmarks
{
    private static readonly DateTimeOffset s_at = new(2026, 11, 24, 12, 0, 0, TimeSpan.Zero);

    private static readonly byte[] s_openAIBody = Encoding.UTF8.GetBytes("""
        {"id":"chatcmpl-abc123","object":"chat.completion","created":1764000000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Three bullet points about the quarter."},"finish_reason":"stop"}],
         "usage":{"prompt_tokens":2006,"completion_tokens":300,"total_tokens":2306,
           "prompt_tokens_details":{"cached_tokens":1920,"audio_tokens":0},
           "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}}}
        """);

    private static readonly byte[] s_geminiBody = Encoding.UTF8.GetBytes("""
        {"candidates":[{"content":{"role":"model","parts":[{"text":"A summary."}]},"finishReason":"STOP"}],
         "usageMetadata":{"promptTokenCount":11930,"cachedContentTokenCount":10000,"candidatesTokenCount":200,"thoughtsTokenCount":640,
           "toolUsePromptTokenCount":0,"totalTokenCount":12770,
           "promptTokensDetails":[{"modality":"TEXT","tokenCount":10010},{"modality":"AUDIO","tokenCount":1920}],
           "cacheTokensDetails":[{"modality":"TEXT","tokenCount":10000}],
           "candidatesTokensDetails":[{"modality":"TEXT","tokenCount":200}]},
         "modelVersion":"gemini-2.5-flash","responseId":"xYz"}
        """);

    private CostEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new CostEngine(BuiltInPriceBook.Create());
        OpenAIResponse();
        GeminiResponse();
    }

    [Benchmark]
    public decimal? OpenAIResponse()
    {
        var usage = OpenAIUsage.ParseChatCompletion(s_openAIBody);
        return _engine.Price("openai", "gpt-4o-mini", usage, s_at).TotalUsd;
    }

    [Benchmark]
    public decimal? GeminiResponse()
    {
        var usage = GeminiUsage.ParseGenerateContent(s_geminiBody);
        return _engine.Price("gemini", "gemini-2.5-flash", usage, s_at).TotalUsd;
    }
}
