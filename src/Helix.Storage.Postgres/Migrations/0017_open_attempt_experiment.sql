-- 0017: an open attempt carries the A/B experiment and arm it runs under, so the row recovery writes for an
-- interrupted attempt says which arm it belonged to, like every other row. Plain SQL a Supabase project can apply as
-- it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here. Attempts opened before it read NULL. The twin
-- of SQLite's 0017.
ALTER TABLE open_attempts ADD COLUMN experiment_id text;
ALTER TABLE open_attempts ADD COLUMN experiment_arm text;
