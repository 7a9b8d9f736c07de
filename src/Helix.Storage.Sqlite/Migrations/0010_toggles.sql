-- 0010: the toggles admins set (feature flags, kill switches). Locked safety toggles are defined in code and
-- configuration and never stored here: a row named like one that contradicts it stops the gateway's start-up.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

CREATE TABLE toggles (
    name        TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
    enabled     INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    scope       TEXT    NOT NULL CHECK (scope IN ('global', 'operation', 'provider', 'model')),
    subject     TEXT,             -- the operation, provider or model; NULL for a global toggle
    description TEXT,
    owner       TEXT,
    updated_at  TEXT    NOT NULL,
    updated_by  TEXT    NOT NULL, -- the principal's id
    CHECK ((scope = 'global') = (subject IS NULL))
);
