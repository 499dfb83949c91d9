-- Refinement, step 1: each group's targets and their bands. For every (group, target) the band is the
-- window [start, start + $band_s] holding the most member engagements (earliest on ties); a target
-- stays when at least $target_min members fall inside its band and (when $target_share > 0) they are at
-- least that share of everyone's engagements with it inside the band: a group that is a handful of a
-- crowd of thousands (election night) does not own the target. Run a slice of groups at a time.

-- name: init
CREATE OR REPLACE TEMP TABLE lk_targets (g INTEGER, tid INTEGER, start DOUBLE, stop DOUBLE, hits BIGINT)

-- name: estimate
-- The (member, engagement) rows of all groups, to size the slices.
SELECT coalesce(sum(d.n), 0)
FROM lk_members m JOIN (SELECT aid, count(*) AS n FROM lk_events GROUP BY aid) d ON d.aid = m.account

-- name: slice
-- The best band is the smallest (-hits, start). Only (group, target) pairs with at least $target_min
-- member engagements in all can have a band that many hits wide, so only those are kept; when all of a
-- pair's engagements fit in one band (the usual case for a group in lockstep) that band starts at the
-- first of them and holds them all, and only the other pairs are windowed.
INSERT INTO lk_targets
WITH ge AS (
    SELECT m.g, e.tid, e.ts FROM lk_members m JOIN lk_events e ON e.aid = m.account WHERE m.g % $parts = $part
), k AS (
    SELECT g, tid, count(*) AS n, min(ts) AS lo, max(ts) AS hi
    FROM ge GROUP BY g, tid HAVING count(*) >= $target_min
), counted AS (
    SELECT ge.g, ge.tid, ge.ts AS start,
           count(*) OVER (PARTITION BY ge.g, ge.tid ORDER BY ge.ts
                          RANGE BETWEEN CURRENT ROW AND $band_s FOLLOWING) AS hits
    FROM ge SEMI JOIN (SELECT g, tid FROM k WHERE hi > lo + $band_s) w ON w.g = ge.g AND w.tid = ge.tid
), best AS (
    SELECT g, tid, lo AS start, lo + $band_s AS stop, n AS hits FROM k WHERE hi <= lo + $band_s
    UNION ALL
    SELECT g, tid, b.start AS start, b.start + $band_s AS stop, -b.neg_hits AS hits FROM (
        SELECT g, tid, min(struct_pack(neg_hits := -hits, start := start)) AS b
        FROM counted
        WHERE hits >= $target_min
        GROUP BY g, tid
    ) x
), crowd AS (
    SELECT b.g, b.tid, count(*) AS n
    FROM best b JOIN lk_events e ON e.tid = b.tid AND e.ts BETWEEN b.start AND b.stop
    WHERE $target_share > 0
    GROUP BY b.g, b.tid
)
SELECT b.g, b.tid, b.start, b.stop, b.hits
FROM best b LEFT JOIN crowd c ON c.g = b.g AND c.tid = b.tid
WHERE $target_share <= 0 OR b.hits >= $target_share * c.n
