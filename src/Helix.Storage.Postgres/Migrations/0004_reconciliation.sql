-- 0004: reconciliation reports, each a comparison of one provider's bill with the operation log; append-only.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- The whole report is kept as JSON text (decimals as exact JSON numbers, which jsonb would keep too but reorders);
-- the columns beside it are what lists and filters need without parsing it.
CREATE TABLE reconciliation_reports (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    provider    text        NOT NULL,
    period_from date        NOT NULL,
    period_to   date        NOT NULL,
    created_at  timestamptz NOT NULL,
    passed      boolean     NOT NULL,
    json        text        NOT NULL,
    CONSTRAINT ck_reconciliation_reports_period CHECK (period_from <= period_to)
);

CREATE INDEX ix_reconciliation_reports_created_at_id ON reconciliation_reports (created_at, id);
CREATE INDEX ix_reconciliation_reports_provider_period ON reconciliation_reports (provider, period_from);
