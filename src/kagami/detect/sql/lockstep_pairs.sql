-- Candidate pairs: accounts that engaged with at least $n_targets of the same targets, each time within
-- $band_s of each other. A band join on time buckets of width $band_s (same or next bucket), so the join
-- is an equi-join on (target, bucket); targets with more than $max_engagers engagers are left out here
-- (they still count in the refinement).
CREATE OR REPLACE TEMP TABLE lk_pairs AS
WITH usable AS (
    SELECT target FROM lk_events GROUP BY target HAVING count(*) BETWEEN 2 AND $max_engagers
), e AS (
    SELECT account, target, ts, CAST(floor(ts / $band_s) AS BIGINT) AS bucket
    FROM lk_events WHERE target IN (SELECT target FROM usable)
), hits AS (
    SELECT x.account AS a, y.account AS b, x.target
    FROM e x JOIN e y ON x.target = y.target AND x.bucket = y.bucket AND x.account < y.account
    UNION ALL
    SELECT least(x.account, y.account), greatest(x.account, y.account), x.target
    FROM e x JOIN e y ON x.target = y.target AND y.bucket = x.bucket + 1
    WHERE abs(x.ts - y.ts) <= $band_s
)
SELECT a, b, count(DISTINCT target) AS shared
FROM hits
GROUP BY a, b
HAVING count(DISTINCT target) >= $n_targets;
