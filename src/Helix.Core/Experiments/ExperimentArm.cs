namespace Helix.Core.Experiments;

/// <summary>One arm of an experiment: a model and the share of the operation's traffic it gets.</summary>
/// <param name="Name">The arm's name: <c>control</c> for the first, <c>candidate-1</c>, <c>candidate-2</c>, … for the others.</param>
/// <param name="Model">The catalog id of the model the arm's calls use first.</param>
/// <param name="Share">The fraction of callers assigned to the arm, in (0, 1); the arms' shares add up to 1.</param>
public sealed record ExperimentArm(string Name, string Model, decimal Share)
{
    /// <summary>The name of the first arm, the model the operation used before.</summary>
    public const string ControlName = "control";

    /// <summary>The name of the candidate at <paramref name="index"/> (1-based).</summary>
    public static string CandidateName(int index) => "candidate-" + index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
