using Helix.Core.OperationLog;
using Helix.Storage.Conformance;
using Npgsql;

namespace Helix.Storage.Postgres.Tests.Conformance;

/// <summary>The hash-chained log contract on PostgreSQL, over a fresh migrated database; the other instance is a second store with its own instance id.</summary>
public sealed class PostgresOperationLogChainConformanceTests : OperationLogChainConformanceTests
{
    private PostgresTestDatabase? _test;

    private PostgresTestDatabase Test => _test ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    protected override async Task<ChainStoresUnderTest> CreateStoresAsync()
    {
        _test = await PostgresTestDatabase.CreateAsync();
        var log = new PostgresOperationLogStore(_test.Database);
        return new ChainStoresUnderTest(log, log, new PostgresPriceStore(_test.Database), sql => ExecuteAsync(sql, tamper: false), _test);
    }

    // Replica mode turns ordinary triggers off for the session: what an owner of the database can do.
    protected override Task TamperAsync(string sql) => ExecuteAsync(sql, tamper: true);

    protected override IOperationLogStore OtherInstance() => new PostgresOperationLogStore(Test.Open("other-instance"));

    private async Task ExecuteAsync(string sql, bool tamper)
    {
        await using var connection = await Test.Database.OpenConnectionAsync(Ct);
        await using var command = new NpgsqlCommand((tamper ? "SET session_replication_role = replica; " : "") + sql + (tamper ? "; RESET session_replication_role" : ""), connection);
        await command.ExecuteNonQueryAsync(Ct);
    }
}
