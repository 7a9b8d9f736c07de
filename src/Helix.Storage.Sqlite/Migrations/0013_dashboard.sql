-- 0013: the dashboard's accounts and call feedback, and the hourly rollups its charts read.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Human accounts of the dashboard; the password is kept only as ASP.NET Core's password hash.
CREATE TABLE users (
    id              INTEGER NOT NULL PRIMARY KEY,
    name            TEXT    NOT NULL COLLATE NOCASE UNIQUE,
    role            TEXT    NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash   TEXT    NOT NULL,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT, -- ISO-8601 UTC
    created_at      TEXT    NOT NULL
);

-- Feedback on calls (POST /v1/feedback), joined to the log by request id. Score as sent, quality from 0 to 1.
CREATE TABLE call_feedback (
    id         INTEGER NOT NULL PRIMARY KEY,
    request_id TEXT    NOT NULL,
    score      TEXT    NOT NULL,
    quality    TEXT    NOT NULL,
    comment    TEXT,
    principal  TEXT    NOT NULL,
    at         TEXT    NOT NULL,
    at_ms      INTEGER NOT NULL
);

CREATE INDEX ix_call_feedback_at_ms ON call_feedback (at_ms);
CREATE INDEX ix_call_feedback_request_id ON call_feedback (request_id);

-- One call's attempts (the call detail, feedback's join) and the log filtered by model, newest first.
CREATE INDEX ix_operation_log_request_id ON operation_log (request_id);
CREATE INDEX ix_operation_log_model_id ON operation_log (model, id);

-- Hourly rollups, kept by a trigger in the transaction that appends the rows: the charts read a few thousand
-- rollup rows for a month instead of the log's millions. Costs are nano-dollars, as in budgets' spend.
CREATE TABLE log_hourly (
    hour_ms    INTEGER NOT NULL,
    operation  TEXT    NOT NULL,
    model      TEXT    NOT NULL,
    calls      INTEGER NOT NULL,
    attempts   INTEGER NOT NULL,
    failures   INTEGER NOT NULL,
    cost_nanos INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, operation, model)
) WITHOUT ROWID;

