using System.Globalization;
using System.Text.Json;
using Helix.Core.Experiments;
using Helix.Gateway.Access;

namespace Helix.Gateway.Admin;

/// <summary>A/B experiments between models over the admin API; every start and stop is in the change history.</summary>
internal static class ExperimentEndpoints
{
    private const string Shape =
        "Send {\"operation\":\"<name>\",\"candidates\":[{\"model\":\"<model>\",\"share\":\"0.5\"}]} and optionally \"controlModel\" and " +
        "\"guardrails\":{\"maxErrorRateIncrease\",\"maxLatencyP95Increase\",\"maxCostPerCallIncrease\",\"maxQualityDecrease\",\"minCallsPerArm\",\"alpha\"}.";

    public static RouteGroupBuilder MapExperimentEndpoints(this RouteGroupBuilder admin)
    {
        admin.MapPost("/experiments", StartAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Start an A/B test on an operation: the control (the route's primary unless named) and candidates with traffic shares, sticky per user.");
        admin.MapGet("/experiments", ListAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("Every experiment, newest first, with its latest evaluation.");
        admin.MapGet("/experiments/{id}", GetAsync).RequireAccess(AdminAccess.Read)
            .WithSummary("One experiment, evaluated now from the log: arms, effect sizes with confidence intervals, verdicts.");
        admin.MapPost("/experiments/{id}/stop", StopAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Stop a running experiment: {\"reason\"?}; the route serves every call again.");
        admin.MapPost("/experiments/{id}/evaluate", EvaluateAsync).RequireAccess(AdminAccess.Operate)
            .WithSummary("Evaluate now, and stop the experiment when a guardrail is breached or a winner is clear.");
        return admin;
    }

    private static async Task<IResult> StartAsync(HttpContext context, ExperimentService experiments, CancellationToken cancellationToken)
    {
        JsonElement body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: cancellationToken);
        }
        catch (JsonException)
        {
            return Invalid(Shape);
        }

        if (AdminJsonBody.Problem(body, "operation", "controlModel", "candidates", "guardrails") is { } problem)
        {
            return Invalid(problem + " " + Shape);
        }

        if (!body.TryGetProperty("operation", out var operation) || operation.ValueKind != JsonValueKind.String)
        {
            return Invalid(Shape);
        }

        string? control = null;
        if (body.TryGetProperty("controlModel", out var controlValue) && controlValue.ValueKind != JsonValueKind.Null)
        {
            if (controlValue.ValueKind != JsonValueKind.String)
            {
                return Invalid("controlModel is a model id.");
            }

            control = controlValue.GetString();
        }

        if (!body.TryGetProperty("candidates", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            return Invalid(Shape);
        }

        List<(string, decimal)> candidates = [];
        foreach (var item in list.EnumerateArray())
        {
            if (AdminJsonBody.Problem(item, "model", "share") is not null || !item.TryGetProperty("model", out var model) || model.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("share", out var shareValue) || !TryDecimal(shareValue, out var share))
            {
                return Invalid("Each candidate is {\"model\":\"<model>\",\"share\":\"<fraction>\"}.");
            }

            candidates.Add((model.GetString()!, share));
        }

        ExperimentGuardrails? guardrails = null;
        if (body.TryGetProperty("guardrails", out var rails) && rails.ValueKind != JsonValueKind.Null)
        {
            if (!TryGuardrails(rails, out guardrails))
            {
                return Invalid("guardrails holds any of maxErrorRateIncrease, maxLatencyP95Increase, maxCostPerCallIncrease, maxQualityDecrease, alpha (decimal strings) and minCallsPerArm (a whole number).");
            }
        }

        var result = await experiments.StartAsync(new NewExperiment(operation.GetString()!, control, candidates, guardrails), context.GetPrincipal(), cancellationToken);
        return result.IsSuccess
            ? Results.Json(ExperimentBody.From(result.Value, null), statusCode: StatusCodes.Status201Created)
            : AdminEndpoints.Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
    }

    private static async Task<IResult> ListAsync(ExperimentService experiments, CancellationToken cancellationToken)
    {
        var all = await experiments.ListAsync(cancellationToken);
        return Results.Json(new AdminEndpoints.ItemList<ExperimentBody>([.. all.Select(e => ExperimentBody.From(e, experiments.LatestResult(e.Id)))]));
    }

    private static async Task<IResult> GetAsync(string id, ExperimentService experiments, CancellationToken cancellationToken)
    {
        var evaluated = await experiments.EvaluateAsync(id, apply: false, cancellationToken);
        return evaluated is { } e
            ? Results.Json(ExperimentBody.From(e.Experiment, e.Result))
            : AdminEndpoints.Problem(404, "Unknown experiment", $"No experiment '{id}'.");
    }

    private static async Task<IResult> EvaluateAsync(string id, ExperimentService experiments, CancellationToken cancellationToken)
    {
        var evaluated = await experiments.EvaluateAsync(id, apply: true, cancellationToken);
        return evaluated is { } e
            ? Results.Json(ExperimentBody.From(e.Experiment, e.Result))
            : AdminEndpoints.Problem(404, "Unknown experiment", $"No experiment '{id}'.");
    }

    private static async Task<IResult> StopAsync(string id, HttpContext context, ExperimentService experiments, CancellationToken cancellationToken)
    {
        var reason = "stopped by an operator";
        using var reader = new StreamReader(context.Request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (!string.IsNullOrWhiteSpace(text))
        {
            JsonElement body;
            try
            {
                body = JsonSerializer.Deserialize<JsonElement>(text);
            }
            catch (JsonException)
            {
                return Invalid("Send {\"reason\":\"<why>\"} or no body.");
            }

            if (AdminJsonBody.Problem(body, "reason") is { } problem)
            {
                return Invalid(problem + " Send {\"reason\":\"<why>\"} or no body.");
            }

            if (body.TryGetProperty("reason", out var reasonValue) && reasonValue.ValueKind != JsonValueKind.Null)
            {
                if (reasonValue.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(reasonValue.GetString()) || reasonValue.GetString()!.Length > 1000)
                {
                    return Invalid("reason is 1 to 1000 characters.");
                }

                reason = reasonValue.GetString()!;
            }
        }

        var result = await experiments.StopAsync(id, context.GetPrincipal(), reason, null, cancellationToken);
        return result.IsSuccess
            ? Results.Json(ExperimentBody.From(result.Value, experiments.LatestResult(id)))
            : AdminEndpoints.Problem(result.Error.StatusCode, result.Error.Code, result.Error.Message);
    }

    private static bool TryGuardrails(JsonElement rails, out ExperimentGuardrails? guardrails)
    {
        guardrails = null;
        if (rails.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        var value = new ExperimentGuardrails();
        foreach (var property in rails.EnumerateObject())
        {
            decimal number;
            switch (property.Name)
            {
                case "maxErrorRateIncrease" when TryDecimal(property.Value, out number):
                    value = value with { MaxErrorRateIncrease = number };
                    break;
                case "maxLatencyP95Increase" when TryDecimal(property.Value, out number):
                    value = value with { MaxLatencyP95Increase = number };
                    break;
                case "maxCostPerCallIncrease" when TryDecimal(property.Value, out number):
                    value = value with { MaxCostPerCallIncrease = number };
                    break;
                case "maxQualityDecrease" when TryDecimal(property.Value, out number):
                    value = value with { MaxQualityDecrease = number };
                    break;
                case "alpha" when TryDecimal(property.Value, out number):
                    value = value with { Alpha = number };
                    break;
                case "minCallsPerArm" when property.Value.ValueKind == JsonValueKind.Number && property.Value.TryGetInt32(out var calls):
                    value = value with { MinCallsPerArm = calls };
                    break;
                default:
                    return false;
            }
        }

        guardrails = value;
        return true;
    }

    private static bool TryDecimal(JsonElement value, out decimal number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.String => decimal.TryParse(value.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number),
            JsonValueKind.Number => value.TryGetDecimal(out number),
            _ => false,
        };
    }

    private static IResult Invalid(string detail) => AdminEndpoints.Problem(400, "Invalid experiment", detail);
}
