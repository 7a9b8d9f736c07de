-- 0007: shares of hard budgets granted to gateway instances, so that budgets are exact across instances.
-- Runs inside the migrator's transaction: no BEGIN/COMMIT here.

-- One row per budget and period (window_start): what was spent before any share was granted (baseline_nanos, the
-- log's spend when the row was made) and the sum of every share granted since (granted_nanos). Invariant, kept by
-- helix_grant_budget_share under the row's lock: baseline + granted never passes the limit a grant was asked with.
CREATE TABLE budget_windows (
    budget_id      bigint      NOT NULL,
    window_start   timestamptz NOT NULL,
    baseline_nanos bigint      NOT NULL,
    granted_nanos  bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (budget_id, window_start)
);

-- Who holds what: one row per instance and budget period (for operators; shares are spent in memory).
CREATE TABLE budget_shares (
    budget_id     bigint      NOT NULL,
    window_start  timestamptz NOT NULL,
    instance_id   text        NOT NULL,
    granted_nanos bigint      NOT NULL,
    PRIMARY KEY (budget_id, window_start, instance_id)
);

-- Grants an instance at least p_need nano-dollars of a budget's period, plus whole p_unit steps of what remains
-- divided by p_divisor (the slice): far from the limit a grant covers many calls, near it exactly the one asking.
-- Returns the amount granted, or 0 when p_need does not fit (the call is refused).
CREATE FUNCTION helix_grant_budget_share(
    p_budget bigint, p_window timestamptz, p_instance text, p_limit bigint, p_baseline bigint,
    p_need bigint, p_unit bigint, p_divisor integer) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    w         budget_windows%ROWTYPE;
    remaining bigint;
    extra     bigint;
    grant_    bigint;
BEGIN
    INSERT INTO budget_windows (budget_id, window_start, baseline_nanos) VALUES (p_budget, p_window, p_baseline)
    ON CONFLICT DO NOTHING;
    SELECT * INTO w FROM budget_windows WHERE budget_id = p_budget AND window_start = p_window FOR UPDATE;
    remaining := p_limit - w.baseline_nanos - w.granted_nanos;
    IF remaining < p_need THEN
        RETURN 0;
    END IF;

    extra := 0;
    IF p_unit > 0 AND p_divisor > 0 THEN
        extra := ((remaining - p_need) / p_divisor / p_unit) * p_unit;
    END IF;

    grant_ := p_need + extra;
    UPDATE budget_windows SET granted_nanos = granted_nanos + grant_ WHERE budget_id = p_budget AND window_start = p_window;
    INSERT INTO budget_shares AS s (budget_id, window_start, instance_id, granted_nanos) VALUES (p_budget, p_window, p_instance, grant_)
    ON CONFLICT (budget_id, window_start, instance_id) DO UPDATE SET granted_nanos = s.granted_nanos + excluded.granted_nanos;
    RETURN grant_;
END;
$$;
