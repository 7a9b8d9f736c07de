namespace Helix.Gateway.Configuration;

/// <summary>Host settings of the gateway, bound from the <c>Helix</c> section.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Helix";

    /// <summary>The bearer key of the admin API. When unset, one is generated into <c>data/admin-key</c> at start-up.</summary>
    public string? AdminKey { get; set; }

    public StorageOptions Storage { get; set; } = new();

    public SimulatorSettings Simulator { get; set; } = new();

    /// <summary>Provider keys and base URLs by provider id (<c>openai</c>, <c>deepseek</c>, <c>gemini</c>, <c>anthropic</c>, <c>deepgram</c>).</summary>
    public Dictionary<string, ProviderSettings> Providers { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A price-book JSON file whose prices override the built-in ones (admin overrides of a model still win).</summary>
    public string? PriceOverridesFile { get; set; }

    /// <summary>The largest request body accepted, in bytes (default 16 MiB).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    public DataPlaneSettings DataPlane { get; set; } = new();
}

/// <summary>Who may call the data plane (<c>/v1</c>), and how often.</summary>
public sealed class DataPlaneSettings
{
    /// <summary>
    /// Whether every <c>/v1</c> call needs an <c>app</c> or <c>agent</c> key from the start (default: only once such a
    /// key has been created; before that, calls are anonymous).
    /// </summary>
    public bool RequireKey { get; set; }

    /// <summary>The rate limit of a key that sets none of its own, in requests per minute; unset: no limit.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>
    /// The rate limit of anonymous calls (while no key is required), per caller address, in requests per minute;
    /// unset: <see cref="RequestsPerMinute"/>, and with neither, no limit.
    /// </summary>
    public int? AnonymousRequestsPerMinute { get; set; }
}

/// <summary>Where Helix keeps its state.</summary>
public sealed class StorageOptions
{
    /// <summary><c>sqlite</c> (default, embedded) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>The connection string (default <c>Data Source=data/helix.db</c>; for PostgreSQL an Npgsql one, <c>Host=…;Username=…;Password=…;Database=…</c>).</summary>
    public string ConnectionString { get; set; } = "Data Source=data/helix.db";

    /// <summary>PostgreSQL: whether start-up applies pending migrations (default); when false, run <c>helix db migrate</c> first.</summary>
    public bool Migrate { get; set; } = true;

    /// <summary>PostgreSQL: this instance's stable name among those sharing the database (unset: unique per process).</summary>
    public string? InstanceId { get; set; }

    /// <summary>PostgreSQL: months of the operation log kept, the current one included (0, the default, keeps all).</summary>
    public int LogRetentionMonths { get; set; }

    /// <summary>PostgreSQL: how long an instance counts as alive after renewing its lease (default 15 seconds).</summary>
    public TimeSpan InstanceLease { get; set; } = TimeSpan.FromSeconds(15);

    internal bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);

    internal void ApplyTo(Helix.Storage.Postgres.PostgresStorageOptions postgres)
    {
        postgres.Migrate = Migrate;
        postgres.InstanceId = InstanceId;
        postgres.LogRetentionMonths = LogRetentionMonths;
        postgres.LeaseDuration = InstanceLease;
    }
}

/// <summary>The built-in provider simulator.</summary>
public sealed class SimulatorSettings
{
    /// <summary>
    /// Whether providers without a key or URL are served by the simulator (unset: yes); <see langword="false"/> leaves
    /// them unconfigured, while providers with a key or URL are real either way.
    /// </summary>
    public bool? Enabled { get; set; }

    /// <summary>The loopback port of the simulator (0 picks a free one).</summary>
    public int Port { get; set; }
}

/// <summary>How one provider is reached.</summary>
public sealed class ProviderSettings
{
    /// <summary>The API key; never logged or returned.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The API root, when not the provider's public one.</summary>
    public Uri? BaseUrl { get; set; }
}
