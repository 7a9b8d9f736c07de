using Helix.Core.Audit;
using Helix.Core.Pricing.Import;
using Helix.Core.Principals;

namespace Helix.Dashboard.Model;

/// <summary>Imports a LiteLLM price map from the dashboard through the <see cref="PriceImporter"/> that <c>POST /admin/api/prices/import</c> uses. Admins only.</summary>
/// <remarks>
/// A plan changes nothing. Applying saves the plan's added and changed prices as admin overrides, effective now,
/// reloads the price book (so the next call is priced with them) and appends <c>prices.import</c> to the change
/// history with the overrides before and after. Thread-safe.
/// </remarks>
public sealed class PriceImports(PriceImporter importer, IChangeHistory history)
{
    /// <summary>The largest price map read, in bytes.</summary>
    public const long MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Applies the plan of <paramref name="utf8Json"/> (action <c>prices.import</c>); a plan without changes changes nothing.</summary>
    public async Task<(CommandResult Result, PriceImportPreview? Preview)> ApplyAsync(Principal actor, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken = default)
    {
        var (result, preview) = Plan(actor, utf8Json);
        if (preview is null || await importer.ApplyAsync(actor, preview.Plan, cancellationToken) is not { } change)
        {
            return (result, preview);
        }

        await history.AppendAsync(change, cancellationToken);
        return (CommandResult.Done, preview with { Applied = true });
    }

    /// <summary>What importing <paramref name="utf8Json"/> would add, change and leave unchanged; changes nothing.</summary>
    public (CommandResult Result, PriceImportPreview? Preview) Plan(Principal actor, ReadOnlyMemory<byte> utf8Json)
    {
        if (DashboardCommands.Refuse(actor, AdminAccess.Administer) is { } refused)
        {
            return (refused, null);
        }

        var planned = importer.Plan(utf8Json);
        return planned.IsSuccess
            ? (CommandResult.Done, planned.Value)
            : (new CommandResult($"Not a LiteLLM price map: {planned.Error.Message}"), null);
    }
}
