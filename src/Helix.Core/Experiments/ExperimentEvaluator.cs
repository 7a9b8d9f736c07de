using System.Globalization;
using Helix.Core.Feedback;
using Helix.Core.OperationLog;
using Helix.Core.Pricing;
using Helix.Core.Savings;

namespace Helix.Core.Experiments;

/// <summary>Evaluates an experiment from the operation log with always-valid confidence sequences, off the request path.</summary>
/// <remarks>
/// <para>
/// The unit is a call: the first attempt of each call under the experiment (attempt 1 carries the arm's model). A call
/// is an error of its arm when that attempt failed or ran on another model (the arm's model was skipped: an open
/// circuit, a missing price). Cost per call and latency come from the arm's served first attempts. The log is streamed
/// in chunks from the experiment's start; only aggregates are kept (sums, and a latency histogram per arm).
/// </para>
/// <para>
/// Decisions, once every arm has <see cref="ExperimentGuardrails.MinCallsPerArm"/> calls, each bound at level α from
/// <see cref="ConfidenceSequence.Difference"/>: a candidate breaches a guardrail when the lower bound of its error-rate
/// increase exceeds <see cref="ExperimentGuardrails.MaxErrorRateIncrease"/>, when the lower bound of its cost-per-call
/// increase exceeds <see cref="ExperimentGuardrails.MaxCostPerCallIncrease"/> of the control's, or when its latency p95
/// exceeds the control's by more than <see cref="ExperimentGuardrails.MaxLatencyP95Increase"/>, or, once every arm has
/// <see cref="MinScoredCallsPerArm"/> rated calls, when the upper bound of its mean feedback score's difference (−1..1
/// scale, from <see cref="IFeedbackStore.GetArmQualityAsync"/>) is below −<see cref="ExperimentGuardrails.MaxQualityDecrease"/>; any breach stops the
/// experiment with the control kept. A candidate wins when the upper bound of its cost difference is below zero
/// (cheaper) and the upper bound of its error-rate increase is within the guardrail (non-inferior), with no latency
/// breach and, when quality is judged, the lower bound of its quality difference within the quality guardrail; the cheapest winner is named. When every candidate is shown not cheaper, the control wins. Error rates use
/// a Laplace-smoothed variance (k+1)/(n+2) so that an arm with no error yet still has a width; feedback scores, a
/// variance with two pseudo-ratings at −1 and 1. Thread-safe.
/// </para>
/// </remarks>
public sealed class ExperimentEvaluator
{
    /// <summary>The method, as results name it.</summary>
    public const string Method =
        "asymptotic confidence sequences (Waudby-Smith et al., 2024, arXiv:2103.06476), each arm at alpha/2, union bound for differences";

    /// <summary>Rated calls every arm needs before quality decides anything (a breach, or holding back a winner).</summary>
    public const int MinScoredCallsPerArm = Savings.QualityGate.MinRatedCalls;

    private readonly IOperationLogStore _log;
    private readonly TimeProvider _time;
    private readonly IFeedbackStore? _feedback;

    /// <summary>Creates an evaluator over the log and, when given, the feedback on its calls.</summary>
    /// <param name="log">The operation log.</param>
    /// <param name="time">The clock.</param>
    /// <param name="feedback">The feedback store; without one, quality is never judged.</param>
    public ExperimentEvaluator(IOperationLogStore log, TimeProvider time, IFeedbackStore? feedback = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(time);
        _log = log;
        _time = time;
        _feedback = feedback;
    }

    /// <summary>Evaluates <paramref name="experiment"/> from its start to its stop (or now).</summary>
    public async Task<ExperimentResult> EvaluateAsync(ExperimentConfig experiment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var now = _time.GetUtcNow();
        var tallies = experiment.Arms.ToDictionary(a => a.Name, a => new Tally(a), StringComparer.Ordinal);
        var to = experiment.StoppedAt ?? now.AddTicks(1);
        await foreach (var row in _log.ReadRangeAsync(experiment.CreatedAt, to, cancellationToken))
        {
            if (row.Attempt != 1 || row.ExperimentArm is null || row.Status is AttemptStatus.Cancelled
                || !string.Equals(row.ExperimentId, experiment.Id, StringComparison.Ordinal)
                || !tallies.TryGetValue(row.ExperimentArm, out var tally))
            {
                continue;
            }

            tally.Add(row);
        }

        if (_feedback is not null)
        {
            foreach (var quality in await _feedback.GetArmQualityAsync(experiment.Id, cancellationToken))
            {
                if (tallies.TryGetValue(quality.Arm, out var tally))
                {
                    tally.Quality = quality;
                }
            }
        }

        return Decide(experiment, [.. experiment.Arms.Select(a => tallies[a.Name])], now);
    }

