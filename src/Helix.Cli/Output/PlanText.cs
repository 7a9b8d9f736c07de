using System.Text.Json;

namespace Helix.Cli.Output;

/// <summary>Prints an import plan (the admin API's JSON, or the offline one) for a person, reading it loosely.</summary>
internal static class PlanText
{
    public static void Write(JsonElement root, bool applied, TextWriter output)
    {
        var plan = root.TryGetProperty("plan", out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : root;
        if (root.TryGetProperty("applied", out var appliedElement) && appliedElement.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            applied = appliedElement.GetBoolean();
        }

        var added = Models(plan, "added");
        var changed = Models(plan, "changed");
        var unchanged = Models(plan, "unchanged");
        var retired = Models(plan, "retired");
        var effective = plan.TryGetProperty("effectiveFrom", out var from) && from.ValueKind == JsonValueKind.String
            ? $", effective from {from.GetString()}"
            : "";
        output.WriteLine(
            $"Import plan{effective}: {added.Count} added, {changed.Count} changed, {unchanged.Count} unchanged, {retired.Count} retired.");
        output.WriteLine("Rates are USD per 1M tokens, per audio minute or per 1M characters.");

        if (changed.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Changed (before -> after):");
            foreach (var model in changed)
            {
                output.WriteLine($"  {Name(model)}");
                var table = new TextTable("field", ">before", "", ">after");
                foreach (var change in Changes(model))
                {
                    table.Add(change.Field, change.Before, "->", change.After);
                }

                table.WriteTo(output, "      ", withHeader: false);
            }
        }

        if (retired.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Retired (the price book no longer prices them; left as they are):");
            foreach (var model in retired)
            {
                output.WriteLine($"  {Name(model)}");
            }
        }

        if (added.Count > 0)
        {
            output.WriteLine();
            output.WriteLine("Added (new models):");
            foreach (var model in added)
            {
                var rates = string.Join(", ", Changes(model).Select(c => $"{c.Field} {c.After}"));
                output.WriteLine($"  {Name(model)}: {rates}");
            }
        }

        output.WriteLine();
        if (added.Count + changed.Count == 0)
        {
            output.WriteLine("Nothing to apply: every imported price matches the price book.");
        }
        else if (applied)
        {
            output.WriteLine($"Applied: {added.Count + changed.Count} models have new override prices.");
        }
        else
        {
            output.WriteLine("Nothing was changed. Run again with --apply to apply this plan.");
        }
    }

    private static List<JsonElement> Models(JsonElement plan, string name) =>
        plan.TryGetProperty(name, out var array) && array.ValueKind == JsonValueKind.Array
            ? [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)]
            : [];

    private static string Name(JsonElement model)
    {
        var provider = Text(model, "provider");
        var name = Text(model, "model");
        var imported = Text(model, "importedModel");
        var full = provider.Length > 0 ? $"{provider}/{name}" : name;
        return imported.Length > 0 && !string.Equals(imported, name, StringComparison.OrdinalIgnoreCase)
            ? $"{full} (as {imported})"
            : full;
    }

    private static IEnumerable<(string Field, string Before, string After)> Changes(JsonElement model)
    {
        if (!model.TryGetProperty("changes", out var changes) && !model.TryGetProperty("fields", out changes))
        {
            yield break;
        }

        if (changes.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var change in changes.EnumerateArray())
        {
            yield return (Text(change, "field"), Rate(change, "before"), Rate(change, "after"));
        }
    }

    private static string Rate(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return "-";
        }

        return value.ValueKind switch
        {
            JsonValueKind.Number when value.TryGetDecimal(out var rate) => Usd.Plain(rate),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString() ?? "-",
            _ => "-",
        };
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
