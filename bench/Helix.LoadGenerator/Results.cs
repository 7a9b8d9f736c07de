namespace Helix.LoadGenerator;

/// <summary>Everything the suite measured on one target; written as JSON, read back by the table and the check.</summary>
internal sealed record SuiteResult(
    string Name,
    List<PhaseResult> Phases,
    List<StepResult> Steps,
    double? MaxRpsAtP99Under1Ms,
    double? MaxRpsAtP99Under5Ms,
    double? RssPeakMb,
    double? RssMb);

/// <summary>One fixed-concurrency phase (closed loop). Latencies in milliseconds, to the last byte.</summary>
internal sealed record PhaseResult(
    string Name,
    int Callers,
    int DelayMs,
    bool Stream,
    long Requests,
    long Errors,
    double Rps,
    double P50,
    double P99,
    double P999,
    double FirstByteP50,
    double FirstByteP99,
    double? CpuMicrosecondsPerRequest,
    double? AllocatedBytesPerRequest);

/// <summary>
/// One step of paced (open-loop) load; latencies from each call's intended send time, in milliseconds. The dispatch
/// lag (how late the load generator itself sent, p99) tells a saturated load generator from a slow target.
/// </summary>
internal sealed record StepResult(
    double Rate, long Requests, long Errors, double P50, double P99, double P999, double? CpuMicrosecondsPerRequest, double DispatchLagP99);
