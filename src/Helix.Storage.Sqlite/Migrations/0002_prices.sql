-- 0002: admin price overrides and re-pricings of past log rows.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Append-only: each change of a model's override is a new version holding every period of its prices, as a
-- price-book JSON document; the highest version of a model is in force, and one with no entries removes it.
CREATE TABLE price_overrides (
    id         INTEGER NOT NULL PRIMARY KEY,
    model_key  TEXT    NOT NULL, -- provider/model, lower-case
    version    INTEGER NOT NULL CHECK (version >= 1),
    json       TEXT    NOT NULL CHECK (json_valid(json)),
    changed_by TEXT    NOT NULL,
    changed_at TEXT    NOT NULL, -- ISO-8601 UTC
    CONSTRAINT ux_price_overrides_model_version UNIQUE (model_key, version)
);

-- Append-only: a new cost for a past log row; the latest row of a log id (highest id) is the one in force.
CREATE TABLE cost_adjustments (
    id                INTEGER NOT NULL PRIMARY KEY,
    log_id            INTEGER NOT NULL REFERENCES operation_log (id),
    cost_usd          TEXT, -- decimal, invariant culture; NULL while still unpriced
    cost_status       TEXT    NOT NULL CHECK (cost_status IN ('priced', 'estimated', 'unpriced', 'not_billed')),
    price_source      TEXT,
    price_source_date TEXT, -- yyyy-MM-dd
    reason            TEXT    NOT NULL,
    adjusted_at       TEXT    NOT NULL, -- ISO-8601 UTC
    adjusted_at_ms    INTEGER NOT NULL,
    adjusted_by       TEXT    NOT NULL
);

CREATE INDEX ix_cost_adjustments_log_id_id ON cost_adjustments (log_id, id);
