-- 0009: API keys: hashed (SHA-256 of the key), never the key itself; revoked, never deleted.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.
-- A key created or revoked through one instance notifies helix_changes ('keys'): the others reload their keys at once.

CREATE TABLE api_keys (
    id                  text        NOT NULL PRIMARY KEY, -- key_<16 hex>: the log's principal, the key budget scope's subject
    name                text        NOT NULL,
    role                text        NOT NULL CHECK (role IN ('app', 'agent', 'viewer', 'operator', 'admin')),
    operations          text[],                           -- operation names; NULL: every operation
    requests_per_minute integer     CHECK (requests_per_minute IS NULL OR requests_per_minute > 0),
    key_hash            bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at          timestamptz NOT NULL,
    created_by          text        NOT NULL,
    last_used_at        timestamptz,
    revoked_at          timestamptz
);
