-- 0008: the change history: every admin change, append-only, each entry holding the hash of the one before.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE change_history (
    id            INTEGER NOT NULL PRIMARY KEY, -- 1, 2, 3… without gaps; the chain's order
    at            TEXT    NOT NULL,             -- ChangeChain.FormatTime: UTC, microseconds
    actor_id      TEXT    NOT NULL,
    actor_name    TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    target        TEXT    NOT NULL,
    before_json   TEXT,
    after_json    TEXT,
    previous_hash TEXT    NOT NULL,
    hash          TEXT    NOT NULL
);

CREATE INDEX ix_change_history_target ON change_history (target, id);

-- Append-only: the store never updates nor deletes. Someone with the file can still drop these triggers; the hash
-- chain is what shows that they did (GET /admin/api/audit/verify).
CREATE TRIGGER change_history_no_update BEFORE UPDATE ON change_history
BEGIN
    SELECT RAISE(ABORT, 'change_history is append-only');
END;

CREATE TRIGGER change_history_no_delete BEFORE DELETE ON change_history
BEGIN
    SELECT RAISE(ABORT, 'change_history is append-only');
END;
