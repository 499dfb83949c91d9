-- Refinement, step 2: any account (member or not) belongs to a group when it engaged, inside the band, with
-- at least max($n_targets, $rho * |targets|) of the group's targets. Groups left with fewer than
-- $n_targets targets or $m_accounts members vanish; groups with identical members are kept once.
-- A band [start, stop] spans the buckets floor(start / $band_s) to floor(stop / $band_s), at most three,
-- so events are met on an equi-join on (target, bucket). Run a slice of groups at a time.

-- name: init
CREATE OR REPLACE TEMP TABLE lk_bands AS
WITH sizes AS (
    SELECT g, count(*) AS n_t FROM lk_targets GROUP BY g HAVING count(*) >= $n_targets
)
SELECT t.g, t.tid, t.start, t.stop, s.n_t, CAST(floor(t.start / $band_s) AS BIGINT) + d.d AS k
FROM lk_targets t JOIN sizes s ON s.g = t.g
CROSS JOIN (SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2) d
WHERE CAST(floor(t.start / $band_s) AS BIGINT) + d.d <= CAST(floor(t.stop / $band_s) AS BIGINT);
CREATE OR REPLACE TEMP TABLE lk_kept (g INTEGER, account INTEGER)

-- name: estimate
-- An upper bound on the (band, engagement) rows the join meets, to size the slices.
WITH c AS (SELECT tid, bucket, count(*) AS n FROM lk_events GROUP BY tid, bucket)
SELECT coalesce(sum(c.n), 0) FROM lk_bands b JOIN c ON c.tid = b.tid AND c.bucket = b.k

-- name: slice
INSERT INTO lk_kept
SELECT b.g, e.aid
FROM lk_bands b JOIN lk_events e ON e.tid = b.tid AND e.bucket = b.k
WHERE b.g % $parts = $part AND e.ts BETWEEN b.start AND b.stop
GROUP BY b.g, b.n_t, e.aid
HAVING count(*) >= greatest($n_targets, ceil($rho * b.n_t))

-- name: finish
CREATE OR REPLACE TEMP TABLE lk_next AS
WITH big AS (
    SELECT g, string_agg(CAST(account AS VARCHAR), ',' ORDER BY account) AS roster
    FROM lk_kept GROUP BY g HAVING count(*) >= $m_accounts
), unique_groups AS (
    SELECT min(g) AS g FROM big GROUP BY roster
)
SELECT g, account FROM lk_kept WHERE g IN (SELECT g FROM unique_groups)
