using System.Runtime.CompilerServices;
using System.Text;
using Helix.Core.Audit;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Microsoft.Data.Sqlite;

namespace Helix.Storage.Sqlite;

/// <summary>The operation log in SQLite: one row per attempt, never updated; re-pricings surface from <c>cost_adjustments</c>.</summary>
/// <remarks>
/// <para>
/// <see cref="AppendAsync(IReadOnlyList{OperationLogEntry}, IReadOnlyList{OpenAttempt}, CancellationToken)"/> is the hot write path (group commit hands it up to a few thousand rows at once): the
/// whole batch is one IMMEDIATE transaction on the database's writer connection, through one prepared INSERT whose
/// parameters are rebound per row by position (<see cref="SqliteRowStatement"/>: no parameter objects, boxing or
/// value strings per row), so a batch costs one commit and no SQL parsing. Under WAL with
/// <c>synchronous=NORMAL</c> the commit is durable against a killed process when it returns.
/// </para>
/// <para>
/// <see cref="ReadRangeAsync"/> streams in chunks read by key (<c>ts_ms</c>, <c>id</c>), each on its own short-lived
/// connection: a long consumer (re-pricing, reconciliation) holds no read transaction open, so it neither pins the
/// WAL against checkpoints nor blocks writers of an in-memory shared-cache database, and may write while it reads.
/// </para>
/// <para>
/// Open attempts live in <c>open_attempts</c>, a journal beside the log: a batch inserts its open attempts first, and
/// each row it inserts deletes the open attempt of the same request and attempt number, in the same transaction (one
/// more prepared statement per row, by primary key). <see cref="RecoverOpenAttemptsAsync"/> turns what a dead
/// process left open into interrupted rows, again in one transaction.
/// </para>
/// <para>
/// Every row is hash-chained (<see cref="OperationLogChain"/>, migration 0012): the store assigns each row its id and
/// links it to the row before, in the batch's own transaction, from the chain's tip it keeps in memory (read once,
/// after which a batch costs one SHA-256 per row and no extra round trip). A failed batch forgets the tip, so the
/// next one reads it again from what was committed. Rows written before 0012 are chained, in id order, the first
/// time the store writes. <see cref="VerifyAsync"/> checks the chain in batches, in bounded memory.
/// </para>
/// <para>Thread-safe. Owns its prepared statements; dispose it before or after the database.</para>
/// </remarks>
public sealed class SqliteOperationLogStore : IOperationLogStore, IOperationLogChain, IDisposable
{
    /// <summary>The largest page <see cref="QueryAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    private const int ReadChunkRows = 512;

    // Order matters: Bind and Read follow it.
    private static readonly string[] s_columns =
    [
        "request_id", "ts", "ts_ms", "operation", "principal", "end_user", "provider", "model", "reported_model",
        "attempt", "status", "error_code", "http_status", "latency_ms", "streamed", "usage_known",
        "input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "input_audio_tokens",
        "cache_read_audio_tokens", "input_image_tokens", "input_video_tokens", "tool_prompt_tokens", "output_tokens",
        "reasoning_tokens", "output_audio_tokens", "audio_seconds", "characters", "requests", "web_search_requests",
        "cache_storage_token_hours",
        "cost_usd", "cost_status", "cost_reason", "estimated_cost_usd", "price_source", "price_source_date",
        "service_tier", "provider_request_id",
        "experiment_id", "experiment_arm", "requested_max_tokens", "prompt_prefix_hash",
    ];

    // The row's columns, then its id and its chain's two hashes.
    private static readonly string[] s_insertColumns = [.. s_columns, "id", "previous_hash", "hash"];

    private static readonly string s_insertSql =
        $"INSERT INTO operation_log ({string.Join(", ", s_insertColumns)}) VALUES ({string.Join(", ", s_insertColumns.Select((_, i) => "$p" + i))})";

    // id, the row's columns, no re-priced cost (NULL), then the chain's two hashes at s_columns.Length + 2 and + 3.
    private static readonly string s_chainSelectSql =
        $"SELECT l.id, {string.Join(", ", s_columns.Select(c => "l." + c))}, NULL, l.previous_hash, l.hash FROM operation_log l";