-- Successful attempts per model, hour and latency bucket (Helix.Core.Insights.LatencyHistogram's bounds).
CREATE TABLE latency_hourly (
    hour_ms INTEGER NOT NULL,
    model   TEXT    NOT NULL,
    bucket  INTEGER NOT NULL,
    count   INTEGER NOT NULL,
    PRIMARY KEY (hour_ms, model, bucket)
) WITHOUT ROWID;

INSERT INTO log_hourly (hour_ms, operation, model, calls, attempts, failures, cost_nanos)
SELECT (ts_ms / 3600000) * 3600000, operation, model, sum(attempt = 1), count(*), sum(status IN ('failed', 'interrupted')),
       coalesce(sum(CAST(round(CAST(cost_usd AS REAL) * 1000000000) AS INTEGER)), 0)
FROM operation_log GROUP BY 1, 2, 3;

INSERT INTO latency_hourly (hour_ms, model, bucket, count)
SELECT (ts_ms / 3600000) * 3600000, model, CASE WHEN latency_ms <= 1 THEN 0 WHEN latency_ms <= 1.5 THEN 1 WHEN latency_ms <= 2 THEN 2 WHEN latency_ms <= 3 THEN 3 WHEN latency_ms <= 5 THEN 4 WHEN latency_ms <= 7 THEN 5 WHEN latency_ms <= 10 THEN 6 WHEN latency_ms <= 15 THEN 7 WHEN latency_ms <= 20 THEN 8 WHEN latency_ms <= 30 THEN 9 WHEN latency_ms <= 50 THEN 10 WHEN latency_ms <= 70 THEN 11 WHEN latency_ms <= 100 THEN 12 WHEN latency_ms <= 150 THEN 13 WHEN latency_ms <= 200 THEN 14 WHEN latency_ms <= 300 THEN 15 WHEN latency_ms <= 500 THEN 16 WHEN latency_ms <= 700 THEN 17 WHEN latency_ms <= 1000 THEN 18 WHEN latency_ms <= 1500 THEN 19 WHEN latency_ms <= 2000 THEN 20 WHEN latency_ms <= 3000 THEN 21 WHEN latency_ms <= 5000 THEN 22 WHEN latency_ms <= 7000 THEN 23 WHEN latency_ms <= 10000 THEN 24 WHEN latency_ms <= 15000 THEN 25 WHEN latency_ms <= 20000 THEN 26 WHEN latency_ms <= 30000 THEN 27 WHEN latency_ms <= 50000 THEN 28 WHEN latency_ms <= 70000 THEN 29 WHEN latency_ms <= 120000 THEN 30 ELSE 31 END, count(*)
FROM operation_log WHERE status = 'success' GROUP BY 1, 2, 3;

CREATE TRIGGER operation_log_rollup AFTER INSERT ON operation_log
BEGIN
    INSERT INTO log_hourly (hour_ms, operation, model, calls, attempts, failures, cost_nanos)
    VALUES ((NEW.ts_ms / 3600000) * 3600000, NEW.operation, NEW.model, NEW.attempt = 1, 1, NEW.status IN ('failed', 'interrupted'),
            coalesce(CAST(round(CAST(NEW.cost_usd AS REAL) * 1000000000) AS INTEGER), 0))
    ON CONFLICT (hour_ms, operation, model) DO UPDATE SET
        calls = calls + excluded.calls, attempts = attempts + 1, failures = failures + excluded.failures,
        cost_nanos = cost_nanos + excluded.cost_nanos;

    INSERT INTO latency_hourly (hour_ms, model, bucket, count)
    SELECT (NEW.ts_ms / 3600000) * 3600000, NEW.model, CASE WHEN NEW.latency_ms <= 1 THEN 0 WHEN NEW.latency_ms <= 1.5 THEN 1 WHEN NEW.latency_ms <= 2 THEN 2 WHEN NEW.latency_ms <= 3 THEN 3 WHEN NEW.latency_ms <= 5 THEN 4 WHEN NEW.latency_ms <= 7 THEN 5 WHEN NEW.latency_ms <= 10 THEN 6 WHEN NEW.latency_ms <= 15 THEN 7 WHEN NEW.latency_ms <= 20 THEN 8 WHEN NEW.latency_ms <= 30 THEN 9 WHEN NEW.latency_ms <= 50 THEN 10 WHEN NEW.latency_ms <= 70 THEN 11 WHEN NEW.latency_ms <= 100 THEN 12 WHEN NEW.latency_ms <= 150 THEN 13 WHEN NEW.latency_ms <= 200 THEN 14 WHEN NEW.latency_ms <= 300 THEN 15 WHEN NEW.latency_ms <= 500 THEN 16 WHEN NEW.latency_ms <= 700 THEN 17 WHEN NEW.latency_ms <= 1000 THEN 18 WHEN NEW.latency_ms <= 1500 THEN 19 WHEN NEW.latency_ms <= 2000 THEN 20 WHEN NEW.latency_ms <= 3000 THEN 21 WHEN NEW.latency_ms <= 5000 THEN 22 WHEN NEW.latency_ms <= 7000 THEN 23 WHEN NEW.latency_ms <= 10000 THEN 24 WHEN NEW.latency_ms <= 15000 THEN 25 WHEN NEW.latency_ms <= 20000 THEN 26 WHEN NEW.latency_ms <= 30000 THEN 27 WHEN NEW.latency_ms <= 50000 THEN 28 WHEN NEW.latency_ms <= 70000 THEN 29 WHEN NEW.latency_ms <= 120000 THEN 30 ELSE 31 END, 1
    WHERE NEW.status = 'success'
    ON CONFLICT (hour_ms, model, bucket) DO UPDATE SET count = count + 1;
END;
