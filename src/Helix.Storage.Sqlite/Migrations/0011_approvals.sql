-- 0011: the approval gate: requests held for a human decision, and each route's approval policy.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE approval_requests (
    id               TEXT    NOT NULL PRIMARY KEY, -- apr_ + 32 hex digits
    operation        TEXT    NOT NULL,
    principal_id     TEXT    NOT NULL,
    principal_name   TEXT    NOT NULL,
    request_hash     TEXT,                         -- lowercase hex SHA-256 of the request body
    estimated_cost   TEXT,                         -- decimal string, USD; NULL when unpriced
    model            TEXT    NOT NULL,
    policy           TEXT    NOT NULL,             -- never | always | above | money-moving | new-model
    why              TEXT    NOT NULL,
    created_at       TEXT    NOT NULL,
    expires_at_ms    INTEGER NOT NULL,             -- Unix milliseconds, compared in the conditional updates
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'consumed')),
    decided_at       TEXT,
    decided_by       TEXT,
    decided_by_name  TEXT,
    reason           TEXT,
    consumed_at      TEXT
);

CREATE INDEX ix_approval_requests_status ON approval_requests (status, created_at);
CREATE INDEX ix_approval_requests_created ON approval_requests (created_at);

CREATE TABLE route_approval_policies (
    operation        TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    policy           TEXT    NOT NULL,
    threshold_usd    TEXT,                         -- decimal string, for 'above'
    money_moving     INTEGER NOT NULL DEFAULT 0,
    approved_models  TEXT    NOT NULL DEFAULT '[]', -- JSON array of catalog ids, for 'new-model'
    updated_at       TEXT    NOT NULL,
    updated_by       TEXT    NOT NULL
);
