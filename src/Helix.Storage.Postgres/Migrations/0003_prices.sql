-- 0003: admin price overrides, append-only. Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Each change of a model's override is a new version holding every period of its prices as a price-book JSON
-- document; the highest version of a model is in force, and one with no entries removes it.
CREATE TABLE price_overrides (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    model_key  text        NOT NULL, -- provider/model, lower-case
    version    integer     NOT NULL CHECK (version >= 1),
    json       text        NOT NULL,
    changed_by text        NOT NULL,
    changed_at timestamptz NOT NULL,
    CONSTRAINT ux_price_overrides_model_version UNIQUE (model_key, version)
);
