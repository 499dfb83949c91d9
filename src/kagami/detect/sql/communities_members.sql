-- Communities of at least $min_size accounts, numbered by size (then smallest member), and each member's
-- degree (neighbours inside its community) and strength (sum of those edges' weights).
CREATE OR REPLACE TEMP TABLE cm_assign AS
WITH sized AS (
    SELECT part, count(*) AS size, min(account_uid) AS first_uid FROM cm_partition GROUP BY part
), kept AS (
    SELECT part, row_number() OVER (ORDER BY size DESC, first_uid) AS community_id
    FROM sized WHERE size >= $min_size
)
SELECT k.community_id, p.account_uid
FROM cm_partition p JOIN kept k ON k.part = p.part;

CREATE OR REPLACE TEMP TABLE cm_inner AS
SELECT x.community_id, e.a, e.b, e.weight, e.layers
FROM cm_edges e
JOIN cm_assign x ON x.account_uid = e.a
JOIN cm_assign y ON y.account_uid = e.b AND y.community_id = x.community_id;

CREATE OR REPLACE TABLE community_members AS
WITH ends AS (
    SELECT community_id, a AS account_uid, weight FROM cm_inner
    UNION ALL
    SELECT community_id, b, weight FROM cm_inner
)
SELECT m.community_id, m.account_uid, count(e.weight) AS degree, coalesce(sum(e.weight), 0.0) AS strength
FROM cm_assign m
LEFT JOIN ends e ON e.community_id = m.community_id AND e.account_uid = m.account_uid
GROUP BY m.community_id, m.account_uid
ORDER BY m.community_id, m.account_uid;
