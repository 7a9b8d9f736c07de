-- 0012: the operation log's hash chain (each row holds the previous row's hash and its own, OperationLogChain),
-- and two columns the intelligence tier reads: the output cap the caller asked for and a hash of the prompt's prefix.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Adding nullable columns to the partitioned table rewrites nothing.
-- previous_hash and hash are NULL only in rows written before this migration: SQL does not compute the chain's
-- hash (OperationLogChain, in Helix.Core), so the first batch written after it chains them, in id order.
ALTER TABLE operation_log ADD COLUMN previous_hash text;
ALTER TABLE operation_log ADD COLUMN hash text;
ALTER TABLE operation_log ADD COLUMN requested_max_tokens integer;
ALTER TABLE operation_log ADD COLUMN prompt_prefix_hash text;

-- The chain's tip, one row. Every transaction that appends log rows (from any instance) locks it first
-- (SELECT … FOR UPDATE), numbers its rows last_id + 1, … with no gaps, links them from last_hash and moves the tip
-- in the same transaction: the chain is one line in id order however many instances write, and a rolled-back
-- batch leaves no hole. unchained: rows written before this migration still wait to be chained.
CREATE TABLE operation_log_chain (
    singleton boolean NOT NULL PRIMARY KEY DEFAULT true CHECK (singleton),
    last_id   bigint  NOT NULL,
    last_hash text    NOT NULL,
    unchained boolean NOT NULL
);

INSERT INTO operation_log_chain (singleton, last_id, last_hash, unchained)
VALUES (true, 0, '0000000000000000000000000000000000000000000000000000000000000000', EXISTS (SELECT 1 FROM operation_log));

-- Append-only: a row is never deleted, and updated only to chain a row written before 0012 (once: its hash goes
-- from NULL to a value). Re-pricing writes cost_adjustments. Retention drops whole month partitions (DROP TABLE,
-- not DELETE). Someone owning the database can still disable these triggers; the chain is what shows that they did
-- (GET /admin/api/logs/verify).
CREATE FUNCTION helix_operation_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL THEN
        RETURN NEW;
    END IF;

    RAISE EXCEPTION 'operation_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER operation_log_no_update BEFORE UPDATE ON operation_log
    FOR EACH ROW EXECUTE FUNCTION helix_operation_log_append_only();

CREATE TRIGGER operation_log_no_delete BEFORE DELETE ON operation_log
    FOR EACH ROW EXECUTE FUNCTION helix_operation_log_append_only();