    // Order matters: BindOpen and ReadOpen follow it.
    private static readonly string[] s_openColumns =
    [
        "request_id", "attempt", "ts", "ts_ms", "operation", "principal", "end_user", "provider", "model", "streamed",
        "estimated_cost_usd", "experiment_id", "experiment_arm",
    ];

    private static readonly string s_openSql =
        $"INSERT INTO open_attempts ({string.Join(", ", s_openColumns)}) VALUES ({string.Join(", ", s_openColumns.Select((_, i) => "$p" + i))})";

    internal static readonly string SelectSql =
        $"SELECT l.id, {string.Join(", ", s_columns.Select(c => "l." + c))}, " +
        "(SELECT a.cost_usd FROM cost_adjustments a WHERE a.log_id = l.id ORDER BY a.id DESC LIMIT 1) AS repriced_cost_usd " +
        "FROM operation_log l";

    // Written and deleted in one transaction by ProbeWriteAsync; never committed, so never recovered.
    private static readonly OpenAttempt s_probeAttempt = new()
    {
        RequestId = "helix-store-probe",
        Attempt = 0,
        Timestamp = DateTimeOffset.UnixEpoch,
        Operation = "helix-store-probe",
        Principal = "helix",
        Provider = "helix",
        Model = "helix/store-probe",
    };

    private readonly SqliteDatabase _database;

    // Touched only on the writer connection, under the database's write gate.
    private SqliteRowStatement? _insert;
    private SqliteRowStatement? _open;
    private SqliteRowStatement? _close;

    // The chain's tip: the last committed row's id and hash; null when not known (first write, after a failed batch).
    private readonly StringBuilder _hashScratch = new(512);
    private string? _tipHash;
    private long _tipId;

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public SqliteOperationLogStore(SqliteDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, [], cancellationToken);

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(opened);
        if (entries.Count == 0 && opened.Count == 0)
        {
            return Task.CompletedTask;
        }

        return _database.WriteAsync((connection, ct) => Task.FromResult(Append(connection, entries, opened, ct)), cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Opens and closes a sentinel attempt in one IMMEDIATE transaction on the writer connection: SQLite must write
    /// pages to commit it, so a read-only or unwritable database fails the probe, and nothing of it remains.
    /// </remarks>
    public Task ProbeWriteAsync(CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, ct) => Task.FromResult(Probe(connection, ct)), cancellationToken);

    /// <inheritdoc/>
    public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        _database.WriteAsync((connection, ct) => Task.FromResult(Recover(connection, now, ct)), cancellationToken);

    /// <inheritdoc/>
    public async Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        using var command = connection.CreateCommand();
        var sql = new StringBuilder(SelectSql);
        var conjunction = " WHERE ";
        if (query.Operation is not null)
        {
            sql.Append(conjunction).Append("l.operation = $operation");
            command.Parameters.AddWithValue("$operation", query.Operation);
            conjunction = " AND ";
        }

        if (query.User is not null)
        {
            sql.Append(conjunction).Append("l.end_user = $user");
            command.Parameters.AddWithValue("$user", query.User);
            conjunction = " AND ";
        }

        if (query.BeforeId is { } beforeId)
        {
            sql.Append(conjunction).Append("l.id < $beforeId");
            command.Parameters.AddWithValue("$beforeId", beforeId);
        }

