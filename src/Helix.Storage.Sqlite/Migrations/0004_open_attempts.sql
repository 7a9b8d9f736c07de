-- 0004: the journal of open attempts, and the 'interrupted' status of the rows recovery writes from it.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- An attempt is written here, and committed, before its provider is called; the transaction that inserts the
-- attempt's operation_log row deletes it. This is a journal, not the log: deleting from it keeps operation_log
-- append-only. A row still here at start-up belongs to a process that died during the call, and recovery turns it
-- into an 'interrupted' operation_log row at its worst-case estimate.
CREATE TABLE open_attempts (
    request_id         TEXT    NOT NULL,
    attempt            INTEGER NOT NULL,
    ts                 TEXT    NOT NULL, -- ISO-8601 UTC, when the attempt started
    ts_ms              INTEGER NOT NULL,
    operation          TEXT    NOT NULL,
    principal          TEXT    NOT NULL,
    end_user           TEXT,
    provider           TEXT    NOT NULL,
    model              TEXT    NOT NULL,
    streamed           INTEGER NOT NULL CHECK (streamed IN (0, 1)),
    estimated_cost_usd TEXT, -- decimal, invariant culture; NULL when the model had no price
    PRIMARY KEY (request_id, attempt)
) WITHOUT ROWID;

-- SQLite cannot change a CHECK constraint in place: operation_log is rebuilt with 'interrupted' allowed, ids kept.
-- cost_adjustments references operation_log, and foreign keys are on (and cannot be turned off inside the
-- migrator's transaction), so its rows step aside while the old table is dropped and come back unchanged.
CREATE TABLE operation_log_0004 (
    id                        INTEGER NOT NULL PRIMARY KEY,
    request_id                TEXT    NOT NULL,
    ts                        TEXT    NOT NULL,
    ts_ms                     INTEGER NOT NULL,
    operation                 TEXT    NOT NULL,
    principal                 TEXT    NOT NULL,
    end_user                  TEXT,
    provider                  TEXT    NOT NULL,
    model                     TEXT    NOT NULL,
    reported_model            TEXT,
    attempt                   INTEGER NOT NULL,
    status                    TEXT    NOT NULL CHECK (status IN ('success', 'failed', 'cancelled', 'interrupted')),
    error_code                TEXT,
    http_status               INTEGER,
    latency_ms                REAL    NOT NULL,
    streamed                  INTEGER NOT NULL CHECK (streamed IN (0, 1)),
    usage_known               INTEGER NOT NULL CHECK (usage_known IN (0, 1)),
    input_tokens              INTEGER NOT NULL,
    cache_read_tokens         INTEGER NOT NULL,
    cache_write_5m_tokens     INTEGER NOT NULL,
    cache_write_1h_tokens     INTEGER NOT NULL,
    input_audio_tokens        INTEGER NOT NULL,
    cache_read_audio_tokens   INTEGER NOT NULL,
    input_image_tokens        INTEGER NOT NULL,
    input_video_tokens        INTEGER NOT NULL,
    tool_prompt_tokens        INTEGER NOT NULL,
    output_tokens             INTEGER NOT NULL,
    reasoning_tokens          INTEGER NOT NULL,
    output_audio_tokens       INTEGER NOT NULL,
    audio_seconds             TEXT    NOT NULL,
    characters                INTEGER NOT NULL,
    requests                  INTEGER NOT NULL,
    web_search_requests       INTEGER NOT NULL,
    cache_storage_token_hours TEXT    NOT NULL,
    cost_usd                  TEXT,
    cost_status               TEXT    NOT NULL CHECK (cost_status IN ('priced', 'estimated', 'unpriced', 'not_billed')),
    cost_reason               TEXT,
    estimated_cost_usd        TEXT,
    price_source              TEXT,
    price_source_date         TEXT, -- yyyy-MM-dd
    service_tier              TEXT,
    provider_request_id       TEXT
);

INSERT INTO operation_log_0004 SELECT * FROM operation_log;

CREATE TEMP TABLE cost_adjustments_0004 AS SELECT * FROM cost_adjustments;
DELETE FROM cost_adjustments;
DROP TABLE operation_log;
ALTER TABLE operation_log_0004 RENAME TO operation_log;
INSERT INTO cost_adjustments SELECT * FROM temp.cost_adjustments_0004;
DROP TABLE temp.cost_adjustments_0004;

CREATE INDEX ix_operation_log_operation_id ON operation_log (operation, id);
CREATE INDEX ix_operation_log_end_user_id ON operation_log (end_user, id);
CREATE INDEX ix_operation_log_ts_ms ON operation_log (ts_ms);
