using System.Globalization;
using System.Text.Json.Nodes;

namespace Helix.Core.Experiments;

/// <summary>An experiment as JSON text, for the change history's before and after.</summary>
public static class ExperimentJson
{
    /// <summary>Writes <paramref name="experiment"/> as a JSON object; money and fractions as decimal strings.</summary>
    public static string Write(ExperimentConfig experiment)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        var rails = experiment.Guardrails;
        return new JsonObject
        {
            ["id"] = experiment.Id,
            ["operation"] = experiment.Operation,
            ["status"] = experiment.Status.ToString().ToLowerInvariant(),
            ["arms"] = new JsonArray([.. experiment.Arms.Select(a => (JsonNode)new JsonObject
            {
                ["name"] = a.Name,
                ["model"] = a.Model,
                ["share"] = Text(a.Share),
            })]),
            ["guardrails"] = new JsonObject
            {
                ["maxErrorRateIncrease"] = Text(rails.MaxErrorRateIncrease),
                ["maxLatencyP95Increase"] = Text(rails.MaxLatencyP95Increase),
                ["maxCostPerCallIncrease"] = Text(rails.MaxCostPerCallIncrease),
                ["maxQualityDecrease"] = Text(rails.MaxQualityDecrease),
                ["minCallsPerArm"] = rails.MinCallsPerArm,
                ["alpha"] = Text(rails.Alpha),
            },
            ["createdAt"] = experiment.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
            ["createdBy"] = experiment.CreatedBy,
            ["stoppedAt"] = experiment.StoppedAt?.ToString("O", CultureInfo.InvariantCulture),
            ["stoppedBy"] = experiment.StoppedBy,
            ["stopReason"] = experiment.StopReason,
            ["winner"] = experiment.Winner,
        }.ToJsonString();
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
