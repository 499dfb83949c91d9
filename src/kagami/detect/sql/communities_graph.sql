-- The account graph: one edge per pair of accounts with at least one significant co-action layer
-- (qvalue <= $alpha); its weight is the sum of the significant layers' weights. Members of one lockstep
-- group (CopyCatch; lk_cm_groups, staged by communities.py from lockstep_groups when it exists) are
-- joined too, at $lockstep_weight per group they share (layer "lockstep").
CREATE OR REPLACE TEMP TABLE cm_edges AS
WITH e AS (
    SELECT a, b, weight, layer FROM coaction_edges WHERE qvalue <= $alpha AND a <> b AND weight > 0
    UNION ALL
    SELECT g1.account_uid, g2.account_uid, $lockstep_weight, 'lockstep'
    FROM lk_cm_groups g1 JOIN lk_cm_groups g2 ON g2.group_id = g1.group_id AND g1.account_uid < g2.account_uid
)
SELECT a, b, sum(weight) AS weight, list(DISTINCT layer ORDER BY layer) AS layers
FROM e GROUP BY a, b;
