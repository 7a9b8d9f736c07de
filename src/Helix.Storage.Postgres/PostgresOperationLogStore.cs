using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using Helix.Core.Metering;
using Helix.Core.OperationLog;
using Npgsql;
using NpgsqlTypes;

namespace Helix.Storage.Postgres;

/// <summary>The operation log in PostgreSQL: one row per attempt in monthly partitions, never updated; re-pricings surface from <c>cost_adjustments</c>.</summary>
/// <remarks>
/// <para>
/// <see cref="AppendAsync(IReadOnlyList{OperationLogEntry}, IReadOnlyList{OpenAttempt}, CancellationToken)"/> is the
/// hot write path (group commit hands it a whole batch): one transaction that copies the opened attempts and the rows
/// in with binary <c>COPY</c>, then deletes the attempts the rows close by one statement over arrays; the rollup
/// trigger adds the batch to the hourly rollups in the same transaction. A batch is one round of commits however
/// many rows it holds. The month partitions a batch needs are created first (once per month per process).
/// </para>
/// <para>
/// Open attempts carry their owner (<see cref="PostgresDatabase.InstanceId"/>). <see cref="RecoverOpenAttemptsAsync"/>
/// turns into interrupted rows the attempts of this instance (a previous life of it, at start-up) and of instances
/// whose lease has run out, never those of a live peer; <see cref="RecoverDeadPeersAsync"/> is what a running
/// survivor calls. Each recovered attempt is moved by one statement (<c>DELETE … RETURNING</c> feeding the
/// <c>INSERT</c>), so two survivors never recover it twice.
/// </para>
/// <para>
/// Every row is hash-chained (<see cref="OperationLogChain"/>, migration 0012). A transaction that appends rows, from
/// any instance, first locks the chain's tip (<c>operation_log_chain</c>, one row, <c>FOR UPDATE</c>), numbers its
/// rows after it with no gap, links each to the one before, and moves the tip in the same transaction: one line in
/// id order however many instances write, and a rolled-back batch leaves no hole. The lock is held for the batch's
/// COPY only. Rows written before 0012 are chained, in id order, by the first transaction that appends after it.
/// <see cref="VerifyAsync"/> checks the chain in chunks, in bounded memory.
/// </para>
/// <para>Thread-safe.</para>
/// </remarks>
public sealed class PostgresOperationLogStore : IOperationLogStore, IOperationLogChain
{
    /// <summary>The largest page <see cref="QueryAsync"/> returns.</summary>
    public const int MaxPageSize = 1000;

    private const int ReadChunkRows = 512;

    private static readonly string[] s_columns =
    [
        "request_id", "ts", "operation", "principal", "end_user", "provider", "model", "reported_model",
        "attempt", "status", "error_code", "http_status", "latency_ms", "streamed", "usage_known",
        "input_tokens", "cache_read_tokens", "cache_write_5m_tokens", "cache_write_1h_tokens", "input_audio_tokens",
        "cache_read_audio_tokens", "input_image_tokens", "input_video_tokens", "tool_prompt_tokens", "output_tokens",
        "reasoning_tokens", "output_audio_tokens", "audio_seconds", "characters", "requests", "web_search_requests",
        "cache_storage_token_hours",
        "cost_usd", "cost_status", "cost_reason", "estimated_cost_usd", "price_source", "price_source_date",
        "service_tier", "provider_request_id",
        "experiment_id", "experiment_arm",
        "requested_max_tokens", "prompt_prefix_hash",
    ];

    private static readonly string[] s_openColumns =
    [
        "request_id", "attempt", "ts", "operation", "principal", "end_user", "provider", "model", "streamed", "estimated_cost_usd", "owner",
        "experiment_id", "experiment_arm",
    ];

    // The row's columns, then its id and its chain's two hashes: the store numbers and links the rows itself.
    private static readonly string s_copyRows = $"COPY operation_log ({string.Join(", ", s_columns)}, id, previous_hash, hash) FROM STDIN (FORMAT BINARY)";

