-- 0002: the operation log, partitioned by month; its hourly rollups, maintained as rows arrive; re-pricings; and the
-- journal of open attempts, each owned by a gateway instance that holds a lease.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- Append-only: one row per attempt, never updated in place (a re-pricing is a cost_adjustments row). Partitioned by
-- the attempt's start (ts) into one table per UTC month, created on demand by helix_ensure_log_partition; dropping
-- an old month is how retention works (helix_drop_log_partitions_before), without a DELETE.
CREATE SEQUENCE operation_log_id_seq AS bigint;

CREATE TABLE operation_log (
    id                        bigint      NOT NULL DEFAULT nextval('operation_log_id_seq'),
    request_id                text        NOT NULL,
    ts                        timestamptz NOT NULL,
    operation                 text        NOT NULL,
    principal                 text        NOT NULL,
    end_user                  text,
    provider                  text        NOT NULL,
    model                     text        NOT NULL,
    reported_model            text,
    attempt                   integer     NOT NULL,
    status                    text        NOT NULL CHECK (status IN ('success', 'failed', 'cancelled', 'interrupted')),
    error_code                text,
    http_status               integer,
    latency_ms                double precision NOT NULL,
    streamed                  boolean     NOT NULL,
    usage_known               boolean     NOT NULL,
    input_tokens              bigint      NOT NULL,
    cache_read_tokens         bigint      NOT NULL,
    cache_write_5m_tokens     bigint      NOT NULL,
    cache_write_1h_tokens     bigint      NOT NULL,
    input_audio_tokens        bigint      NOT NULL,
    cache_read_audio_tokens   bigint      NOT NULL,
    input_image_tokens        bigint      NOT NULL,
    input_video_tokens        bigint      NOT NULL,
    tool_prompt_tokens        bigint      NOT NULL,
    output_tokens             bigint      NOT NULL,
    reasoning_tokens          bigint      NOT NULL,
    output_audio_tokens       bigint      NOT NULL,
    audio_seconds             numeric     NOT NULL,
    characters                bigint      NOT NULL,
    requests                  bigint      NOT NULL,
    web_search_requests       bigint      NOT NULL,
    cache_storage_token_hours numeric     NOT NULL,
    cost_usd                  numeric,
    cost_status               text        NOT NULL CHECK (cost_status IN ('priced', 'estimated', 'unpriced', 'not_billed')),
    cost_reason               text,
    estimated_cost_usd        numeric,
    price_source              text,
    price_source_date         date,
    service_tier              text,
    provider_request_id       text,
    PRIMARY KEY (id, ts)
) PARTITION BY RANGE (ts);

ALTER SEQUENCE operation_log_id_seq OWNED BY operation_log.id;

CREATE INDEX ix_operation_log_id ON operation_log (id);
CREATE INDEX ix_operation_log_ts_id ON operation_log (ts, id);
CREATE INDEX ix_operation_log_operation_id ON operation_log (operation, id);
CREATE INDEX ix_operation_log_end_user_id ON operation_log (end_user, id);

