using Helix.Core.Reconciliation;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Reconciliation;

public sealed class ReconciliationReportTests
{
    [Fact]
    public void FromJson_ReportWrittenByToJson_ReadsItBackExactly()
    {
        var reconciler = new Reconciler(new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero)));
        var export = new DeepgramUsageExportParser().Parse(ExportFiles.Read("deepgram-requests.json"));
        var report = reconciler.Reconcile(export, [LogRows.Priced("deepgram", "nova-3", LogRows.At(11, 25, 8), 0.058m) with { ProviderRequestId = "8d3e4c66-2b80-4b60-9c79-3f405e6d7c82" }]) with { Id = 42 };

        var json = report.ToJson();
        var read = ReconciliationReport.FromJson(json);

        Assert.Equal(json, read.ToJson());
        Assert.Equal(42, read.Id);
        Assert.Equal(0.0462m, read.RequestMismatches[0].TheirsUsd);
        Assert.Equal(BucketPresence.OnlyInBill, read.Buckets[0].Presence);
        Assert.Contains("\"presence\":\"onlyInBill\"", json, StringComparison.Ordinal);
        Assert.Contains("\"theirsUsd\":\"0.0462\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_ReportStoredWithJsonNumbers_StillReads()
    {
        var reconciler = new Reconciler(new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 6, 0, 0, TimeSpan.Zero)));
        var export = new DeepgramUsageExportParser().Parse(ExportFiles.Read("deepgram-requests.json"));
        var json = reconciler.Reconcile(export, []).ToJson();
        var numbers = System.Text.RegularExpressions.Regex.Replace(json, "\"(-?[0-9]+(\\.[0-9]+)?)\"", "$1");

        var read = ReconciliationReport.FromJson(numbers);

        Assert.DoesNotContain("Usd\":\"", numbers, StringComparison.Ordinal);
        Assert.Equal(json, read.ToJson());
    }
}
