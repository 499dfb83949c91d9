-- The co-action pipeline of one layer, over the staged events _co_ev (account, target, t_us, item,
-- target_us). Sections are introduced by "-- name: <step>"; parameters are named. Only joins, window
-- functions, aggregates and list functions that Spark SQL also has (QUALIFY -> a filtered subquery,
-- lambda -> transform/aggregate, arg_min -> min_by, struct_pack -> named_struct).
-- Accounts, targets and events get dense integer ids in the order of their strings (so a < b on ids is
-- a < b on names, and ties break as they would on the strings); pairs are found and counted on integers,
-- and the strings come back only for the edges' evidence.

-- name: window
-- CooRnet's data-driven window: the $q quantile of the delay between a target's creation (or, when the
-- store does not know it, the target's first share in the layer) and each share.
WITH d AS (
    SELECT t_us - coalesce(target_us, min(t_us) OVER (PARTITION BY target)) AS delay_us,
           target_us IS NULL AND t_us = min(t_us) OVER (PARTITION BY target) AS is_first
    FROM _co_ev
)
SELECT quantile_cont(delay_us / 1e6, $q) FROM d WHERE delay_us >= 0 AND NOT is_first

-- name: ids
-- _co_ea: every event with integer ids, aid (account) and tid (target), its time bucket, floor(t / $width),
-- and near: another event on the same target lies within the window ($w_us), found as the nearest one
-- before or after it (partitioned by the target's hash: a collision only marks more events near).
-- _co_ei: the near events only, each with an eid (event, in the order of its item, for the evidence).
-- Only near events can pair, so only they go on to the band join, the window counts of the null model and
-- the evidence; every event counts in the cells (the viral cap), the null model's d and the family size.
-- On 10M likes (352,528 near) the like layer took 6.4 s instead of 11.8 s, with the same edges and
-- evidence. Accounts and targets are numbered over their distinct values (sorting those, not every event).
CREATE OR REPLACE TEMP TABLE _co_ea AS
WITH acc AS (
    SELECT account, CAST(row_number() OVER (ORDER BY account) AS INTEGER) AS aid
    FROM (SELECT DISTINCT account FROM _co_ev WHERE account IS NOT NULL)
), tgt AS (
    SELECT target, CAST(row_number() OVER (ORDER BY target) AS INTEGER) AS tid
    FROM (SELECT DISTINCT target FROM _co_ev WHERE target IS NOT NULL)
)
SELECT acc.aid, tgt.tid, e.t_us, CAST(floor(e.t_us / $width) AS BIGINT) AS bucket, e.account, e.target, e.item,
       coalesce(e.t_us - lag(e.t_us) OVER s <= $w_us OR lead(e.t_us) OVER s - e.t_us <= $w_us, false) AS near
FROM _co_ev e LEFT JOIN acc ON acc.account = e.account LEFT JOIN tgt ON tgt.target = e.target
WINDOW s AS (PARTITION BY hash(e.target) ORDER BY e.t_us);

CREATE OR REPLACE TEMP TABLE _co_ei AS
SELECT aid, tid, CAST(row_number() OVER (ORDER BY item, account, target, t_us) AS INTEGER) AS eid, t_us, bucket,
       account, target, item
FROM _co_ea WHERE near

-- name: cells
-- Events per (target, bucket) cell.
CREATE OR REPLACE TEMP TABLE _co_cell AS
SELECT tid, bucket, count(*) AS n FROM _co_ea GROUP BY tid, bucket

-- name: capped
-- (target, bucket) cells with more events than $cap: not paired (see coaction.py).
SELECT count(DISTINCT tid), count(*), coalesce(sum(n), 0) FROM _co_cell WHERE n > $cap

-- name: bucketed
-- The near events of cells within the cap (cells count every event).
CREATE OR REPLACE TEMP TABLE _co_b AS
SELECT e.aid, e.tid, e.t_us, e.eid, e.bucket
FROM _co_ei e JOIN _co_cell c ON c.tid = e.tid AND c.bucket = e.bucket
WHERE c.n <= $cap

-- name: prune
-- Accounts with near events on fewer than $min_rep targets can be in no edge: their events leave the band
-- join (the null model still counts them, from _co_ea; the evidence reads only kept edges' accounts).
DELETE FROM _co_b WHERE aid IN (SELECT aid FROM _co_b GROUP BY aid HAVING count(DISTINCT tid) < $min_rep)

-- name: pairs
-- Band join: an event meets the events of its own bucket and of the next one, which holds every pair
-- within the window because the bucket is at least as wide as the window. Each unordered pair of events
-- is met once; an account never pairs with itself. Per (a, b, target) with a < b: how many event pairs,
-- and the smallest gap.
CREATE OR REPLACE TEMP TABLE _co_pt AS
WITH e2 AS (
    SELECT aid, tid, t_us, bucket, bucket AS k FROM _co_b
    UNION ALL
    SELECT aid, tid, t_us, bucket, bucket - 1 AS k FROM _co_b
)
SELECT least(e1.aid, e2.aid) AS a, greatest(e1.aid, e2.aid) AS b, e1.tid, count(*) AS n_ev,
       min(abs(e1.t_us - e2.t_us)) AS gap_us
FROM _co_b e1 JOIN e2 ON e2.tid = e1.tid AND e2.k = e1.bucket
WHERE e1.aid <> e2.aid AND abs(e1.t_us - e2.t_us) <= $w_us
  AND (e2.bucket > e1.bucket OR e1.aid < e2.aid)
GROUP BY 1, 2, 3

-- name: init
CREATE OR REPLACE TEMP TABLE _co_e (a INTEGER, b INTEGER, n_targets BIGINT, n_events BIGINT, min_gap_s DOUBLE,
                                    median_gap_s DOUBLE);
CREATE OR REPLACE TEMP TABLE _co_top (a INTEGER, b INTEGER, tid INTEGER, gap_us BIGINT, r INTEGER)

-- name: rank
-- One slice of the pairs (a % $parts = $part), so that memory stays bounded: the pair-targets of pairs
-- with at least $min_rep shared targets (the edges-to-be), each ranked within its pair by (gap, target)
-- and with its pair's count; ranked once here, read by stats and top.
CREATE OR REPLACE TEMP TABLE _co_r AS
SELECT * FROM (
    SELECT a, b, tid, n_ev, gap_us,
           row_number() OVER (PARTITION BY a, b ORDER BY gap_us, tid) AS r,
           count(*) OVER (PARTITION BY a, b) AS n
    FROM _co_pt WHERE a % $parts = $part
) WHERE n >= $min_rep

-- name: stats
-- Per edge of the slice: its counts, smallest and median gap (the mean of the middle one or two
-- per-target gaps, as quantile_cont computes it) go to _co_e.
INSERT INTO _co_e
SELECT a, b, count(*) AS n_targets, sum(n_ev) AS n_events, min(gap_us) / 1e6 AS min_gap_s,
       avg(gap_us) FILTER (WHERE r BETWEEN floor((n - 1) / 2) + 1 AND floor(n / 2) + 1) / 1e6 AS median_gap_s
FROM _co_r GROUP BY a, b

-- name: top
-- The slice's targets ranked up to $keep per edge go to _co_top for the evidence.
INSERT INTO _co_top
SELECT a, b, tid, gap_us, r FROM _co_r WHERE r <= $keep

-- name: null
-- Per account: d = its events in the layer, mm = for each of its events, the events of OTHER accounts on
-- the same target within the window, summed. See the significance model in coaction.py. An event that is
-- not near adds 0, so the window counts run only over near events: every event counted around a near
-- event is itself near.
CREATE OR REPLACE TEMP TABLE _co_acct AS
WITH w AS (
    SELECT aid,
           count(*) OVER (PARTITION BY tid ORDER BY t_us
                          RANGE BETWEEN $w_us PRECEDING AND $w_us FOLLOWING)
         - count(*) OVER (PARTITION BY tid, aid ORDER BY t_us
                          RANGE BETWEEN $w_us PRECEDING AND $w_us FOLLOWING) AS m
    FROM _co_ei
), m AS (
    SELECT aid, sum(m) AS mm FROM w GROUP BY aid
), d AS (
    SELECT aid, min(account) AS account, count(*) AS d FROM _co_ea GROUP BY aid
)
SELECT d.aid, d.account, d.d, coalesce(m.mm, CAST(0 AS HUGEINT)) AS mm FROM d LEFT JOIN m ON m.aid = d.aid

-- name: score
-- lam: the expected number of shared targets under the null; log_p: log P(Poisson(lam) >= n_targets),
-- summed from the tail when n > lam (no cancellation) and as 1 - the head otherwise (then p > 0.4; when
-- lam is so far above n that the head's terms are all below 1e-300 the head is empty, its sum 0, p = 1);
-- q: Benjamini-Hochberg over a family of $family pairs, in log space (ids sort as the names do).
CREATE OR REPLACE TEMP TABLE _co_q AS
WITH x AS (
    SELECT e.*, greatest(ua.d * ub.mm, ub.d * ua.mm) / $incidences AS lam
    FROM _co_e e JOIN _co_acct ua ON ua.aid = e.a JOIN _co_acct ub ON ub.aid = e.b
), lp AS (
    SELECT *,
        CASE WHEN n_targets > lam THEN
            -lam + n_targets * ln(lam) - lgamma(n_targets + 1)
            + ln(list_sum(list_transform(
                range(0, CAST(40 + ceil(12 * sqrt(lam)) AS BIGINT)),
                lambda j: exp(j * ln(lam) - lgamma(n_targets + j + 1) + lgamma(n_targets + 1)))))
        ELSE ln(greatest(1e-300, 1 - coalesce(list_sum(list_transform(
                range(CAST(greatest(0, floor(lam - 12 * sqrt(lam) - 40)) AS BIGINT), n_targets),
                lambda k: exp(-lam + k * ln(lam) - lgamma(k + 1)))), 0.0)))
        END AS log_p
    FROM x
), bh AS (
    SELECT *, log_p + ln($family) - ln(row_number() OVER (ORDER BY log_p, a, b)) AS log_q_raw FROM lp
), q AS (
    SELECT *, min(log_q_raw) OVER (ORDER BY log_p DESC, a DESC, b DESC
                                   ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS log_q
    FROM bh
)
SELECT a, b, n_targets, n_events, min_gap_s, median_gap_s, lam, exp(least(0.0, log_p)) AS pvalue,
       least(1.0, exp(least(0.0, log_q))) AS qvalue, greatest(0.0, -log_p / ln(10)) AS weight
FROM q

-- name: edges
-- The layer's edges, named.
INSERT INTO coaction_edges
SELECT $layer, ua.account, ub.account, q.n_targets, q.n_events, q.min_gap_s, q.median_gap_s, q.lam,
       q.pvalue, q.qvalue, q.weight
FROM _co_q q JOIN _co_acct ua ON ua.aid = q.a JOIN _co_acct ub ON ub.aid = q.b

-- name: evidence
-- One slice of the edges' evidence, one row per co-acted target kept in _co_top: the closest pair of
-- events on it (by gap, then a's item, then b's item) as event ids, with its rank within the edge (by gap,
-- then target: _co_r's rank). Integers only: the strings come from coaction_evidence_events through the
-- view coaction_evidence (naming 20M rows here cost three times as much as finding them, at scale 10).
INSERT INTO coaction_evidence_rows
WITH xa AS (
    SELECT t.a, t.b, t.tid, t.gap_us, t.r, x.eid AS a_eid, x.t_us AS a_us
    FROM _co_top t JOIN _co_b x ON x.aid = t.a AND x.tid = t.tid
    WHERE t.a % $parts = $part
), c AS (
    SELECT xa.a, xa.b, xa.tid, xa.gap_us, xa.r,
           min(struct_pack(a_eid := xa.a_eid, b_eid := y.eid)) AS closest
    FROM xa JOIN _co_b y ON y.aid = xa.b AND y.tid = xa.tid
    WHERE abs(xa.a_us - y.t_us) = xa.gap_us
    GROUP BY xa.a, xa.b, xa.tid, xa.gap_us, xa.r
)
SELECT $layer, c.closest.a_eid, c.closest.b_eid, c.r, c.gap_us FROM c

-- name: evidence_events
-- The layer's events named in its evidence rows, with their account, target, item and time.
INSERT INTO coaction_evidence_events
SELECT $layer, e.eid, e.account, e.target, e.item, e.t_us
FROM _co_ei e
SEMI JOIN (
    SELECT a_eid AS eid FROM coaction_evidence_rows WHERE layer = $layer
    UNION
    SELECT b_eid FROM coaction_evidence_rows WHERE layer = $layer
) u ON u.eid = e.eid
