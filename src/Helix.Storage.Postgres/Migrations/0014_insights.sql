-- 0014: what the dashboard's reads need: hourly rollups per operation and model (with failures) and of successful
-- attempts' latency per model, kept as rows arrive like those of 0002; and the log's lookups by call and by model.
-- Plain SQL a Supabase project can apply as it is. Runs inside the migrator's transaction: no BEGIN/COMMIT here.
-- The twin of the rollups and indexes of SQLite's 0013.

-- One call's attempts (the call detail, feedback's join) and the log filtered by model, newest first. On the
-- partitioned table each index is made on every partition, present and future. IF NOT EXISTS: the feedback
-- migration may have made the first already.
CREATE INDEX IF NOT EXISTS ix_operation_log_request_id ON operation_log (request_id);
CREATE INDEX IF NOT EXISTS ix_operation_log_model_id ON operation_log (model, id);

-- The latency bucket of Helix.Core.Insights.LatencyHistogram: the first whose (inclusive) upper bound holds the
-- latency, the open bucket 31 past 120 s. A test holds the two together.
CREATE FUNCTION helix_latency_bucket(p_latency_ms double precision) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT count(*)::integer
    FROM unnest('{1, 1.5, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 150, 200, 300, 500, 700, 1000, 1500, 2000, 3000,
                  5000, 7000, 10000, 15000, 20000, 30000, 50000, 70000, 120000}'::double precision[]) AS b(upper_ms)
    WHERE p_latency_ms > b.upper_ms
$$;

-- Traffic per hour, operation and model: the dashboard's usage, cost and error charts. cost_nanos as in 0002. Names
-- compare bytewise (COLLATE "C"), as in SQLite, so that a read in key order is the primary key's order whatever the
-- database's locale.
CREATE TABLE operation_model_hourly (
    hour       timestamptz NOT NULL,
    operation  text        COLLATE "C" NOT NULL,
    model      text        COLLATE "C" NOT NULL,
    calls      bigint      NOT NULL, -- attempts numbered 1: one per call
    attempts   bigint      NOT NULL,
    failures   bigint      NOT NULL, -- attempts failed or interrupted
    cost_nanos bigint      NOT NULL,
    PRIMARY KEY (hour, operation, model)
);

-- Successful attempts per hour, model and latency bucket: the latency percentiles.
CREATE TABLE latency_hourly (
    hour   timestamptz NOT NULL,
    model  text        COLLATE "C" NOT NULL,
    bucket integer     NOT NULL CHECK (bucket BETWEEN 0 AND 31),
    count  bigint      NOT NULL,
    PRIMARY KEY (hour, model, bucket)
);

INSERT INTO operation_model_hourly (hour, operation, model, calls, attempts, failures, cost_nanos)
SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', operation, model, count(*) FILTER (WHERE attempt = 1),
       count(*), count(*) FILTER (WHERE status IN ('failed', 'interrupted')), coalesce(sum(round(cost_usd * 1000000000)), 0)::bigint
FROM operation_log GROUP BY 1, 2, 3;

INSERT INTO latency_hourly (hour, model, bucket, count)
SELECT date_trunc('hour', ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', model, helix_latency_bucket(latency_ms), count(*)
FROM operation_log WHERE status = 'success' GROUP BY 1, 2, 3;

CREATE FUNCTION helix_rollup_insights() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- Ordered by key, so that concurrent batches lock shared rollup rows in one order and never deadlock.
    INSERT INTO operation_model_hourly AS h (hour, operation, model, calls, attempts, failures, cost_nanos)
    SELECT date_trunc('hour', r.ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, r.operation, r.model,
           count(*) FILTER (WHERE r.attempt = 1), count(*), count(*) FILTER (WHERE r.status IN ('failed', 'interrupted')),
           coalesce(sum(round(r.cost_usd * 1000000000)), 0)::bigint
    FROM new_rows r
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (hour, operation, model) DO UPDATE SET
        calls = h.calls + excluded.calls,
        attempts = h.attempts + excluded.attempts,
        failures = h.failures + excluded.failures,
        cost_nanos = h.cost_nanos + excluded.cost_nanos;

    INSERT INTO latency_hourly AS h (hour, model, bucket, count)
    SELECT date_trunc('hour', r.ts AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour, r.model, helix_latency_bucket(r.latency_ms), count(*)
    FROM new_rows r
    WHERE r.status = 'success'
    GROUP BY 1, 2, 3
    ORDER BY 1, 2, 3
    ON CONFLICT (hour, model, bucket) DO UPDATE SET count = h.count + excluded.count;
    RETURN NULL;
END;
$$;

CREATE TRIGGER operation_log_rollup_insights AFTER INSERT ON operation_log
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION helix_rollup_insights();
