using Helix.Core.Metering;
using Xunit;

namespace Helix.Core.Tests.Metering;

public sealed class UsageMetersTests
{
    [Fact]
    public void PromptTokens_EveryInputMeter_SumsThemAll()
    {
        var meters = new UsageMeters
        {
            InputTokens = 1,
            CacheReadTokens = 2,
            CacheWrite5mTokens = 4,
            CacheWrite1hTokens = 8,
            InputAudioTokens = 16,
            CacheReadAudioTokens = 32,
            InputImageTokens = 64,
            InputVideoTokens = 128,
            OutputTokens = 1000,
        };

        Assert.Equal(255, meters.PromptTokens);
    }

    [Fact]
    public void CompletionTokens_OutputReasoningAndAudio_SumsThem()
    {
        var meters = new UsageMeters { InputTokens = 1000, OutputTokens = 10, ReasoningTokens = 200, OutputAudioTokens = 3000 };

        Assert.Equal(3210, meters.CompletionTokens);
    }

    [Fact]
    public void Addition_TwoReports_AddsEveryMeter()
    {
        var left = Every(1);
        var right = Every(100);

        var sum = left + right;

        Assert.Equal(Every(101), sum);
        Assert.Equal(sum, UsageMeters.Add(left, right));
    }

    [Fact]
    public void IsEmpty_Default_IsTrue()
    {
        Assert.True(default(UsageMeters).IsEmpty);
        Assert.True((default(UsageMeters) + default(UsageMeters)).IsEmpty);
    }

    [Fact]
    public void IsEmpty_AnySingleMeter_IsFalse()
    {
        Assert.False(new UsageMeters { AudioSeconds = 0.5m }.IsEmpty);
        Assert.False(new UsageMeters { Requests = 1 }.IsEmpty);
        Assert.False(new UsageMeters { CacheStorageTokenHours = 0.01m }.IsEmpty);
        Assert.False(new UsageMeters { OutputTokens = 1 }.IsEmpty);
    }

    [Fact]
    public void Unknown_UsageReport_IsNotKnownAndHasNoMeters()
    {
        var report = UsageReport.Unknown("gpt-4o-2024-08-06", "chatcmpl-1");

        Assert.False(report.IsKnown);
        Assert.True(report.Meters.IsEmpty);
        Assert.Equal(("gpt-4o-2024-08-06", "chatcmpl-1", (string?)null), (report.ReportedModel, report.ProviderRequestId, report.ServiceTier));
    }

    private static UsageMeters Every(long n) => new()
    {
        InputTokens = n,
        CacheReadTokens = n * 2,
        CacheWrite5mTokens = n * 3,
        CacheWrite1hTokens = n * 4,
        InputAudioTokens = n * 5,
        CacheReadAudioTokens = n * 6,
        InputImageTokens = n * 7,
        InputVideoTokens = n * 8,
        ToolPromptTokens = n * 9,
        OutputTokens = n * 10,
        ReasoningTokens = n * 11,
        OutputAudioTokens = n * 12,
        AudioSeconds = n * 0.5m,
        Characters = n * 13,
        Requests = n * 14,
        WebSearchRequests = n * 15,
        CacheStorageTokenHours = n * 0.25m,
    };
}
