-- 0014: A/B experiments (with their arms), recommendations, and the experiment and arm each log row ran under.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here. Independent of 0009 to 0013.

-- Adding nullable columns rewrites nothing: existing rows read NULL (they ran under no experiment).
ALTER TABLE operation_log ADD COLUMN experiment_id TEXT;
ALTER TABLE operation_log ADD COLUMN experiment_arm TEXT;

CREATE TABLE experiments (
    id                        TEXT    NOT NULL PRIMARY KEY,
    operation                 TEXT    NOT NULL,
    status                    TEXT    NOT NULL CHECK (status IN ('running', 'stopped')),
    max_error_rate_increase   TEXT    NOT NULL, -- decimal strings, invariant culture
    max_latency_p95_increase  TEXT    NOT NULL,
    max_cost_per_call_increase TEXT   NOT NULL,
    min_calls_per_arm         INTEGER NOT NULL CHECK (min_calls_per_arm >= 1),
    alpha                     TEXT    NOT NULL,
    created_at                TEXT    NOT NULL, -- ISO-8601 UTC
    created_by                TEXT    NOT NULL,
    stopped_at                TEXT,
    stopped_by                TEXT,
    stop_reason               TEXT,
    winner                    TEXT
);

-- At most one running experiment per operation: a second start is refused by the database, not only by a check.
CREATE UNIQUE INDEX ux_experiments_running_operation ON experiments (operation) WHERE status = 'running';

CREATE TABLE experiment_arms (
    experiment_id TEXT    NOT NULL REFERENCES experiments (id),
    position      INTEGER NOT NULL CHECK (position >= 0), -- 0 is the control
    name          TEXT    NOT NULL,
    model         TEXT    NOT NULL,
    share         TEXT    NOT NULL, -- decimal string in (0, 1)
    PRIMARY KEY (experiment_id, position)
);

CREATE TABLE recommendations (
    id                            INTEGER NOT NULL PRIMARY KEY,
    kind                          TEXT    NOT NULL,
    operation                     TEXT    NOT NULL,
    model                         TEXT,
    service_tier                  TEXT,
    evidence                      TEXT    NOT NULL CHECK (json_valid(evidence) AND json_type(evidence) = 'object'),
    projected_monthly_savings_usd TEXT, -- decimal string, unrounded
    source                        TEXT    NOT NULL CHECK (source IN ('helix', 'proposal')),
    proposed_by                   TEXT    NOT NULL,
    status                        TEXT    NOT NULL CHECK (status IN ('open', 'dismissed')),
    created_at                    TEXT    NOT NULL,
    updated_at                    TEXT    NOT NULL,
    dismissed_by                  TEXT,
    dismiss_reason                TEXT
);

CREATE INDEX ix_recommendations_key ON recommendations (source, kind, operation, model, service_tier);
