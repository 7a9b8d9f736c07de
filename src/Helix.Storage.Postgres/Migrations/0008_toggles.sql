-- 0008: the toggles admins set (feature flags, kill switches). Locked safety toggles are defined in code and
-- configuration and never stored here: a row named like one that contradicts it stops every gateway's start-up.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE toggles (
    name        text        NOT NULL,
    enabled     boolean     NOT NULL,
    scope       text        NOT NULL CHECK (scope IN ('global', 'operation', 'provider', 'model')),
    subject     text,                 -- the operation, provider or model; NULL for a global toggle
    description text,
    owner       text,
    updated_at  timestamptz NOT NULL,
    updated_by  text        NOT NULL, -- the principal's id
    CHECK ((scope = 'global') = (subject IS NULL))
);

-- Names are case-insensitive, as in SQLite (COLLATE NOCASE there).
CREATE UNIQUE INDEX ux_toggles_name ON toggles (lower(name));
