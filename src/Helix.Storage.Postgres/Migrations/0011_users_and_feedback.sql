-- 0011: the dashboard's accounts and feedback on calls.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Human accounts of the dashboard; the password is kept only as ASP.NET Core's password hash. Names are unique
-- case-insensitively, as in SQLite (COLLATE NOCASE there).
CREATE TABLE users (
    id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name            text        NOT NULL,
    role            text        NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash   text        NOT NULL,
    failed_sign_ins integer     NOT NULL DEFAULT 0,
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL
);

CREATE UNIQUE INDEX ux_users_name ON users (lower(name));

-- Feedback on calls (POST /v1/feedback), joined to the log by request id. Score as sent, quality from 0 to 1.
CREATE TABLE call_feedback (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_id text        NOT NULL,
    score      numeric     NOT NULL,
    quality    numeric     NOT NULL,
    comment    text,
    principal  text        NOT NULL,
    at         timestamptz NOT NULL
);

CREATE INDEX ix_call_feedback_at ON call_feedback (at);
CREATE INDEX ix_call_feedback_request_id ON call_feedback (request_id);

-- Feedback is stored only for a call the log holds: that check, and one call's attempts, look rows up by request id.
CREATE INDEX ix_operation_log_request_id ON operation_log (request_id);
