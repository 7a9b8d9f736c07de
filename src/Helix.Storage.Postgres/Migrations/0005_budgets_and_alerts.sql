-- 0005: budgets, stored alerts with their states, notifiers and the outbox of alert deliveries.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- One budget per scope, subject and period; a PUT of the same three replaces the row and keeps its id.
CREATE TABLE budgets (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope      text        NOT NULL CHECK (scope IN ('global', 'user', 'operation', 'key')),
    subject    text        NOT NULL,
    period     text        NOT NULL CHECK (period IN ('day', 'month')),
    limit_usd  numeric     NOT NULL CHECK (limit_usd > 0),
    hard       boolean     NOT NULL,
    thresholds text[]      NOT NULL, -- decimal strings, as given
    time_zone  text        NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT ux_budgets_scope_subject_period UNIQUE (scope, subject, period)
);

-- Alerts move open -> acknowledged -> resolved. dedupe_key names what makes two alerts the same: at most one not
-- resolved per key, and for once = true (a budget threshold in one period) at most one ever.
CREATE TABLE alerts (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type            text        NOT NULL,
    severity        text        NOT NULL CHECK (severity IN ('info', 'warning', 'critical')),
    state           text        NOT NULL CHECK (state IN ('open', 'acknowledged', 'resolved')),
    scope           text,
    subject         text,
    period          text,
    threshold       numeric,
    spent_usd       numeric,
    limit_usd       numeric,
    calls           bigint,
    baseline_calls  numeric,
    message         text        NOT NULL,
    created_at      timestamptz NOT NULL,
    acknowledged_at timestamptz,
    resolved_at     timestamptz,
    dedupe_key      text        NOT NULL,
    once            boolean     NOT NULL
);

CREATE UNIQUE INDEX ux_alerts_dedupe ON alerts (dedupe_key) WHERE once OR state <> 'resolved';
CREATE INDEX ix_alerts_state_id ON alerts (state, id);

CREATE TABLE notifiers (
    name       text        NOT NULL PRIMARY KEY,
    kind       text        NOT NULL CHECK (kind IN ('discord', 'slack', 'webhook')),
    url        text        NOT NULL,
    secret     text,
    updated_at timestamptz NOT NULL
);

-- The outbox: one row per alert and notifier, written in the alert's transaction, delivered in the background.
CREATE TABLE alert_outbox (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id     bigint      NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
    notifier     text        NOT NULL REFERENCES notifiers (name) ON DELETE CASCADE,
    attempts     integer     NOT NULL DEFAULT 0,
    next_at      timestamptz NOT NULL,
    delivered_at timestamptz,
    last_error   text
);

CREATE INDEX ix_alert_outbox_due ON alert_outbox (next_at) WHERE delivered_at IS NULL;
