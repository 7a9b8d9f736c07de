namespace Helix.Core.Reconciliation;

/// <summary>A parsed provider bill: its lines and the UTC days it covers.</summary>
/// <remarks>
/// Immutable. The period can be wider than the days that have lines: an export whose day buckets are empty still
/// covers those days, so calls we logged on them are reported as missing from the bill.
/// </remarks>
/// <param name="Provider">The Helix provider id.</param>
/// <param name="Lines">The billed lines.</param>
/// <param name="From">The first UTC day the export covers, or <see langword="null"/> when it is empty.</param>
/// <param name="To">The last UTC day (inclusive) the export covers, or <see langword="null"/> when it is empty.</param>
public sealed record BillingExport(string Provider, IReadOnlyList<BilledLine> Lines, DateOnly? From, DateOnly? To);
