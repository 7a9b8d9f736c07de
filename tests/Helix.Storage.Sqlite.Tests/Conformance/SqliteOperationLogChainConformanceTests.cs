using Helix.Core.OperationLog;
using Helix.Storage.Conformance;

namespace Helix.Storage.Sqlite.Tests.Conformance;

/// <summary>The hash-chained log contract on SQLite, over a migrated database file. One process writes a SQLite log, so the other instance is the same store.</summary>
public sealed class SqliteOperationLogChainConformanceTests : OperationLogChainConformanceTests
{
    private TestDatabase? _test;
    private SqliteOperationLogStore? _log;

    protected override async Task<ChainStoresUnderTest> CreateStoresAsync()
    {
        _test = await TestDatabase.CreateAsync();
        _log = new SqliteOperationLogStore(_test.Database);
        return new ChainStoresUnderTest(_log, _log, new SqlitePriceStore(_test.Database), ExecuteAsync, new SqliteOwner(_test, _log));
    }

    protected override Task TamperAsync(string sql) =>
        ExecuteAsync("DROP TRIGGER IF EXISTS operation_log_no_update; DROP TRIGGER IF EXISTS operation_log_no_delete; " + sql);

    protected override IOperationLogStore OtherInstance() => _log ?? throw new InvalidOperationException("The stores are created in InitializeAsync.");

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await _test!.Database.OpenConnectionAsync(Ct);
        connection.Execute(sql);
    }
}
