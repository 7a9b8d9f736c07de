using System.Text.Json;
using Helix.Core.Pricing;

namespace Helix.Gateway.Configuration;

/// <summary>Reads <c>Helix:PriceOverridesFile</c> at start-up; a file that is not a valid price book stops the start.</summary>
internal static class ConfiguredPrices
{
    public static ConfiguredPriceOverrides Load(string path)
    {
        try
        {
            var document = PriceBookDocument.Parse(File.ReadAllText(path));
            var refused = new List<string>();
            var entries = document.ToCheckedEntries(isOverride: true, refused);
            if (refused.Count > 0)
            {
                throw new FormatException(string.Join(" ", refused));
            }

            return new ConfiguredPriceOverrides([.. entries]);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or IOException or UnauthorizedAccessException)
        {
            throw new GatewayConfigurationException($"Helix:PriceOverridesFile '{path}' is not a valid price book: {ex.Message}", ex);
        }
    }
}
