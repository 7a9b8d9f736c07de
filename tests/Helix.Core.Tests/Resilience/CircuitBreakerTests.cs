using Helix.Core.Resilience;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Helix.Core.Tests.Resilience;

public sealed class CircuitBreakerTests
{
    private static readonly TimeSpan s_break = TimeSpan.FromSeconds(30);

    [Fact]
    public void TryEnter_Closed_LetsEveryCallThrough()
    {
        var circuit = new CircuitBreaker(3, s_break, new FakeTimeProvider());

        Assert.All(Enumerable.Range(0, 10), _ => Assert.True(circuit.TryEnter()));
        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void RecordFailure_BelowThreshold_StaysClosed()
    {
        var circuit = new CircuitBreaker(3, s_break, new FakeTimeProvider());

        circuit.RecordFailure();
        circuit.RecordFailure();

        Assert.False(circuit.IsOpen);
        Assert.True(circuit.TryEnter());
    }

    [Fact]
    public void RecordSuccess_BetweenFailures_RestartsTheCount()
    {
        var circuit = new CircuitBreaker(3, s_break, new FakeTimeProvider());

        circuit.RecordFailure();
        circuit.RecordFailure();
        circuit.RecordSuccess();
        circuit.RecordFailure();
        circuit.RecordFailure();

        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void RecordFailure_AtThreshold_OpensForTheBreakDuration()
    {
        var time = new FakeTimeProvider();
        var circuit = new CircuitBreaker(3, s_break, time);

        circuit.RecordFailure();
        circuit.RecordFailure();
        circuit.RecordFailure();

        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter());

        time.Advance(s_break - TimeSpan.FromTicks(1));

        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter());
    }

    [Fact]
    public void TryEnter_BreakOver_LetsExactlyOneConcurrentTrialThrough()
    {
        var time = new FakeTimeProvider();
        var circuit = Opened(time);
        time.Advance(s_break);
        var admitted = 0;

        Parallel.For(0, 64, _ =>
        {
            if (circuit.TryEnter())
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(1, admitted);
        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void RecordSuccess_AfterTrial_ClosesCircuit()
    {
        var time = new FakeTimeProvider();
        var circuit = Opened(time);
        time.Advance(s_break);
        Assert.True(circuit.TryEnter());

        circuit.RecordSuccess();

        Assert.True(circuit.TryEnter());
        Assert.True(circuit.TryEnter());
        circuit.RecordFailure();
        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public void RecordFailure_AfterTrial_ReopensForAnotherFullBreak()
    {
        var time = new FakeTimeProvider();
        var circuit = Opened(time);
        time.Advance(s_break);
        Assert.True(circuit.TryEnter());

        circuit.RecordFailure();

        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter());
        time.Advance(s_break - TimeSpan.FromTicks(1));
        Assert.False(circuit.TryEnter());
        time.Advance(TimeSpan.FromTicks(1));
        Assert.True(circuit.TryEnter());
    }

    [Fact]
    public void ReleaseTrial_HalfOpen_LetsTheNextCallerTry()
    {
        var time = new FakeTimeProvider();
        var circuit = Opened(time);
        time.Advance(s_break);
        Assert.True(circuit.TryEnter());
        Assert.False(circuit.TryEnter());

        circuit.ReleaseTrial();

        Assert.True(circuit.TryEnter());
        Assert.False(circuit.TryEnter());
    }

    [Fact]
    public void ReleaseTrial_Open_KeepsSkippingUntilBreakEnds()
    {
        var circuit = Opened(new FakeTimeProvider());

        circuit.ReleaseTrial();

        Assert.True(circuit.IsOpen);
        Assert.False(circuit.TryEnter());
    }

    [Fact]
    public void Constructor_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CircuitBreaker(0, s_break, TimeProvider.System));
        Assert.Throws<ArgumentNullException>(() => new CircuitBreaker(1, s_break, null!));
    }

    private static CircuitBreaker Opened(FakeTimeProvider time)
    {
        var circuit = new CircuitBreaker(2, s_break, time);
        circuit.RecordFailure();
        circuit.RecordFailure();
        Assert.True(circuit.IsOpen);
        return circuit;
    }
}
