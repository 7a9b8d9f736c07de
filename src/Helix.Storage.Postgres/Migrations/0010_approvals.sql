-- 0010: the approval gate: requests held for a human decision, and each route's approval policy.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.
-- Every status change is one conditional UPDATE (pending -> approved/rejected, approved -> consumed), so of any
-- number of concurrent retries on any number of instances exactly one consumes an approval.

CREATE TABLE approval_requests (
    id               text        NOT NULL PRIMARY KEY, -- apr_ + 32 hex digits
    operation        text        NOT NULL,
    principal_id     text        NOT NULL,
    principal_name   text        NOT NULL,
    request_hash     text,                             -- lowercase hex SHA-256 of the request body
    estimated_cost   numeric,                          -- USD; NULL when unpriced
    model            text        NOT NULL,
    policy           text        NOT NULL,             -- never | always | above | money-moving | new-model
    why              text        NOT NULL,
    created_at       timestamptz NOT NULL,
    expires_at       timestamptz NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'consumed')),
    decided_at       timestamptz,
    decided_by       text,
    decided_by_name  text,
    reason           text,
    consumed_at      timestamptz
);

CREATE INDEX ix_approval_requests_status ON approval_requests (status, created_at);
CREATE INDEX ix_approval_requests_created ON approval_requests (created_at);

-- Operation names are case-insensitive, as in SQLite (COLLATE NOCASE there).
CREATE TABLE route_approval_policies (
    operation        text        NOT NULL,
    policy           text        NOT NULL,
    threshold_usd    numeric,                          -- for 'above'
    money_moving     boolean     NOT NULL DEFAULT false,
    approved_models  text[]      NOT NULL DEFAULT '{}', -- catalog ids, for 'new-model'
    updated_at       timestamptz NOT NULL,
    updated_by       text        NOT NULL
);

CREATE UNIQUE INDEX ux_route_approval_policies_operation ON route_approval_policies (lower(operation));
