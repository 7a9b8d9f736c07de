-- 0015: what the output-cap and prompt-caching recommendations read from the log, and a recommendation's application
-- through the approval gate. Runs inside the migrator's transaction: no BEGIN/COMMIT here. Independent of 0016 and up.

-- Adding nullable columns rewrites nothing: existing rows read NULL (not recorded then).
ALTER TABLE operation_log ADD COLUMN requested_max_tokens INTEGER; -- the caller's max_tokens / max_completion_tokens
ALTER TABLE operation_log ADD COLUMN prompt_prefix_hash TEXT;      -- 16 lowercase hex digits (XxHash3 of the leading prompt)

-- A recommendation asked to be applied carries the approval that decides it; once applied, when and by whom. Its
-- status stays 'open' in the table (so the check of 0014 holds); an applied one is read as applied.
ALTER TABLE recommendations ADD COLUMN approval_id TEXT;
ALTER TABLE recommendations ADD COLUMN applied_at TEXT;
ALTER TABLE recommendations ADD COLUMN applied_by TEXT;
