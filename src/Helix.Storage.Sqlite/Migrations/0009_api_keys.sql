-- 0009: API keys: hashed (SHA-256 of the key), never the key itself; revoked, never deleted.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE api_keys (
    id                  TEXT    NOT NULL PRIMARY KEY,  -- key_<16 hex>: the log's principal, the key budget scope's subject
    name                TEXT    NOT NULL,
    role                TEXT    NOT NULL CHECK (role IN ('app', 'agent', 'viewer', 'operator', 'admin')),
    operations_json     TEXT,                          -- JSON array of operation names; NULL: every operation
    requests_per_minute INTEGER CHECK (requests_per_minute IS NULL OR requests_per_minute > 0),
    key_hash            BLOB    NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at          TEXT    NOT NULL,
    created_by          TEXT    NOT NULL,
    last_used_at        TEXT,
    revoked_at          TEXT
);