    private static ExperimentResult Decide(ExperimentConfig experiment, Tally[] tallies, DateTimeOffset now)
    {
        var rails = experiment.Guardrails;
        var alpha = (double)rails.Alpha;
        var tunedFor = Math.Max(rails.MinCallsPerArm, 1);
        var control = tallies[0];
        var arms = tallies.Select(t => t.Result()).ToArray();
        var enough = tallies.All(t => t.Calls >= rails.MinCallsPerArm);
        List<ArmComparison> comparisons = [];
        string? breach = null;
        ArmComparison? bestWinner = null;
        double bestCost = double.MaxValue;
        var allNotCheaper = true;
        for (var i = 1; i < tallies.Length; i++)
        {
            var candidate = tallies[i];
            var errors = candidate.Calls > 0 && control.Calls > 0
                ? ConfidenceSequence.Difference(candidate.ErrorMean, candidate.ErrorSd, candidate.Calls, control.ErrorMean, control.ErrorSd, control.Calls, alpha, tunedFor)
                : null;
            var cost = candidate.Served > 0 && control.Served > 0
                ? ConfidenceSequence.Difference(candidate.CostMean, candidate.CostSd, candidate.Served, control.CostMean, control.CostSd, control.Served, alpha, tunedFor)
                : null;
            double? change = cost is not null && control.CostMean > 0 ? cost.Estimate / control.CostMean : null;
            var quality = candidate.Scored > 0 && control.Scored > 0
                ? ConfidenceSequence.Difference(candidate.QualityMean, candidate.QualitySd, candidate.Scored, control.QualityMean, control.QualitySd, control.Scored, alpha, Math.Max(MinScoredCallsPerArm, 1))
                : null;
            var qualityJudged = quality is not null && candidate.Scored >= MinScoredCallsPerArm && control.Scored >= MinScoredCallsPerArm;
            var maxQualityDecrease = (double)rails.MaxQualityDecrease;
            double? latencyRatio = candidate.Latency.Percentile(0.95) is { } cp && control.Latency.Percentile(0.95) is { } kp && kp > 0 ? cp / kp : null;

            string verdict;
            string reason;
            if (!enough || errors is null)
            {
                verdict = "collecting";
                reason = $"waiting for {rails.MinCallsPerArm} calls per arm (control {control.Calls}, {candidate.Arm.Name} {candidate.Calls})";
                allNotCheaper = false;
            }
            else if (errors.Lower > (double)rails.MaxErrorRateIncrease)
            {
                // Judged before cost: an arm that never served a call has no cost, and that is the worst case.
                verdict = "guardrail-breached";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}) error rate is higher than the control's by at least {Pct(errors.Lower)} (estimate {Pct(errors.Estimate)}), above the {Pct((double)rails.MaxErrorRateIncrease)} guardrail";
            }
            else if (qualityJudged && quality!.Upper < -maxQualityDecrease)
            {
                verdict = "guardrail-breached";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}) feedback score is lower than the control's by at least {Score(-quality.Upper)} (estimate {Score(-quality.Estimate)}, {candidate.Scored} and {control.Scored} rated calls), above the {Score(maxQualityDecrease)} quality guardrail";
            }
            else if (cost is null)
            {
                verdict = "collecting";
                reason = $"waiting for served calls on both arms to compare costs (control {control.Served}, {candidate.Arm.Name} {candidate.Served})";
                allNotCheaper = false;
            }
            else if (cost.Lower > (double)rails.MaxCostPerCallIncrease * control.CostMean)
            {
                verdict = "guardrail-breached";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}) costs more per call than the control by at least {Usd(cost.Lower)} USD (estimate {Usd(cost.Estimate)} USD)";
            }
            else if (latencyRatio > 1 + (double)rails.MaxLatencyP95Increase)
            {
                verdict = "guardrail-breached";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}) latency p95 is {latencyRatio.Value.ToString("0.00", CultureInfo.InvariantCulture)}x the control's, above the {(1 + (double)rails.MaxLatencyP95Increase).ToString("0.00", CultureInfo.InvariantCulture)}x guardrail";
            }
            else if (cost.Upper < 0 && errors.Upper <= (double)rails.MaxErrorRateIncrease && (!qualityJudged || quality!.Lower >= -maxQualityDecrease))
            {
                verdict = "winner";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}) is cheaper per call by {Usd(-cost.Upper)} to {Usd(-cost.Lower)} USD ({Pct(-(change ?? 0))}) with an error-rate difference of {Pct(errors.Lower)} to {Pct(errors.Upper)}, within the {Pct((double)rails.MaxErrorRateIncrease)} guardrail{(qualityJudged ? $", and a feedback-score difference of {Score(quality!.Lower)} to {Score(quality.Upper)}" : "")}";
            }
            else if (cost.Lower >= 0)
            {
                verdict = "not-cheaper";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}) is not cheaper per call than the control (difference {Usd(cost.Lower)} to {Usd(cost.Upper)} USD)";
            }
            else
            {
                verdict = "undecided";
                reason = $"{candidate.Arm.Name} ({candidate.Arm.Model}): cost difference {Usd(cost.Lower)} to {Usd(cost.Upper)} USD, error-rate difference {Pct(errors.Lower)} to {Pct(errors.Upper)}; not yet clear";
            }

            var comparison = new ArmComparison(candidate.Arm.Name, errors, cost, change, latencyRatio, verdict, reason, quality);
            comparisons.Add(comparison);
            breach ??= verdict == "guardrail-breached" ? reason : null;
            if (verdict != "not-cheaper")
            {
                allNotCheaper = false;
            }

            if (verdict == "winner" && candidate.CostMean < bestCost)
            {
                bestCost = candidate.CostMean;
                bestWinner = comparison;
            }
        }

        if (breach is not null)
        {
            return new ExperimentResult(experiment.Id, now, arms, comparisons, true, ExperimentArm.ControlName, "guardrail breached: " + breach, Method);
        }

        if (bestWinner is not null)
        {
            return new ExperimentResult(experiment.Id, now, arms, comparisons, true, bestWinner.Arm, "winner: " + bestWinner.Reason, Method);
        }

        if (allNotCheaper && comparisons.Count > 0)
        {
            return new ExperimentResult(experiment.Id, now, arms, comparisons, true, ExperimentArm.ControlName, "no candidate is cheaper than the control", Method);
        }

        var waiting = comparisons.FirstOrDefault(c => c.Verdict == "collecting")?.Reason ?? "no decision is clear yet";
        return new ExperimentResult(experiment.Id, now, arms, comparisons, false, null, waiting, Method);
    }

    private static string Pct(double fraction) => (fraction * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    private static string Score(double score) => score.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Usd(double usd) => usd.ToString("0.##########", CultureInfo.InvariantCulture);

    private sealed class Tally(ExperimentArm arm)
    {
        private decimal _costSum;
        private double _costSquares;

        public ExperimentArm Arm { get; } = arm;

        public long Calls { get; private set; }

        public long Errors { get; private set; }

        public long Served { get; private set; }

        public LatencyHistogram Latency { get; } = new();

        public double ErrorMean => Calls == 0 ? 0 : (double)Errors / Calls;

        // Laplace-smoothed: an arm with no error yet (or only errors) still has a width.
        public double ErrorSd
        {
            get
            {
                var p = (Errors + 1.0) / (Calls + 2.0);
                return Math.Sqrt(p * (1 - p));
            }
        }

        public ArmQuality? Quality { get; set; }

        public long Scored => Quality?.ScoredCalls ?? 0;

        public double QualityMean => Scored == 0 ? 0 : Quality!.Sum / Scored;

        // Smoothed like the error rate: two pseudo-ratings at −1 and 1 join the variance, so identical scores still have a width.
        public double QualitySd
        {
            get
            {
                var n = Scored + 2.0;
                var mean = (Quality?.Sum ?? 0) / n;
                return Math.Sqrt(Math.Max(0, (((Quality?.SumOfSquares ?? 0) + 2) / n) - (mean * mean)));
            }
        }

        public double CostMean => Served == 0 ? 0 : (double)(_costSum / Served);

        public double CostSd => Served < 2 ? 0 : Math.Sqrt(Math.Max(0, (_costSquares - (Served * CostMean * CostMean)) / (Served - 1)));

        public void Add(OperationLogEntry row)
        {
            Calls++;
            if (row.Status != AttemptStatus.Success || !string.Equals(row.Model, Arm.Model, StringComparison.OrdinalIgnoreCase))
            {
                Errors++;
                return;
            }

            Latency.Add(row.LatencyMs);
            if (row.CostStatus != CostStatus.Unpriced && row.EffectiveCostUsd is { } cost)
            {
                Served++;
                _costSum += cost;
                _costSquares += (double)cost * (double)cost;
            }
        }

        public ArmResult Result() => new(Arm.Name, Arm.Model, Arm.Share, Calls, Errors, Served == 0 ? null : _costSum / Served, Latency.Percentile(0.95), Scored, Scored == 0 ? null : QualityMean);
    }
}
