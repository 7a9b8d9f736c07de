namespace Helix.Simulator.Wire;

/// <summary>How one call goes: the behaviour that applies and the fault it suffers (already counted).</summary>
internal readonly record struct CallPlan(SimulatorBehavior Behavior, SimulatorFault Fault);
