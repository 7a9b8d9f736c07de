using Helix.Core.Alerts;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Helix.Core.Tests.Alerts;

public sealed class LoggingAlertSinkTests
{
    private static readonly DateTimeOffset s_at = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Recent_SeveralAlerts_NewestFirst()
    {
        var sink = new LoggingAlertSink(NullLogger<LoggingAlertSink>.Instance);

        sink.Raise(Alert(1));
        sink.Raise(Alert(2));
        sink.Raise(Alert(3));

        Assert.Equal(["alert 3", "alert 2", "alert 1"], sink.Recent.Select(a => a.Message));
    }

    [Fact]
    public void Raise_MoreThanCapacity_KeepsThe200Newest()
    {
        var sink = new LoggingAlertSink(NullLogger<LoggingAlertSink>.Instance);

        for (var i = 1; i <= 250; i++)
        {
            sink.Raise(Alert(i));
        }

        var recent = sink.Recent;
        Assert.Equal(200, recent.Count);
        Assert.Equal("alert 250", recent[0].Message);
        Assert.Equal("alert 51", recent[^1].Message);
    }

    [Fact]
    public void Raise_ConcurrentCallers_KeepsEveryAlertUpToCapacity()
    {
        var sink = new LoggingAlertSink(NullLogger<LoggingAlertSink>.Instance);

        Parallel.For(0, 150, i => sink.Raise(Alert(i)));

        Assert.Equal(150, sink.Recent.Select(a => a.Message).Distinct().Count());
    }

    [Fact]
    public void Recent_ReturnsCopy_LaterAlertsDoNotChangeIt()
    {
        var sink = new LoggingAlertSink(NullLogger<LoggingAlertSink>.Instance);
        sink.Raise(Alert(1));
        var before = sink.Recent;

        sink.Raise(Alert(2));

        Assert.Single(before);
    }

    [Fact]
    public void Raise_Null_Throws()
    {
        var sink = new LoggingAlertSink(NullLogger<LoggingAlertSink>.Instance);

        Assert.Throws<ArgumentNullException>(() => sink.Raise(null!));
        Assert.Throws<ArgumentNullException>(() => new LoggingAlertSink(null!));
    }

    private static Alert Alert(int n) => new("price_unknown", $"alert {n}", "chat", "openai/gpt-4o", s_at.AddSeconds(n));
}
