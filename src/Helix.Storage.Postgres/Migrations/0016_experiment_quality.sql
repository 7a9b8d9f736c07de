-- 0016: an experiment's quality guardrail (the most a candidate's mean feedback score, on the -1..1 scale, may fall
-- below the control's). Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no
-- BEGIN/COMMIT here. Existing experiments read the default. The twin of SQLite's 0016.
ALTER TABLE experiments ADD COLUMN max_quality_decrease numeric NOT NULL DEFAULT 0.1;
