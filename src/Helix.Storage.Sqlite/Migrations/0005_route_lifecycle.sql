-- 0005: operations created and retired by admins, and a route's output cap.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- The output cap of the operation's calls (sent upstream when a request sets none, used for the worst-case
-- estimate); NULL leaves the model's own maximum.
ALTER TABLE routes ADD COLUMN max_output_tokens INTEGER CHECK (max_output_tokens IS NULL OR max_output_tokens BETWEEN 1 AND 1000000);

-- A version with retired = 1 retires the operation: it is no longer served, its history stays, and creating it
-- again adds the next version.
ALTER TABLE routes ADD COLUMN retired INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1));
