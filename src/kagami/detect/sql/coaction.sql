-- The co-action pipeline of one layer, over the staged events _co_ev (account, target, t_us, item,
-- target_us). Sections are introduced by "-- name: <step>"; parameters are named. Only joins, window
-- functions, aggregates and list functions that Spark SQL also has (QUALIFY -> a filtered subquery,
-- lambda -> transform/aggregate, arg_min -> min_by).

-- name: window
-- CooRnet's data-driven window: the $q quantile of the delay between a target's creation (or, when the
-- store does not know it, the target's first share in the layer) and each share.
WITH d AS (
    SELECT t_us - coalesce(target_us, min(t_us) OVER (PARTITION BY target)) AS delay_us,
           target_us IS NULL AND t_us = min(t_us) OVER (PARTITION BY target) AS is_first
    FROM _co_ev
)
SELECT quantile_cont(delay_us / 1e6, $q) FROM d WHERE delay_us >= 0 AND NOT is_first

-- name: capped
-- (target, bucket) cells with more events than $cap: not paired (see coaction.py).
SELECT count(DISTINCT target), count(*), coalesce(sum(n), 0)
FROM (SELECT target, CAST(floor(t_us / $width) AS BIGINT) AS bucket, count(*) AS n
      FROM _co_ev GROUP BY ALL HAVING count(*) > $cap)

-- name: bucketed
CREATE OR REPLACE TEMP TABLE _co_b AS
SELECT account, target, t_us, item, CAST(floor(t_us / $width) AS BIGINT) AS bucket
FROM _co_ev
QUALIFY count(*) OVER (PARTITION BY target, CAST(floor(t_us / $width) AS BIGINT)) <= $cap

-- name: pairs
-- Band join: an event meets the events of its own bucket and of the next one, which holds every pair
-- within the window because the bucket is at least as wide as the window. Each unordered pair of events
-- is kept once; an account never pairs with itself. Per (a, b, target) the closest pair of events is kept.
CREATE OR REPLACE TEMP TABLE _co_pt AS
WITH e2 AS (
    SELECT account, target, t_us, item, bucket, bucket AS k FROM _co_b
    UNION ALL
    SELECT account, target, t_us, item, bucket, bucket - 1 AS k FROM _co_b
), m AS (
    SELECT CASE WHEN e1.account < e2.account THEN e1.account ELSE e2.account END AS a,
           CASE WHEN e1.account < e2.account THEN e2.account ELSE e1.account END AS b,
           e1.target,
           CASE WHEN e1.account < e2.account THEN e1.item ELSE e2.item END AS a_item,
           CASE WHEN e1.account < e2.account THEN e2.item ELSE e1.item END AS b_item,
           CASE WHEN e1.account < e2.account THEN e1.t_us ELSE e2.t_us END AS a_us,
           CASE WHEN e1.account < e2.account THEN e2.t_us ELSE e1.t_us END AS b_us,
           abs(e1.t_us - e2.t_us) AS gap_us
    FROM _co_b e1 JOIN e2 ON e2.target = e1.target AND e2.k = e1.bucket
    WHERE e1.account <> e2.account AND abs(e1.t_us - e2.t_us) <= $w_us
      AND (e2.bucket > e1.bucket OR e1.account < e2.account)
)
SELECT *, count(*) OVER (PARTITION BY a, b, target) AS n_ev
FROM m
QUALIFY row_number() OVER (PARTITION BY a, b, target ORDER BY gap_us, a_item, b_item) = 1

-- name: edges
CREATE OR REPLACE TEMP TABLE _co_e AS
SELECT a, b, count(*) AS n_targets, sum(n_ev) AS n_events,
       min(gap_us) / 1e6 AS min_gap_s, quantile_cont(gap_us, 0.5) / 1e6 AS median_gap_s,
       list_slice(list(struct_pack(target := target, a_item := a_item, b_item := b_item,
                                   a_time := CAST(make_timestamp(a_us) AS TIMESTAMPTZ),
                                   b_time := CAST(make_timestamp(b_us) AS TIMESTAMPTZ),
                                   gap_s := gap_us / 1e6)
                       ORDER BY gap_us, target), 1, $evidence) AS evidence
FROM _co_pt
GROUP BY a, b
HAVING count(*) >= $min_rep

-- name: null
-- Per account: d = its events in the layer, mm = for each of its events, the events of OTHER accounts on
-- the same target within the window, summed. See the significance model in coaction.py.
CREATE OR REPLACE TEMP TABLE _co_acct AS
WITH w AS (
    SELECT account,
           count(*) OVER (PARTITION BY target ORDER BY t_us
                          RANGE BETWEEN $w_us PRECEDING AND $w_us FOLLOWING)
         - count(*) OVER (PARTITION BY target, account ORDER BY t_us
                          RANGE BETWEEN $w_us PRECEDING AND $w_us FOLLOWING) AS m
    FROM _co_ev
)
SELECT account, count(*) AS d, sum(m) AS mm FROM w GROUP BY account

-- name: score
-- lam: the expected number of shared targets under the null; log_p: log P(Poisson(lam) >= n_targets),
-- summed from the tail when n > lam (no cancellation) and as 1 - the head otherwise (then p > 0.4);
-- q: Benjamini-Hochberg over a family of $family pairs, in log space.
INSERT INTO coaction_edges
WITH x AS (
    SELECT e.*, greatest(ua.d * ub.mm, ub.d * ua.mm) / $incidences AS lam
    FROM _co_e e JOIN _co_acct ua ON ua.account = e.a JOIN _co_acct ub ON ub.account = e.b
), lp AS (
    SELECT *,
        CASE WHEN n_targets > lam THEN
            -lam + n_targets * ln(lam) - lgamma(n_targets + 1)
            + ln(list_sum(list_transform(
                range(0, CAST(40 + ceil(12 * sqrt(lam)) AS BIGINT)),
                lambda j: exp(j * ln(lam) - lgamma(n_targets + j + 1) + lgamma(n_targets + 1)))))
        ELSE ln(greatest(1e-300, 1 - list_sum(list_transform(
                range(CAST(greatest(0, floor(lam - 12 * sqrt(lam) - 40)) AS BIGINT), n_targets),
                lambda k: exp(-lam + k * ln(lam) - lgamma(k + 1))))))
        END AS log_p
    FROM x
), bh AS (
    SELECT *, log_p + ln($family) - ln(row_number() OVER (ORDER BY log_p, a, b)) AS log_q_raw FROM lp
), q AS (
    SELECT *, min(log_q_raw) OVER (ORDER BY log_p DESC, a DESC, b DESC
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS log_q
    FROM bh
)
SELECT $layer, a, b, n_targets, n_events, min_gap_s, median_gap_s, lam,
       exp(least(0.0, log_p)), least(1.0, exp(least(0.0, log_q))), greatest(0.0, -log_p / ln(10)), evidence
FROM q
