using Helix.Core.OperationLog;
using Helix.Core.Pricing;

namespace Helix.Dashboard.Model;

/// <summary>One attempt of a call, with its cost per meter at the prices in force at its time (when it has a price).</summary>
/// <param name="Entry">The log row.</param>
/// <param name="Breakdown">The cost of each meter, or <see langword="null"/> when the model has no price.</param>
public sealed record AttemptDetail(OperationLogEntry Entry, CostBreakdown? Breakdown);
