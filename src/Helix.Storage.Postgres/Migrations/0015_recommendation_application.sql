-- 0015: a recommendation's application through the approval gate. Plain SQL a Supabase project can apply as it is.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here. The twin of the recommendation half of SQLite's 0015
-- (its two operation_log columns are already in 0012).

-- A recommendation asked to be applied carries the approval that decides it; once applied, when and by whom. Its
-- status stays 'open' in the table (so the check of 0013 holds); an applied one is read as applied.
ALTER TABLE recommendations ADD COLUMN approval_id text;
ALTER TABLE recommendations ADD COLUMN applied_at  timestamptz;
ALTER TABLE recommendations ADD COLUMN applied_by  text;

CREATE INDEX recommendations_approval ON recommendations (approval_id) WHERE approval_id IS NOT NULL;
