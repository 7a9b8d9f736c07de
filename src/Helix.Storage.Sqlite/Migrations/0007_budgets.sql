-- 0007: budgets, stored alerts with their states, notifiers and the outbox of alert deliveries; an index for spend.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here. Independent of 0005 and 0006.

-- One budget per scope, subject and period; a PUT of the same three replaces the row and keeps its id.
CREATE TABLE budgets (
    id         INTEGER NOT NULL PRIMARY KEY,
    scope      TEXT    NOT NULL CHECK (scope IN ('global', 'user', 'operation', 'key')),
    subject    TEXT    NOT NULL,
    period     TEXT    NOT NULL CHECK (period IN ('day', 'month')),
    limit_usd  TEXT    NOT NULL, -- decimal, invariant culture, > 0
    hard       INTEGER NOT NULL CHECK (hard IN (0, 1)),
    thresholds TEXT    NOT NULL CHECK (json_valid(thresholds) AND json_type(thresholds) = 'array'), -- decimal strings
    time_zone  TEXT    NOT NULL,
    updated_at TEXT    NOT NULL, -- ISO-8601 UTC
    CONSTRAINT ux_budgets_scope_subject_period UNIQUE (scope, subject, period)
);

-- Alerts move open -> acknowledged -> resolved. dedupe_key names what makes two alerts the same: at most one not
-- resolved per key, and for once = 1 (a budget threshold in one period) at most one ever.
CREATE TABLE alerts (
    id              INTEGER NOT NULL PRIMARY KEY,
    type            TEXT    NOT NULL,
    severity        TEXT    NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    state           TEXT    NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    scope           TEXT,
    subject         TEXT,
    period          TEXT,
    threshold       TEXT,
    spent_usd       TEXT,
    limit_usd       TEXT,
    calls           INTEGER,
    baseline_calls  TEXT,
    message         TEXT    NOT NULL,
    created_at      TEXT    NOT NULL,
    acknowledged_at TEXT,
    resolved_at     TEXT,
    dedupe_key      TEXT    NOT NULL,
    once            INTEGER NOT NULL CHECK (once IN (0, 1))
);

CREATE UNIQUE INDEX ux_alerts_dedupe ON alerts (dedupe_key) WHERE once = 1 OR state <> 'resolved';
CREATE INDEX ix_alerts_state_id ON alerts (state, id);

CREATE TABLE notifiers (
    name       TEXT NOT NULL PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('discord', 'slack', 'webhook')),
    url        TEXT NOT NULL,
    secret     TEXT,
    updated_at TEXT NOT NULL
);

-- The outbox: one row per alert and notifier, written in the alert's transaction, delivered in the background.
CREATE TABLE alert_outbox (
    id            INTEGER NOT NULL PRIMARY KEY,
    alert_id      INTEGER NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    notifier      TEXT    NOT NULL REFERENCES notifiers (name) ON DELETE CASCADE,
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at_ms    INTEGER NOT NULL,
    delivered_at  TEXT,
    last_error    TEXT
);

CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_at_ms) WHERE delivered_at IS NULL;

-- Spend reports and budget rebuilds aggregate the log by time: this index covers them, so they never read rows.
CREATE INDEX ix_operation_log_spend ON operation_log (ts_ms, operation, end_user, principal, model, attempt, cost_usd);
