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
/// parameters are rebound per row, so a batch costs one commit and no SQL parsing. Under WAL with
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
    private SqliteCommand? _insert;
    private SqliteParameter[] _parameters = [];
    private SqliteCommand? _open;
    private SqliteParameter[] _openParameters = [];
    private SqliteCommand? _close;
    private SqliteParameter[] _closeParameters = [];

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
        Enlist(transaction);
        var committed = false;
        try
        {
            // Opens first: an attempt opened and closed within one batch leaves nothing open.
            foreach (var attempt in opened)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BindOpen(_openParameters, attempt);
                _open!.ExecuteNonQuery();
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
            Enlist(null);
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
        Enlist(transaction);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            BindOpen(_openParameters, s_probeAttempt);
            _open!.ExecuteNonQuery();
            _closeParameters[0].Value = s_probeAttempt.RequestId;
            _closeParameters[1].Value = s_probeAttempt.Attempt;
            _close!.ExecuteNonQuery();
            transaction.Commit();
        }
        finally
        {
            Enlist(null);
        }

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

        Enlist(transaction);
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
            Enlist(null);
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
        Bind(_parameters, entry);
        var hash = OperationLogChain.HashOf(id, entry, previousHash, _hashScratch);
        _parameters[s_columns.Length].Value = id;
        _parameters[s_columns.Length + 1].Value = previousHash;
        _parameters[s_columns.Length + 2].Value = hash;
        _insert!.ExecuteNonQuery();
        _closeParameters[0].Value = entry.RequestId;
        _closeParameters[1].Value = entry.Attempt;
        _close!.ExecuteNonQuery();
        return (id, hash);
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
        if (_close is not null && ReferenceEquals(_close.Connection, connection))
        {
            return;
        }

        DisposeCommands();
        (_insert, _parameters) = CreateCommand(connection, s_insertSql, s_insertColumns.Length);
        (_open, _openParameters) = CreateCommand(connection, s_openSql, s_openColumns.Length);
        (_close, _closeParameters) = CreateCommand(connection, "DELETE FROM open_attempts WHERE request_id = $p0 AND attempt = $p1", 2);
    }

    private void Enlist(SqliteTransaction? transaction)
    {
        _insert!.Transaction = transaction;
        _open!.Transaction = transaction;
        _close!.Transaction = transaction;
    }

    private static (SqliteCommand Command, SqliteParameter[] Parameters) CreateCommand(SqliteConnection connection, string sql, int parameterCount)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        var parameters = new SqliteParameter[parameterCount];
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i] = command.Parameters.Add(new SqliteParameter("$p" + i, DBNull.Value));
        }

        command.Prepare();
        return (command, parameters);
    }

    private static void Bind(SqliteParameter[] p, OperationLogEntry e)
    {
        var m = e.Meters;
        p[0].Value = Required(e.RequestId, nameof(e.RequestId));
        p[1].Value = SqliteValues.FormatTimestamp(e.Timestamp);
        p[2].Value = e.Timestamp.ToUnixTimeMilliseconds();
        p[3].Value = Required(e.Operation, nameof(e.Operation));
        p[4].Value = Required(e.Principal, nameof(e.Principal));
        p[5].Value = SqliteValues.OrNull(e.User);
        p[6].Value = Required(e.Provider, nameof(e.Provider));
        p[7].Value = Required(e.Model, nameof(e.Model));
        p[8].Value = SqliteValues.OrNull(e.ReportedModel);
        p[9].Value = e.Attempt;
        p[10].Value = StoredNames.ToText(e.Status);
        p[11].Value = SqliteValues.OrNull(e.ErrorCode);
        p[12].Value = SqliteValues.OrNull(e.HttpStatus);
        p[13].Value = e.LatencyMs;
        p[14].Value = e.Streamed;
        p[15].Value = e.UsageKnown;
        p[16].Value = m.InputTokens;
        p[17].Value = m.CacheReadTokens;
        p[18].Value = m.CacheWrite5mTokens;
        p[19].Value = m.CacheWrite1hTokens;
        p[20].Value = m.InputAudioTokens;
        p[21].Value = m.CacheReadAudioTokens;
        p[22].Value = m.InputImageTokens;
        p[23].Value = m.InputVideoTokens;
        p[24].Value = m.ToolPromptTokens;
        p[25].Value = m.OutputTokens;
        p[26].Value = m.ReasoningTokens;
        p[27].Value = m.OutputAudioTokens;
        p[28].Value = SqliteValues.FormatDecimal(m.AudioSeconds);
        p[29].Value = m.Characters;
        p[30].Value = m.Requests;
        p[31].Value = m.WebSearchRequests;
        p[32].Value = SqliteValues.FormatDecimal(m.CacheStorageTokenHours);
        p[33].Value = SqliteValues.FormatDecimal(e.CostUsd);
        p[34].Value = StoredNames.ToText(e.CostStatus);
        p[35].Value = SqliteValues.OrNull(e.CostReason);
        p[36].Value = SqliteValues.FormatDecimal(e.EstimatedCostUsd);
        p[37].Value = SqliteValues.OrNull(e.PriceSource);
        p[38].Value = SqliteValues.FormatDate(e.PriceSourceDate);
        p[39].Value = SqliteValues.OrNull(e.ServiceTier);
        p[40].Value = SqliteValues.OrNull(e.ProviderRequestId);
        p[41].Value = SqliteValues.OrNull(e.ExperimentId);
        p[42].Value = SqliteValues.OrNull(e.ExperimentArm);
        p[43].Value = SqliteValues.OrNull(e.RequestedMaxTokens);
        p[44].Value = SqliteValues.OrNull(e.PromptPrefixHash);
    }

    private static void BindOpen(SqliteParameter[] p, OpenAttempt a)
    {
        p[0].Value = Required(a.RequestId, nameof(a.RequestId));
        p[1].Value = a.Attempt;
        p[2].Value = SqliteValues.FormatTimestamp(a.Timestamp);
        p[3].Value = a.Timestamp.ToUnixTimeMilliseconds();
        p[4].Value = Required(a.Operation, nameof(a.Operation));
        p[5].Value = Required(a.Principal, nameof(a.Principal));
        p[6].Value = SqliteValues.OrNull(a.User);
        p[7].Value = Required(a.Provider, nameof(a.Provider));
        p[8].Value = Required(a.Model, nameof(a.Model));
        p[9].Value = a.Streamed;
        p[10].Value = SqliteValues.FormatDecimal(a.EstimatedCostUsd);
        p[11].Value = SqliteValues.OrNull(a.ExperimentId);
        p[12].Value = SqliteValues.OrNull(a.ExperimentArm);
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
