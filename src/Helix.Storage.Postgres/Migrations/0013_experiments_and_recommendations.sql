-- 0013: A/B experiments (with their arms), recommendations, and the experiment and arm each log row ran under.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.
-- The twin of SQLite's 0014; independent of 0009 to 0012.

-- Adding nullable columns without a default rewrites nothing, partitions included: existing rows read NULL (they
-- ran under no experiment).
ALTER TABLE operation_log ADD COLUMN experiment_id text;
ALTER TABLE operation_log ADD COLUMN experiment_arm text;

CREATE TABLE experiments (
    id                         text        NOT NULL PRIMARY KEY,
    operation                  text        NOT NULL,
    status                     text        NOT NULL CHECK (status IN ('running', 'stopped')),
    max_error_rate_increase    numeric     NOT NULL,
    max_latency_p95_increase   numeric     NOT NULL,
    max_cost_per_call_increase numeric     NOT NULL,
    min_calls_per_arm          integer     NOT NULL CHECK (min_calls_per_arm >= 1),
    alpha                      numeric     NOT NULL,
    created_at                 timestamptz NOT NULL,
    created_by                 text        NOT NULL,
    stopped_at                 timestamptz,
    stopped_by                 text,
    stop_reason                text,
    winner                     text
);

-- At most one running experiment per operation: a second start, from this instance or another, is refused by the
-- database, not only by a check.
CREATE UNIQUE INDEX ux_experiments_running_operation ON experiments (operation) WHERE status = 'running';

CREATE TABLE experiment_arms (
    experiment_id text    NOT NULL REFERENCES experiments (id),
    position      integer NOT NULL CHECK (position >= 0), -- 0 is the control
    name          text    NOT NULL,
    model         text    NOT NULL,
    share         numeric NOT NULL, -- in (0, 1)
    PRIMARY KEY (experiment_id, position)
);

CREATE TABLE recommendations (
    id                            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind                          text        NOT NULL,
    operation                     text        NOT NULL,
    model                         text,
    service_tier                  text,
    evidence                      text        NOT NULL CHECK (jsonb_typeof(evidence::jsonb) = 'object'),
    projected_monthly_savings_usd numeric, -- unrounded
    source                        text        NOT NULL CHECK (source IN ('helix', 'proposal')),
    proposed_by                   text        NOT NULL,
    status                        text        NOT NULL CHECK (status IN ('open', 'dismissed')),
    created_at                    timestamptz NOT NULL,
    updated_at                    timestamptz NOT NULL,
    dismissed_by                  text,
    dismiss_reason                text
);

CREATE INDEX ix_recommendations_key ON recommendations (source, kind, operation, model, service_tier);