-- Creates the partition of the UTC month holding p_at, if missing; safe to call from several instances at once.
CREATE FUNCTION helix_ensure_log_partition(p_at timestamptz) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    month_start timestamptz := date_trunc('month', p_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC';
    name        text        := 'operation_log_' || to_char(p_at AT TIME ZONE 'UTC', 'YYYYMM');
BEGIN
    IF to_regclass(name) IS NULL THEN
        -- Two instances creating the same month serialise here; the second finds it made.
        PERFORM pg_advisory_xact_lock(hashtext('helix_ensure_log_partition'));
        IF to_regclass(name) IS NULL THEN
            EXECUTE format('CREATE TABLE %I PARTITION OF operation_log FOR VALUES FROM (%L) TO (%L)',
                name, month_start, month_start + interval '1 month');
        END IF;
    END IF;

    RETURN name;
END;
$$;

-- Retention: drops every monthly partition that ends at or before p_before; the rollups stay. Returns how many.
CREATE FUNCTION helix_drop_log_partitions_before(p_before timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    part    record;
    dropped integer := 0;
BEGIN
    FOR part IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = 'operation_log' AND c.relname ~ '^operation_log_[0-9]{6}$'
    LOOP
        IF (to_date(right(part.relname, 6), 'YYYYMM')::timestamp AT TIME ZONE 'UTC') + interval '1 month' <= p_before THEN
            EXECUTE format('DROP TABLE %I', part.relname);
            dropped := dropped + 1;
        END IF;
    END LOOP;

    RETURN dropped;
END;
$$;

-- Hourly rollups of the log, one set per dimension: the whole log ('global', subject '*'), and per operation, model,
-- user (a row without a user under subject ''), key (the principal) and provider. What spend summaries, budget
-- seeding and charts read, so they never scan raw rows; one table per dimension's grouping rather than one row per
-- combination of all five, which would hold about as many rows as the log once users are many. cost_nanos is the sum
-- of round(cost_usd * 10^9), exact for any cost below a million dollars with at most nine decimals.
CREATE TABLE operation_log_hourly (
    hour       timestamptz NOT NULL,
    dimension  text        NOT NULL CHECK (dimension IN ('global', 'operation', 'model', 'user', 'key', 'provider')),
    subject    text        NOT NULL,
    calls      bigint      NOT NULL, -- attempts numbered 1: one per call
    attempts   bigint      NOT NULL,
    cost_nanos bigint      NOT NULL,
    PRIMARY KEY (dimension, hour, subject)
);

CREATE FUNCTION helix_rollup_log_rows() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Ordered by key, so that concurrent batches lock shared rollup rows in one order and never deadlock.
    INSERT INTO operation_log_hourly AS h (hour, dimension, subject, calls, attempts, cost_nanos)
    SELECT r.hour, d.dimension, d.subject, count(*) FILTER (WHERE r.attempt = 1), count(*), coalesce(sum(r.nanos), 0)::bigint
    FROM (SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, attempt, round(cost_usd * 1000000000) AS nanos,
                 operation, model, coalesce(end_user, '') AS end_user, principal, provider
          FROM new_rows) r
    CROSS JOIN LATERAL (VALUES ('global', '*'), ('operation', r.operation), ('model', r.model), ('user', r.end_user),
                               ('key', r.principal), ('provider', r.provider)) AS d(dimension, subject)
    GROUP BY d.dimension, r.hour, d.subject
    ORDER BY d.dimension, r.hour, d.subject
    ON CONFLICT (dimension, hour, subject) DO UPDATE SET
        calls = h.calls + excluded.calls,
        attempts = h.attempts + excluded.attempts,
        cost_nanos = h.cost_nanos + excluded.cost_nanos;
    RETURN NULL;
END;
$$;

CREATE TRIGGER operation_log_rollup AFTER INSERT ON operation_log
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION helix_rollup_log_rows();

-- Append-only: a new cost for a past log row; the latest row of a log id (highest id) is the one in force. A foreign
-- key cannot reference a partitioned table by id alone, so a trigger checks that the row exists.
CREATE TABLE cost_adjustments (
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    log_id            bigint      NOT NULL,
    cost_usd          numeric,
    cost_status       text        NOT NULL CHECK (cost_status IN ('priced', 'estimated', 'unpriced', 'not_billed')),
    price_source      text,
    price_source_date date,
    reason            text        NOT NULL,
    adjusted_at       timestamptz NOT NULL,
    adjusted_by       text        NOT NULL
);

CREATE INDEX ix_cost_adjustments_log_id_id ON cost_adjustments (log_id, id);

CREATE FUNCTION helix_check_cost_adjustment() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM operation_log WHERE id = NEW.log_id) THEN
        RAISE EXCEPTION 'cost_adjustments.log_id % names no operation_log row', NEW.log_id
            USING ERRCODE = 'foreign_key_violation';
    END IF;

    RETURN NEW;
END;
$$;

CREATE TRIGGER cost_adjustments_log_row BEFORE INSERT ON cost_adjustments
    FOR EACH ROW EXECUTE FUNCTION helix_check_cost_adjustment();

-- The gateway instances sharing this database: each renews its lease while it runs. An instance whose lease has
-- run out is dead, and the others recover the attempts it left open.
CREATE TABLE helix_instances (
    id          text        NOT NULL PRIMARY KEY,
    started_at  timestamptz NOT NULL,
    lease_until timestamptz NOT NULL
);

-- An attempt is written here, and committed, before its provider is called; the transaction that inserts the
-- attempt's operation_log row deletes it. owner is the instance that made the call: only that instance (on restart)
-- or a survivor once the owner's lease has run out turns it into an 'interrupted' log row, never a live peer.
CREATE TABLE open_attempts (
    request_id         text        NOT NULL,
    attempt            integer     NOT NULL,
    ts                 timestamptz NOT NULL,
    operation          text        NOT NULL,
    principal          text        NOT NULL,
    end_user           text,
    provider           text        NOT NULL,
    model              text        NOT NULL,
    streamed           boolean     NOT NULL,
    estimated_cost_usd numeric,
    owner              text        NOT NULL,
    PRIMARY KEY (request_id, attempt)
);

CREATE INDEX ix_open_attempts_owner ON open_attempts (owner);
