-- Candidate pairs: accounts that engaged with at least $n_targets of the same targets, each time within
-- $band_s of each other. A band join on time buckets of width $band_s (same or neighbouring bucket), so
-- the join is an equi-join on (target, bucket); targets with more than $max_engagers engagers are left
-- out here (they still count in the refinement). An account has one event per target, so each
-- (pair, target) is met once and the shared targets are a plain count. An account with fewer than
-- $n_targets such targets can be in no pair, so it is left out of the join.

-- name: init
CREATE OR REPLACE TEMP TABLE lk_pe AS
WITH pe AS (
    SELECT e.aid, e.tid, e.ts, e.bucket
    FROM lk_events e
    JOIN (SELECT tid FROM lk_events GROUP BY tid HAVING count(*) BETWEEN 2 AND $max_engagers) u ON u.tid = e.tid
)
SELECT * FROM pe SEMI JOIN (SELECT aid FROM pe GROUP BY aid HAVING count(*) >= $n_targets) k ON k.aid = pe.aid;
CREATE OR REPLACE TEMP TABLE lk_pairs (a INTEGER, b INTEGER, shared BIGINT)

-- name: estimate
-- An upper bound on the (pair, target) rows the join meets: pairs inside a cell and across neighbours.
WITH c AS (SELECT tid, bucket, count(*) AS n FROM lk_pe GROUP BY tid, bucket)
SELECT coalesce(sum(x.n * (x.n - 1) / 2 + x.n * coalesce(y.n, 0)), 0)
FROM c x LEFT JOIN c y ON y.tid = x.tid AND y.bucket = x.bucket + 1

-- name: slice
-- One slice of the pairs (a % $parts = $part, a the smaller id): x is the pair's smaller account, y meets
-- it from x's bucket or a neighbouring one.
INSERT INTO lk_pairs
WITH y AS (
    SELECT aid, tid, ts, bucket, bucket + d.d AS k
    FROM lk_pe CROSS JOIN (SELECT -1 AS d UNION ALL SELECT 0 UNION ALL SELECT 1) d
)
SELECT x.aid, y.aid, count(*)
FROM lk_pe x JOIN y ON y.tid = x.tid AND y.k = x.bucket
WHERE x.aid % $parts = $part AND x.aid < y.aid AND (x.bucket = y.bucket OR abs(x.ts - y.ts) <= $band_s)
GROUP BY x.aid, y.aid
HAVING count(*) >= $n_targets
