using Npgsql;

namespace Helix.Storage.Postgres;

/// <summary>The LISTEN/NOTIFY channel on which a change made through one instance tells the others to reload.</summary>
/// <remarks>
/// A store sends the notice in the transaction of its change (<c>pg_notify</c> is delivered at commit, and not at all
/// on rollback); <see cref="PostgresChangeListener"/> receives it on every instance. The payload names what changed.
/// </remarks>
public static class PostgresChangeChannel
{
    /// <summary>The channel's name.</summary>
    public const string Name = "helix_changes";

    /// <summary>Routes or the catalog changed.</summary>
    public const string Routes = "routes";

    /// <summary>Price overrides changed.</summary>
    public const string Prices = "prices";

    /// <summary>Budgets changed.</summary>
    public const string Budgets = "budgets";

    /// <summary>Toggles changed.</summary>
    public const string Toggles = "toggles";

    /// <summary>API keys changed (one created or revoked).</summary>
    public const string Keys = "keys";

    /// <summary>Routes' approval policies changed.</summary>
    public const string Approvals = "approvals";

    /// <summary>An experiment started or stopped.</summary>
    public const string Experiments = "experiments";

    /// <summary>A batch command that sends <paramref name="what"/> on the channel when its transaction commits.</summary>
    internal static NpgsqlBatchCommand Notify(string what)
    {
        var command = new NpgsqlBatchCommand("SELECT pg_notify($1, $2)");
        command.Parameters.AddWithValue(Name);
        command.Parameters.AddWithValue(what);
        return command;
    }
}
