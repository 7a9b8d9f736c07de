-- 0012: the operation log's hash chain: each row holds the previous row's hash and its own (OperationLogChain).
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- NULL only in rows written before this migration: SQL cannot compute SHA-256, so the store chains them, in id
-- order, the first time it writes (at start-up, open-attempt recovery), before any new row links to them.
ALTER TABLE operation_log ADD COLUMN previous_hash TEXT;
ALTER TABLE operation_log ADD COLUMN hash TEXT;

-- Append-only: the store never deletes a row, and updates one only to chain a row written before 0012 (once:
-- its hash goes from NULL to a value). Re-pricing writes cost_adjustments, never operation_log. Someone with the
-- file can still drop these triggers; the chain is what shows that they did (GET /admin/api/logs/verify).
CREATE TRIGGER operation_log_no_update BEFORE UPDATE ON operation_log WHEN OLD.hash IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'operation_log is append-only');
END;

CREATE TRIGGER operation_log_no_delete BEFORE DELETE ON operation_log
BEGIN
    SELECT RAISE(ABORT, 'operation_log is append-only');
END;
