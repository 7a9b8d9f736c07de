namespace Helix.Simulator;

/// <summary>How a simulator is hosted and what it assumes about the audio it receives.</summary>
public sealed class SimulatorOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The clock of ledger timestamps and of the times in responses (<c>created</c>, Deepgram <c>created</c>).</summary>
    /// <remarks>Latency and chunk delays always run on real time, so a fake clock never stalls a response.</remarks>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Bytes per second of audio that is neither a WAV file nor described by Deepgram's <c>encoding</c> and
    /// <c>sample_rate</c> parameters. The default, 32,000, is 16 kHz 16-bit mono PCM.
    /// </summary>
    public int AudioBytesPerSecond { get; set; } = 32_000;

    /// <summary>The behaviour of every call no override matches; <see langword="null"/> means <c>new SimulatorBehavior()</c>.</summary>
    public SimulatorBehavior? DefaultBehavior { get; set; }
}
