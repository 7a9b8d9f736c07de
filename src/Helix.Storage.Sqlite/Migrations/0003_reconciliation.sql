-- 0003: reconciliation reports, each a comparison of one provider's bill with the operation log.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Append-only: a saved report is never changed. The whole report is kept as JSON (decimals as exact JSON numbers);
-- the columns beside it are what lists and filters need without parsing it.
CREATE TABLE reconciliation_reports (
    id          INTEGER NOT NULL PRIMARY KEY,
    provider    TEXT    NOT NULL,
    period_from TEXT    NOT NULL, -- yyyy-MM-dd, first UTC day compared
    period_to   TEXT    NOT NULL, -- yyyy-MM-dd, last UTC day compared (inclusive)
    created_at  TEXT    NOT NULL, -- ISO-8601 UTC, when the reconciliation ran
    passed      INTEGER NOT NULL CHECK (passed IN (0, 1)),
    json        TEXT    NOT NULL CHECK (json_valid(json)),
    CONSTRAINT ck_reconciliation_reports_period CHECK (period_from <= period_to)
);

CREATE INDEX ix_reconciliation_reports_created_at_id ON reconciliation_reports (created_at, id);
CREATE INDEX ix_reconciliation_reports_provider_period ON reconciliation_reports (provider, period_from);
