using System.Text;
using System.Text.Json;
using Helix.Core.Pricing.Import;

namespace Helix.Cli.Output;

/// <summary>Writes an import plan as JSON, in the shape the admin API answers (without the full entries).</summary>
internal static class PlanJson
{
    public static string Write(PriceImportPlan plan)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonOutput.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("effectiveFrom", plan.EffectiveFrom);
            writer.WriteBoolean("applied", false);
            writer.WriteNumber("entriesToApply", plan.EntriesToApply.Count);
            WriteModels(writer, "added", plan.Added);
            WriteModels(writer, "changed", plan.Changed);
            WriteModels(writer, "unchanged", plan.Unchanged);
            WriteModels(writer, "retired", plan.Retired);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteModels(Utf8JsonWriter writer, string name, IReadOnlyList<ModelPriceChange> models)
    {
        writer.WriteStartArray(name);
        foreach (var model in models)
        {
            writer.WriteStartObject();
            writer.WriteString("provider", model.Provider);
            writer.WriteString("model", model.Model);
            writer.WriteString("importedModel", model.ImportedModel);
            writer.WriteString("kind", model.Kind.ToString());
            writer.WriteStartArray("changes");
            foreach (var change in model.Changes)
            {
                writer.WriteStartObject();
                writer.WriteString("field", change.Field);
                WriteRate(writer, "before", change.Before);
                WriteRate(writer, "after", change.After);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void WriteRate(Utf8JsonWriter writer, string name, decimal? value)
    {
        if (value is { } rate)
        {
            writer.WriteNumber(name, rate);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