        // One row more than asked tells whether another page exists without a second query.
        sql.Append(" ORDER BY l.id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit + 1);
        command.CommandText = sql.ToString();

        List<OperationLogEntry> items = new(Math.Min(limit + 1, 128));
        using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(Read(reader));
            }
        }

        if (items.Count <= limit)
        {
            return new LogPage(items, null);
        }

        items.RemoveAt(items.Count - 1);
        return new LogPage(items, items[^1].Id);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<OperationLogEntry> ReadRangeAsync(
        DateTimeOffset from, DateTimeOffset to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (to <= from)
        {
            yield break;
        }

        // ts_ms is the floor of the instant in milliseconds: select by it coarsely, then filter exactly.
        var lastMs = from.ToUnixTimeMilliseconds();
        var lastId = long.MinValue;
        var toMs = to.ToUnixTimeMilliseconds();
        List<OperationLogEntry> chunk = new(ReadChunkRows);
        do
        {
            chunk.Clear();
            await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
            using (var command = connection.CreateCommand())
            {
                command.CommandText = SelectSql +
                    " WHERE (l.ts_ms, l.id) > ($lastMs, $lastId) AND l.ts_ms <= $toMs ORDER BY l.ts_ms, l.id LIMIT $chunk";
                command.Parameters.AddWithValue("$lastMs", lastMs);
                command.Parameters.AddWithValue("$lastId", lastId);
                command.Parameters.AddWithValue("$toMs", toMs);
                command.Parameters.AddWithValue("$chunk", ReadChunkRows);
                using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    chunk.Add(Read(reader));
                }
            }

            foreach (var entry in chunk)
            {
                lastMs = entry.Timestamp.ToUnixTimeMilliseconds();
                lastId = entry.Id;
                if (entry.Timestamp >= from && entry.Timestamp < to)
                {
                    yield return entry;
                }
            }
        }
        while (chunk.Count == ReadChunkRows);
    }

    /// <inheritdoc/>
    public async Task<ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        // In batches by id, each on its own short-lived connection (as ReadRangeAsync): bounded memory, no long read
        // transaction pinning the WAL while a long log is checked.
        var verifier = new OperationLogChainVerifier();
        var after = 0L;
        List<(OperationLogEntry Entry, string? PreviousHash, string? Hash)> batch = new(ReadChunkRows);
        do
        {
            batch.Clear();
            await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
            using (var command = connection.CreateCommand())
            {
                command.CommandText = s_chainSelectSql + " WHERE l.id > $after ORDER BY l.id LIMIT $chunk";
                command.Parameters.AddWithValue("$after", after);
                command.Parameters.AddWithValue("$chunk", ReadChunkRows);
                using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    batch.Add((Read(reader), NullableString(reader, s_columns.Length + 2), NullableString(reader, s_columns.Length + 3)));
                }
            }

            foreach (var (entry, previousHash, hash) in batch)
            {
                if (!verifier.Add(entry, previousHash, hash))
                {
                    return verifier.Result;
                }

                after = entry.Id;
            }
        }
        while (batch.Count == ReadChunkRows);

        return verifier.Result;
    }

    /// <inheritdoc/>
    public void Dispose() => DisposeCommands();

    private void DisposeCommands()
    {
        _insert?.Dispose();
        _open?.Dispose();
        _close?.Dispose();
        (_insert, _open, _close) = (null, null, null);
    }

    private bool Append(SqliteConnection connection, IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken)
    {
        Prepare(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        var committed = false;
        try
        {
            // Opens first: an attempt opened and closed within one batch leaves nothing open.
            foreach (var attempt in opened)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BindOpen(_open!, attempt);
                _open!.Execute();
            }

            if (entries.Count > 0)
            {
                var (tipId, tipHash) = Tip(connection, transaction);
                foreach (var entry in entries)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (tipId, tipHash) = Insert(entry, tipId, tipHash);
                }

                transaction.Commit();
                (_tipId, _tipHash) = (tipId, tipHash);
            }
            else
            {
                transaction.Commit();
            }

            committed = true;
        }
        finally
        {
            if (!committed)
            {
                _tipHash = null;
            }
        }

        return true;
    }

    private bool Probe(SqliteConnection connection, CancellationToken cancellationToken)
    {
        Prepare(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        cancellationToken.ThrowIfCancellationRequested();
        BindOpen(_open!, s_probeAttempt);
        _open!.Execute();
        Close(s_probeAttempt.RequestId, s_probeAttempt.Attempt);
        transaction.Commit();

        return true;
    }

    private int Recover(SqliteConnection connection, DateTimeOffset now, CancellationToken cancellationToken)
    {
        Prepare(connection);
        using var transaction = connection.BeginTransaction(deferred: false);
        List<OpenAttempt> left = [];
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = $"SELECT {string.Join(", ", s_openColumns)} FROM open_attempts WHERE ts_ms <= $now ORDER BY ts_ms, request_id, attempt";
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            using var reader = select.ExecuteReader();
            while (reader.Read())
            {
                left.Add(ReadOpen(reader));
            }
        }

        var committed = false;
        try
        {
            // Chains rows written before migration 0012 even when nothing is left open: start-up does it, not a call.
            var (tipId, tipHash) = Tip(connection, transaction);
            foreach (var attempt in left)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (tipId, tipHash) = Insert(attempt.ToInterruptedEntry(), tipId, tipHash);
            }

            transaction.Commit();
            (_tipId, _tipHash) = (tipId, tipHash);
            committed = true;
        }
        finally
        {
            if (!committed)
            {
                _tipHash = null;
            }
        }

        return left.Count;
    }

    // The row and the removal of its open attempt share the caller's transaction. open_attempts is a journal, not the
    // log: deleting from it keeps operation_log append-only.
    private (long Id, string Hash) Insert(OperationLogEntry entry, long previousId, string previousHash)
    {
        var id = previousId + 1;
        var insert = _insert!;
        Bind(insert, entry);
        var hash = OperationLogChain.HashOf(id, entry, previousHash, _hashScratch);
        insert.Integer(s_columns.Length, id);
        insert.Text(s_columns.Length + 1, previousHash);
        insert.Text(s_columns.Length + 2, hash);
        insert.Execute();
        Close(entry.RequestId, entry.Attempt);
        return (id, hash);
    }

    private void Close(string requestId, int attempt)
    {
        _close!.Text(0, requestId);
        _close.Integer(1, attempt);
        _close.Execute();
    }

    // The chain's tip, from memory or, when not known, from the table, after chaining any rows written before 0012.
    private (long Id, string Hash) Tip(SqliteConnection connection, SqliteTransaction transaction)
    {
        return _tipHash is not null ? (_tipId, _tipHash) : ChainUnchainedRows(connection, transaction);
    }

    // Rows written before migration 0012 have no hash: each gets its link now, in id order, in the caller's
    // transaction (the update trigger lets a NULL hash be set once). Returns the tip after them.
    private (long Id, string Hash) ChainUnchainedRows(SqliteConnection connection, SqliteTransaction transaction)
    {
        long tipId = 0;
        var tipHash = OperationLogChain.Genesis;
        using (var last = connection.CreateCommand())
        {
            last.Transaction = transaction;
            last.CommandText = "SELECT id, hash FROM operation_log WHERE hash IS NOT NULL ORDER BY id DESC LIMIT 1";
            using var reader = last.ExecuteReader();
            if (reader.Read())
            {
                tipId = reader.GetInt64(0);
                tipHash = reader.GetString(1);
            }
        }

        while (true)
        {
            List<OperationLogEntry> batch = new(ReadChunkRows);
            using (var select = connection.CreateCommand())
            {
                select.Transaction = transaction;
                select.CommandText = s_chainSelectSql + " WHERE l.id > $after AND l.hash IS NULL ORDER BY l.id LIMIT $chunk";
                select.Parameters.AddWithValue("$after", tipId);
                select.Parameters.AddWithValue("$chunk", ReadChunkRows);
                using var reader = select.ExecuteReader();
                while (reader.Read())
                {
                    batch.Add(Read(reader));
                }
            }

            if (batch.Count == 0)
            {
                return (tipId, tipHash);
            }

            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = "UPDATE operation_log SET previous_hash = $previous, hash = $hash WHERE id = $id AND hash IS NULL";
            var idParameter = update.Parameters.Add(new SqliteParameter("$id", DBNull.Value));
            var previousParameter = update.Parameters.Add(new SqliteParameter("$previous", DBNull.Value));
            var hashParameter = update.Parameters.Add(new SqliteParameter("$hash", DBNull.Value));
            foreach (var entry in batch)
            {
                // A legacy row keeps its id; the hash covers it, so a gap before it (none without deletes) shows.
                var hash = OperationLogChain.HashOf(entry.Id, entry, tipHash, _hashScratch);
                idParameter.Value = entry.Id;
                previousParameter.Value = tipHash;
                hashParameter.Value = hash;
                update.ExecuteNonQuery();
                (tipId, tipHash) = (entry.Id, hash);
            }
        }
    }

    private void Prepare(SqliteConnection connection)
    {
        // All three or none: a failed preparation (a schema not yet migrated) is tried again whole by the next batch.
        if (_close is not null && ReferenceEquals(_close.Handle, connection.Handle))
        {
            return;
        }

        DisposeCommands();
        _insert = new SqliteRowStatement(connection, s_insertSql, s_insertColumns.Length);
        _open = new SqliteRowStatement(connection, s_openSql, s_openColumns.Length);
        _close = new SqliteRowStatement(connection, "DELETE FROM open_attempts WHERE request_id = $p0 AND attempt = $p1", 2);
    }

    private static void Bind(SqliteRowStatement p, OperationLogEntry e)
    {
        var m = e.Meters;
        p.Text(0, Required(e.RequestId, nameof(e.RequestId)));
        p.Timestamp(1, e.Timestamp);
        p.Integer(2, e.Timestamp.ToUnixTimeMilliseconds());
        p.Text(3, Required(e.Operation, nameof(e.Operation)));
        p.Text(4, Required(e.Principal, nameof(e.Principal)));
        p.Text(5, e.User);
        p.Text(6, Required(e.Provider, nameof(e.Provider)));
        p.Text(7, Required(e.Model, nameof(e.Model)));
        p.Text(8, e.ReportedModel);
        p.Integer(9, e.Attempt);
        p.Text(10, StoredNames.ToText(e.Status));
        p.Text(11, e.ErrorCode);
        p.NullableInteger(12, e.HttpStatus);
        p.Real(13, e.LatencyMs);
        p.Boolean(14, e.Streamed);
        p.Boolean(15, e.UsageKnown);
        p.Integer(16, m.InputTokens);
        p.Integer(17, m.CacheReadTokens);
        p.Integer(18, m.CacheWrite5mTokens);
        p.Integer(19, m.CacheWrite1hTokens);
        p.Integer(20, m.InputAudioTokens);
        p.Integer(21, m.CacheReadAudioTokens);
        p.Integer(22, m.InputImageTokens);
        p.Integer(23, m.InputVideoTokens);
        p.Integer(24, m.ToolPromptTokens);
        p.Integer(25, m.OutputTokens);
        p.Integer(26, m.ReasoningTokens);
        p.Integer(27, m.OutputAudioTokens);
        p.Decimal(28, m.AudioSeconds);
        p.Integer(29, m.Characters);
        p.Integer(30, m.Requests);
        p.Integer(31, m.WebSearchRequests);
        p.Decimal(32, m.CacheStorageTokenHours);
        p.Decimal(33, e.CostUsd);
        p.Text(34, StoredNames.ToText(e.CostStatus));
        p.Text(35, e.CostReason);
        p.Decimal(36, e.EstimatedCostUsd);
        p.Text(37, e.PriceSource);
        p.Date(38, e.PriceSourceDate);
        p.Text(39, e.ServiceTier);
        p.Text(40, e.ProviderRequestId);
        p.Text(41, e.ExperimentId);
        p.Text(42, e.ExperimentArm);
        p.NullableInteger(43, e.RequestedMaxTokens);
        p.Text(44, e.PromptPrefixHash);
    }

    private static void BindOpen(SqliteRowStatement p, OpenAttempt a)
    {
        p.Text(0, Required(a.RequestId, nameof(a.RequestId)));
        p.Integer(1, a.Attempt);
        p.Timestamp(2, a.Timestamp);
        p.Integer(3, a.Timestamp.ToUnixTimeMilliseconds());
        p.Text(4, Required(a.Operation, nameof(a.Operation)));
        p.Text(5, Required(a.Principal, nameof(a.Principal)));
        p.Text(6, a.User);
        p.Text(7, Required(a.Provider, nameof(a.Provider)));
        p.Text(8, Required(a.Model, nameof(a.Model)));
        p.Boolean(9, a.Streamed);
        p.Decimal(10, a.EstimatedCostUsd);
        p.Text(11, a.ExperimentId);
        p.Text(12, a.ExperimentArm);
    }

    private static OpenAttempt ReadOpen(SqliteDataReader r) => new()
    {
        RequestId = r.GetString(0),
        Attempt = r.GetInt32(1),
        Timestamp = SqliteValues.ParseTimestamp(r.GetString(2)),
        Operation = r.GetString(4),
        Principal = r.GetString(5),
        User = NullableString(r, 6),
        Provider = r.GetString(7),
        Model = r.GetString(8),
        Streamed = r.GetBoolean(9),
        EstimatedCostUsd = NullableDecimal(r, 10),
        ExperimentId = NullableString(r, 11),
        ExperimentArm = NullableString(r, 12),
    };

    // A null here would otherwise surface as Microsoft.Data.Sqlite's "Value must be set"; the batch rolls back either way.
    private static string Required(string value, string field) =>
        value ?? throw new ArgumentException($"An operation log row has no {field}; the batch is not stored.");

    internal static OperationLogEntry Read(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        RequestId = r.GetString(1),
        Timestamp = SqliteValues.ParseTimestamp(r.GetString(2)),
        Operation = r.GetString(4),
        Principal = r.GetString(5),
        User = NullableString(r, 6),
        Provider = r.GetString(7),
        Model = r.GetString(8),
        ReportedModel = NullableString(r, 9),
        Attempt = r.GetInt32(10),
        Status = StoredNames.ToAttemptStatus(r.GetString(11)),
        ErrorCode = NullableString(r, 12),
        HttpStatus = r.IsDBNull(13) ? null : r.GetInt32(13),
        LatencyMs = r.GetDouble(14),
        Streamed = r.GetBoolean(15),
        UsageKnown = r.GetBoolean(16),
        Meters = new UsageMeters
        {
            InputTokens = r.GetInt64(17),
            CacheReadTokens = r.GetInt64(18),
            CacheWrite5mTokens = r.GetInt64(19),
            CacheWrite1hTokens = r.GetInt64(20),
            InputAudioTokens = r.GetInt64(21),
            CacheReadAudioTokens = r.GetInt64(22),
            InputImageTokens = r.GetInt64(23),
            InputVideoTokens = r.GetInt64(24),
            ToolPromptTokens = r.GetInt64(25),
            OutputTokens = r.GetInt64(26),
            ReasoningTokens = r.GetInt64(27),
            OutputAudioTokens = r.GetInt64(28),
            AudioSeconds = SqliteValues.ParseDecimal(r.GetString(29)),
            Characters = r.GetInt64(30),
            Requests = r.GetInt64(31),
            WebSearchRequests = r.GetInt64(32),
            CacheStorageTokenHours = SqliteValues.ParseDecimal(r.GetString(33)),
        },
        CostUsd = NullableDecimal(r, 34),
        CostStatus = StoredNames.ToCostStatus(r.GetString(35)),
        CostReason = NullableString(r, 36),
        EstimatedCostUsd = NullableDecimal(r, 37),
        PriceSource = NullableString(r, 38),
        PriceSourceDate = r.IsDBNull(39) ? null : SqliteValues.ParseDate(r.GetString(39)),
        ServiceTier = NullableString(r, 40),
        ProviderRequestId = NullableString(r, 41),
        ExperimentId = NullableString(r, 42),
        ExperimentArm = NullableString(r, 43),
        RequestedMaxTokens = r.IsDBNull(44) ? null : r.GetInt32(44),
        PromptPrefixHash = NullableString(r, 45),
        RepricedCostUsd = NullableDecimal(r, 46),
    };

    private static string? NullableString(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static decimal? NullableDecimal(SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : SqliteValues.ParseDecimal(reader.GetString(ordinal));
}
