-- Refinement, step 1: each group's targets and their bands. For every (group, target) the band is the
-- window [start, start + $band_s] holding the most member engagements (earliest on ties); a target
-- stays when at least $target_min members fall inside its band.
CREATE OR REPLACE TEMP TABLE lk_targets AS
WITH ev AS (
    SELECT m.g, e.target, e.ts
    FROM lk_members m JOIN lk_events e ON e.account = m.account
), busy AS (
    SELECT g, target, ts, count(*) OVER (PARTITION BY g, target) AS n FROM ev
), counted AS (
    SELECT g, target, ts AS start,
           count(*) OVER (PARTITION BY g, target ORDER BY ts
                          RANGE BETWEEN CURRENT ROW AND $band_s FOLLOWING) AS hits
    FROM busy
    WHERE n >= $target_min
)
SELECT g, target, start, start + $band_s AS stop, hits
FROM counted
WHERE hits >= $target_min
QUALIFY row_number() OVER (PARTITION BY g, target ORDER BY hits DESC, start) = 1;