    // id, the row's columns, no re-priced cost (NULL), then the chain's two hashes at s_columns.Length + 2 and + 3.
    private static readonly string s_chainSelectSql =
        $"SELECT l.id, {string.Join(", ", s_columns.Select(c => "l." + c))}, NULL::numeric, l.previous_hash, l.hash FROM operation_log l";

    private static readonly string s_copyOpens = $"COPY open_attempts ({string.Join(", ", s_openColumns)}) FROM STDIN (FORMAT BINARY)";

    /// <summary>The log's columns and the latest re-priced cost, from <c>operation_log l</c>; what <see cref="Read"/> reads.</summary>
    internal static readonly string SelectSql =
        $"SELECT l.id, {string.Join(", ", s_columns.Select(c => "l." + c))}, " +
        "(SELECT a.cost_usd FROM cost_adjustments a WHERE a.log_id = l.id ORDER BY a.id DESC LIMIT 1) AS repriced_cost_usd " +
        "FROM operation_log l";

    // The attempts recovery takes: this instance's own ($3) and those of instances without a live lease.
    private static readonly string s_takeOpenSql = $"""
        DELETE FROM open_attempts o
        WHERE o.ts <= $1
          AND ($3 OR o.owner <> $2)
          AND (o.owner = $2 OR NOT EXISTS (SELECT 1 FROM helix_instances i WHERE i.id = o.owner AND i.lease_until > $1))
        RETURNING {string.Join(", ", s_openColumns)}
        """;

    private readonly PostgresDatabase _database;
    private readonly ConcurrentDictionary<int, bool> _partitions = new();

    /// <summary>Creates a store over <paramref name="database"/>, which must be initialized.</summary>
    public PostgresOperationLogStore(PostgresDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
    }

