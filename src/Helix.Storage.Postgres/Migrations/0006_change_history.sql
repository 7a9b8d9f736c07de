-- 0006: the change history: every admin change, append-only, each entry holding the hash of the one before.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE change_history (
    id            bigint NOT NULL PRIMARY KEY, -- 1, 2, 3… without gaps; the chain's order
    at            text   NOT NULL,             -- ChangeChain.FormatTime: UTC, microseconds; hashed as written
    actor_id      text   NOT NULL,
    actor_name    text   NOT NULL,
    action        text   NOT NULL,
    target        text   NOT NULL,
    before_json   text,
    after_json    text,
    previous_hash text   NOT NULL,
    hash          text   NOT NULL
);

CREATE INDEX ix_change_history_target ON change_history (target, id);

-- Append-only: the store never updates nor deletes. An owner of the database can still drop this trigger; the hash
-- chain is what shows that they did (GET /admin/api/audit/verify).
CREATE FUNCTION helix_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER change_history_append_only BEFORE UPDATE OR DELETE ON change_history
    FOR EACH ROW EXECUTE FUNCTION helix_append_only();