    /// <inheritdoc/>
    public Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, CancellationToken cancellationToken = default) =>
        AppendAsync(entries, [], cancellationToken);

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<OperationLogEntry> entries, IReadOnlyList<OpenAttempt> opened, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(opened);
        if (entries.Count == 0 && opened.Count == 0)
        {
            return;
        }

        foreach (var entry in entries)
        {
            Required(entry.RequestId, nameof(entry.RequestId));
            Required(entry.Operation, nameof(entry.Operation));
            Required(entry.Principal, nameof(entry.Principal));
            Required(entry.Provider, nameof(entry.Provider));
            Required(entry.Model, nameof(entry.Model));
        }

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await EnsurePartitionsAsync(connection, entries.Select(e => e.Timestamp).Concat(opened.Select(o => o.Timestamp)), cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Opens first: an attempt opened and closed within one batch leaves nothing open.
        if (opened.Count > 0)
        {
            await using var importer = await connection.BeginBinaryImportAsync(s_copyOpens, cancellationToken);
            foreach (var attempt in opened)
            {
                await WriteOpenAsync(importer, attempt, _database.InstanceId, cancellationToken);
            }

            await importer.CompleteAsync(cancellationToken);
        }

        if (entries.Count > 0)
        {
            var tip = await LockTipAsync(connection, transaction, cancellationToken);
            tip = await CopyChainedAsync(connection, entries, tip, cancellationToken);

            await using var batch = new NpgsqlBatch(connection, transaction);
            var close = new NpgsqlBatchCommand(
                "DELETE FROM open_attempts o USING unnest($1::text[], $2::integer[]) AS c(request_id, attempt) WHERE o.request_id = c.request_id AND o.attempt = c.attempt");
            close.Parameters.AddWithValue(entries.Select(e => e.RequestId).ToArray());
            close.Parameters.AddWithValue(entries.Select(e => e.Attempt).ToArray());
            batch.BatchCommands.Add(close);
            batch.BatchCommands.Add(MoveTip(tip));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Opens and closes a sentinel attempt in a transaction that is rolled back: the database must accept the writes.</remarks>
    public async Task ProbeWriteAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            "INSERT INTO open_attempts (request_id, attempt, ts, operation, principal, provider, model, streamed, owner) VALUES ('helix-store-probe', 0, now(), 'helix-store-probe', 'helix', 'helix', 'helix/store-probe', false, $1)",
            connection,
            transaction);
        command.Parameters.AddWithValue(_database.InstanceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.RollbackAsync(cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Recovers this instance's attempts and those of instances whose lease ran out; a live peer's stay open.</remarks>
    public Task<int> RecoverOpenAttemptsAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RecoverAsync(now, includeOwn: true, cancellationToken);

    /// <summary>Recovers the open attempts of instances whose lease ran out before <paramref name="now"/>; never this instance's, nor a live peer's.</summary>
    /// <param name="now">The time on the instances' shared clock.</param>
    /// <param name="cancellationToken">Cancels the recovery (rolled back whole).</param>
    /// <returns>How many attempts were recovered.</returns>
    public Task<int> RecoverDeadPeersAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        RecoverAsync(now, includeOwn: false, cancellationToken);

    /// <inheritdoc/>
    public async Task<LogPage> QueryAsync(LogQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);

        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand { Connection = connection };
        var sql = new StringBuilder(SelectSql);
        var conjunction = " WHERE ";
        if (query.Operation is not null)
        {
            command.Parameters.AddWithValue(query.Operation);
            sql.Append(conjunction).Append("l.operation = $").Append(command.Parameters.Count);
            conjunction = " AND ";
        }

        if (query.User is not null)
        {
            command.Parameters.AddWithValue(query.User);
            sql.Append(conjunction).Append("l.end_user = $").Append(command.Parameters.Count);
            conjunction = " AND ";
        }

        if (query.BeforeId is { } beforeId)
        {
            command.Parameters.AddWithValue(beforeId);
            sql.Append(conjunction).Append("l.id < $").Append(command.Parameters.Count);
        }

        // One row more than asked tells whether another page exists without a second query.
        command.Parameters.AddWithValue(limit + 1);
        sql.Append(" ORDER BY l.id DESC LIMIT $").Append(command.Parameters.Count);
        command.CommandText = sql.ToString();

        List<OperationLogEntry> items = new(Math.Min(limit + 1, 128));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
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

        // Stored instants are whole microseconds: t >= from ⟺ t >= ceil(from), and likewise for the end.
        var lastTs = PostgresValues.Ceiling(from);
        var lastId = long.MinValue;
        var end = PostgresValues.Ceiling(to);
        var first = true;
        List<OperationLogEntry> chunk = new(ReadChunkRows);
        do
        {
            chunk.Clear();
            await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
            await using (var command = new NpgsqlCommand(
                SelectSql + (first
                    ? " WHERE l.ts >= $1 AND l.ts < $3 AND l.id > $2 ORDER BY l.ts, l.id LIMIT $4"
                    : " WHERE (l.ts, l.id) > ($1, $2) AND l.ts < $3 ORDER BY l.ts, l.id LIMIT $4"),
                connection))
            {
                command.Parameters.AddWithValue(lastTs);
                command.Parameters.AddWithValue(lastId);
                command.Parameters.AddWithValue(end);
                command.Parameters.AddWithValue(ReadChunkRows);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    chunk.Add(Read(reader));
                }
            }

            first = false;
            foreach (var entry in chunk)
            {
                lastTs = entry.Timestamp;
                lastId = entry.Id;
                yield return entry;
            }
        }
        while (chunk.Count == ReadChunkRows);
    }

    /// <inheritdoc/>
    public async Task<Core.Audit.ChainVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        // Retention drops whole old months (rows are never deleted): the check starts at the oldest kept row.
        var verifier = new OperationLogChainVerifier(retention: true);
        var after = 0L;
        List<(OperationLogEntry Entry, string? PreviousHash, string? Hash)> chunk = new(ReadChunkRows);
        do
        {
            chunk.Clear();
            await using (var connection = await _database.OpenConnectionAsync(cancellationToken))
            await using (var command = new NpgsqlCommand(s_chainSelectSql + " WHERE l.id > $1 ORDER BY l.id LIMIT $2", connection))
            {
                command.Parameters.AddWithValue(after);
                command.Parameters.AddWithValue(ReadChunkRows);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    chunk.Add((Read(reader), NullableString(reader, s_columns.Length + 2), NullableString(reader, s_columns.Length + 3)));
                }
            }

            foreach (var (entry, previousHash, hash) in chunk)
            {
                if (!verifier.Add(entry, previousHash, hash))
                {
                    return verifier.Result;
                }

                after = entry.Id;
            }
        }
        while (chunk.Count == ReadChunkRows);

        return verifier.Result;
    }

    // Locks the chain's tip for the caller's transaction: appenders on every instance queue here, so each batch
    // numbers and links its rows after the last committed one. Chains rows written before migration 0012 first.
    private static async Task<(long Id, string Hash)> LockTipAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        long id;
        string hash;
        bool unchained;
        await using (var select = new NpgsqlCommand("SELECT last_id, last_hash, unchained FROM operation_log_chain FOR UPDATE", connection, transaction))
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                throw new PostgresSchemaException("operation_log_chain has no row: the database was changed outside Helix's migrations.");
            }

            (id, hash, unchained) = (reader.GetInt64(0), reader.GetString(1), reader.GetBoolean(2));
        }

        return unchained ? await ChainUnchainedRowsAsync(connection, transaction, (id, hash), cancellationToken) : (id, hash);
    }

    // Rows written before migration 0012 have no hash: each gets its link now, in id order (keeping its id), in the
    // caller's transaction (the append-only trigger lets a NULL hash be set once). Returns the tip after them.
    private static async Task<(long Id, string Hash)> ChainUnchainedRowsAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, (long Id, string Hash) tip, CancellationToken cancellationToken)
    {
        var scratch = new StringBuilder(512);
        while (true)
        {
            List<OperationLogEntry> chunk = new(ReadChunkRows);
            await using (var select = new NpgsqlCommand(s_chainSelectSql + " WHERE l.hash IS NULL ORDER BY l.id LIMIT $1", connection, transaction))
            {
                select.Parameters.AddWithValue(ReadChunkRows);
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    chunk.Add(Read(reader));
                }
            }

            if (chunk.Count == 0)
            {
                break;
            }

            var ids = new long[chunk.Count];
            var previous = new string[chunk.Count];
            var hashes = new string[chunk.Count];
            for (var i = 0; i < chunk.Count; i++)
            {
                ids[i] = chunk[i].Id;
                previous[i] = tip.Hash;
                hashes[i] = OperationLogChain.HashOf(chunk[i].Id, chunk[i], tip.Hash, scratch);
                tip = (chunk[i].Id, hashes[i]);
            }

            await using var update = new NpgsqlCommand(
                "UPDATE operation_log l SET previous_hash = c.previous_hash, hash = c.hash FROM unnest($1::bigint[], $2::text[], $3::text[]) AS c(id, previous_hash, hash) WHERE l.id = c.id AND l.hash IS NULL",
                connection,
                transaction);
            update.Parameters.AddWithValue(ids);
            update.Parameters.AddWithValue(previous);
            update.Parameters.AddWithValue(hashes);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        // The tip follows the highest id, so that new rows are numbered after every old one.
        await using (var max = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM operation_log", connection, transaction))
        {
            var highest = (long)(await max.ExecuteScalarAsync(cancellationToken))!;
            tip = (Math.Max(highest, tip.Id), tip.Hash);
        }

        await using (var done = new NpgsqlCommand("UPDATE operation_log_chain SET unchained = false, last_id = $1, last_hash = $2", connection, transaction))
        {
            done.Parameters.AddWithValue(tip.Id);
            done.Parameters.AddWithValue(tip.Hash);
            await done.ExecuteNonQueryAsync(cancellationToken);
        }

        return tip;
    }

    // Copies entries in as rows tip.Id + 1, … each linked to the one before; returns the new tip (not yet stored).
    private static async Task<(long Id, string Hash)> CopyChainedAsync(
        NpgsqlConnection connection, IReadOnlyList<OperationLogEntry> entries, (long Id, string Hash) tip, CancellationToken cancellationToken)
    {
        var scratch = new StringBuilder(512);
        await using var importer = await connection.BeginBinaryImportAsync(s_copyRows, cancellationToken);
        foreach (var original in entries)
        {
            // The hash covers the row as it is stored: its instant to the microsecond.
            var stored = PostgresValues.Timestamp(original.Timestamp);
            var entry = stored.UtcTicks == original.Timestamp.UtcTicks ? original : original with { Timestamp = stored };
            var id = tip.Id + 1;
            var hash = OperationLogChain.HashOf(id, entry, tip.Hash, scratch);
            await WriteRowAsync(importer, entry, cancellationToken);
            await importer.WriteAsync(id, NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(tip.Hash, NpgsqlDbType.Text, cancellationToken);
            await importer.WriteAsync(hash, NpgsqlDbType.Text, cancellationToken);
            tip = (id, hash);
        }

        await importer.CompleteAsync(cancellationToken);
        return tip;
    }

    private static NpgsqlBatchCommand MoveTip((long Id, string Hash) tip)
    {
        var command = new NpgsqlBatchCommand("UPDATE operation_log_chain SET last_id = $1, last_hash = $2");
        command.Parameters.AddWithValue(tip.Id);
        command.Parameters.AddWithValue(tip.Hash);
        return command;
    }

    private async Task<int> RecoverAsync(DateTimeOffset now, bool includeOwn, CancellationToken cancellationToken)
    {
        await using var connection = await _database.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // The chain's tip first, as every appender locks it before the attempts it closes: one lock order, no deadlock.
        var tip = await LockTipAsync(connection, transaction, cancellationToken);

        // DELETE … RETURNING takes each attempt under its row lock: a second survivor recovering at the same time
        // waits for this transaction and then finds the attempt gone, so no attempt is recovered twice.
        List<OpenAttempt> taken = [];
        await using (var take = new NpgsqlCommand(s_takeOpenSql, connection, transaction))
        {
            take.Parameters.AddWithValue(PostgresValues.Timestamp(now));
            take.Parameters.AddWithValue(_database.InstanceId);
            take.Parameters.AddWithValue(includeOwn);
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(ReadOpen(reader));
            }
        }

        if (taken.Count > 0)
        {
            taken.Sort((a, b) =>
            {
                var order = a.Timestamp.CompareTo(b.Timestamp);
                order = order != 0 ? order : string.CompareOrdinal(a.RequestId, b.RequestId);
                return order != 0 ? order : a.Attempt.CompareTo(b.Attempt);
            });
            tip = await CopyChainedAsync(connection, [.. taken.Select(a => a.ToInterruptedEntry())], tip, cancellationToken);
            await using var move = new NpgsqlBatch(connection, transaction);
            move.BatchCommands.Add(MoveTip(tip));
            await move.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return taken.Count;
    }

    private static OpenAttempt ReadOpen(NpgsqlDataReader r) => new()
    {
        RequestId = r.GetString(0),
        Attempt = r.GetInt32(1),
        Timestamp = PostgresValues.ReadTimestamp(r.GetDateTime(2)),
        Operation = r.GetString(3),
        Principal = r.GetString(4),
        User = NullableString(r, 5),
        Provider = r.GetString(6),
        Model = r.GetString(7),
        Streamed = r.GetBoolean(8),
        EstimatedCostUsd = NullableDecimal(r, 9),
        ExperimentId = NullableString(r, 11),
        ExperimentArm = NullableString(r, 12),
    };

    private async Task EnsurePartitionsAsync(NpgsqlConnection connection, IEnumerable<DateTimeOffset> instants, CancellationToken cancellationToken)
    {
        foreach (var instant in instants)
        {
            var utc = instant.UtcDateTime;
            var month = (utc.Year * 12) + utc.Month - 1;
            if (_partitions.ContainsKey(month))
            {
                continue;
            }

            await using var command = new NpgsqlCommand("SELECT helix_ensure_log_partition($1)", connection);
            command.Parameters.AddWithValue(new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero));
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateTable)
            {
                // Another writer created the month between the function's check and its CREATE (its catalog
                // snapshot can predate the other's commit): the partition exists, which is all that is needed.
            }

            _partitions[month] = true;
        }
    }

    private static async Task WriteRowAsync(NpgsqlBinaryImporter w, OperationLogEntry e, CancellationToken ct)
    {
        var m = e.Meters;
        await w.StartRowAsync(ct);
        await w.WriteAsync(e.RequestId, NpgsqlDbType.Text, ct);
        await w.WriteAsync(PostgresValues.Timestamp(e.Timestamp), NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync(e.Operation, NpgsqlDbType.Text, ct);
        await w.WriteAsync(e.Principal, NpgsqlDbType.Text, ct);
        await WriteTextAsync(w, e.User, ct);
        await w.WriteAsync(e.Provider, NpgsqlDbType.Text, ct);
        await w.WriteAsync(e.Model, NpgsqlDbType.Text, ct);
        await WriteTextAsync(w, e.ReportedModel, ct);
        await w.WriteAsync(e.Attempt, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(StoredNames.ToText(e.Status), NpgsqlDbType.Text, ct);
        await WriteTextAsync(w, e.ErrorCode, ct);
        if (e.HttpStatus is { } http)
        {
            await w.WriteAsync(http, NpgsqlDbType.Integer, ct);
        }
        else
        {
            await w.WriteNullAsync(ct);
        }

        await w.WriteAsync(e.LatencyMs, NpgsqlDbType.Double, ct);
        await w.WriteAsync(e.Streamed, NpgsqlDbType.Boolean, ct);
        await w.WriteAsync(e.UsageKnown, NpgsqlDbType.Boolean, ct);
        await w.WriteAsync(m.InputTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.CacheReadTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.CacheWrite5mTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.CacheWrite1hTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.InputAudioTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.CacheReadAudioTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.InputImageTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.InputVideoTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.ToolPromptTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.OutputTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.ReasoningTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.OutputAudioTokens, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.AudioSeconds, NpgsqlDbType.Numeric, ct);
        await w.WriteAsync(m.Characters, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.Requests, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.WebSearchRequests, NpgsqlDbType.Bigint, ct);
        await w.WriteAsync(m.CacheStorageTokenHours, NpgsqlDbType.Numeric, ct);
        await WriteDecimalAsync(w, e.CostUsd, ct);
        await w.WriteAsync(StoredNames.ToText(e.CostStatus), NpgsqlDbType.Text, ct);
        await WriteTextAsync(w, e.CostReason, ct);
        await WriteDecimalAsync(w, e.EstimatedCostUsd, ct);
        await WriteTextAsync(w, e.PriceSource, ct);
        if (e.PriceSourceDate is { } date)
        {
            await w.WriteAsync(date, NpgsqlDbType.Date, ct);
        }
        else
        {
            await w.WriteNullAsync(ct);
        }

        await WriteTextAsync(w, e.ServiceTier, ct);
        await WriteTextAsync(w, e.ProviderRequestId, ct);
        await WriteTextAsync(w, e.ExperimentId, ct);
        await WriteTextAsync(w, e.ExperimentArm, ct);
        if (e.RequestedMaxTokens is { } cap)
        {
            await w.WriteAsync(cap, NpgsqlDbType.Integer, ct);
        }
        else
        {
            await w.WriteNullAsync(ct);
        }

        await WriteTextAsync(w, e.PromptPrefixHash, ct);
    }

    private static async Task WriteOpenAsync(NpgsqlBinaryImporter w, OpenAttempt a, string owner, CancellationToken ct)
    {
        await w.StartRowAsync(ct);
        await w.WriteAsync(Required(a.RequestId, nameof(a.RequestId)), NpgsqlDbType.Text, ct);
        await w.WriteAsync(a.Attempt, NpgsqlDbType.Integer, ct);
        await w.WriteAsync(PostgresValues.Timestamp(a.Timestamp), NpgsqlDbType.TimestampTz, ct);
        await w.WriteAsync(Required(a.Operation, nameof(a.Operation)), NpgsqlDbType.Text, ct);
        await w.WriteAsync(Required(a.Principal, nameof(a.Principal)), NpgsqlDbType.Text, ct);
        await WriteTextAsync(w, a.User, ct);
        await w.WriteAsync(Required(a.Provider, nameof(a.Provider)), NpgsqlDbType.Text, ct);
        await w.WriteAsync(Required(a.Model, nameof(a.Model)), NpgsqlDbType.Text, ct);
        await w.WriteAsync(a.Streamed, NpgsqlDbType.Boolean, ct);
        await WriteDecimalAsync(w, a.EstimatedCostUsd, ct);
        await w.WriteAsync(owner, NpgsqlDbType.Text, ct);
        await WriteTextAsync(w, a.ExperimentId, ct);
        await WriteTextAsync(w, a.ExperimentArm, ct);
    }

    private static Task WriteTextAsync(NpgsqlBinaryImporter w, string? value, CancellationToken ct) =>
        value is null ? w.WriteNullAsync(ct) : w.WriteAsync(value, NpgsqlDbType.Text, ct);

    private static Task WriteDecimalAsync(NpgsqlBinaryImporter w, decimal? value, CancellationToken ct) =>
        value is { } d ? w.WriteAsync(d, NpgsqlDbType.Numeric, ct) : w.WriteNullAsync(ct);

    // A null here would otherwise surface as a NOT NULL violation mid-copy; the batch is refused either way.
    private static string Required(string value, string field) =>
        value ?? throw new ArgumentException($"An operation log row has no {field}; the batch is not stored.");

    /// <summary>One row of <see cref="SelectSql"/>.</summary>
    internal static OperationLogEntry Read(NpgsqlDataReader r) => new()
    {
        Id = r.GetInt64(0),
        RequestId = r.GetString(1),
        Timestamp = PostgresValues.ReadTimestamp(r.GetDateTime(2)),
        Operation = r.GetString(3),
        Principal = r.GetString(4),
        User = NullableString(r, 5),
        Provider = r.GetString(6),
        Model = r.GetString(7),
        ReportedModel = NullableString(r, 8),
        Attempt = r.GetInt32(9),
        Status = StoredNames.ToAttemptStatus(r.GetString(10)),
        ErrorCode = NullableString(r, 11),
        HttpStatus = r.IsDBNull(12) ? null : r.GetInt32(12),
        LatencyMs = r.GetDouble(13),
        Streamed = r.GetBoolean(14),
        UsageKnown = r.GetBoolean(15),
        Meters = new UsageMeters
        {
            InputTokens = r.GetInt64(16),
            CacheReadTokens = r.GetInt64(17),
            CacheWrite5mTokens = r.GetInt64(18),
            CacheWrite1hTokens = r.GetInt64(19),
            InputAudioTokens = r.GetInt64(20),
            CacheReadAudioTokens = r.GetInt64(21),
            InputImageTokens = r.GetInt64(22),
            InputVideoTokens = r.GetInt64(23),
            ToolPromptTokens = r.GetInt64(24),
            OutputTokens = r.GetInt64(25),
            ReasoningTokens = r.GetInt64(26),
            OutputAudioTokens = r.GetInt64(27),
            AudioSeconds = r.GetDecimal(28),
            Characters = r.GetInt64(29),
            Requests = r.GetInt64(30),
            WebSearchRequests = r.GetInt64(31),
            CacheStorageTokenHours = r.GetDecimal(32),
        },
        CostUsd = NullableDecimal(r, 33),
        CostStatus = StoredNames.ToCostStatus(r.GetString(34)),
        CostReason = NullableString(r, 35),
        EstimatedCostUsd = NullableDecimal(r, 36),
        PriceSource = NullableString(r, 37),
        PriceSourceDate = r.IsDBNull(38) ? null : r.GetFieldValue<DateOnly>(38),
        ServiceTier = NullableString(r, 39),
        ProviderRequestId = NullableString(r, 40),
        ExperimentId = NullableString(r, 41),
        ExperimentArm = NullableString(r, 42),
        RequestedMaxTokens = r.IsDBNull(43) ? null : r.GetInt32(43),
        PromptPrefixHash = NullableString(r, 44),
        RepricedCostUsd = NullableDecimal(r, s_columns.Length + 1),
    };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static decimal? NullableDecimal(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDecimal(ordinal);
}
