-- Final groups. A group that shares at least half its members with a larger one (or an equal one named
-- earlier) is dropped as a variant of it; the rest are numbered by size, then seed. Each member's row
-- counts its in-band engagements with the group's targets and the layer it used most (ties by name).
-- Ids sort as the names do, so the names are joined back only here, for the kept groups.
CREATE OR REPLACE TEMP TABLE lk_keep AS
WITH sz AS (
    SELECT g, count(*) AS size FROM lk_members GROUP BY g
), ov AS (
    SELECT x.g AS small, y.g AS big, count(*) AS shared
    FROM lk_members x JOIN lk_members y ON x.account = y.account AND x.g <> y.g
    GROUP BY x.g, y.g
), covered AS (
    SELECT ov.small AS g
    FROM ov JOIN sz s ON s.g = ov.small JOIN sz b ON b.g = ov.big
    WHERE (b.size > s.size OR (b.size = s.size AND ov.big < ov.small)) AND 2 * ov.shared >= s.size
)
SELECT g, size, row_number() OVER (ORDER BY size DESC, g) AS group_id
FROM sz WHERE g NOT IN (SELECT g FROM covered);

CREATE OR REPLACE TEMP TABLE lk_hits AS
SELECT k.group_id, k.size, a.account, g.target, e.layer, e.t, e.ts
FROM lk_keep k
JOIN lk_targets t ON t.g = k.g
JOIN lk_events e ON e.tid = t.tid AND e.ts BETWEEN t.start AND t.stop
JOIN lk_members m ON m.g = t.g AND m.account = e.aid
JOIN lk_accounts a ON a.aid = e.aid
JOIN lk_target_ids g ON g.tid = e.tid;

CREATE OR REPLACE TABLE lockstep_groups AS
WITH per_layer AS (
    SELECT group_id, account, layer, count(*) AS n FROM lk_hits GROUP BY group_id, account, layer
), ranked AS (
    SELECT group_id, account, layer, n,
           row_number() OVER (PARTITION BY group_id, account ORDER BY n DESC, layer) AS r
    FROM per_layer
), per_account AS (
    SELECT group_id, account, CAST(sum(n) AS BIGINT) AS targets, min(CASE WHEN r = 1 THEN layer END) AS top
    FROM ranked GROUP BY group_id, account
)
SELECT group_id, account AS account_uid, targets,
       CASE top WHEN 0 THEN 'like' WHEN 1 THEN 'link' WHEN 2 THEN 'quote' WHEN 3 THEN 'repost' ELSE 'text' END
           AS layer
FROM per_account
ORDER BY group_id, account;

CREATE OR REPLACE TABLE lockstep_summary AS
WITH per_target AS (
    SELECT group_id, size, target, count(*) AS hits, min(t) AS first_t, max(t) AS last_t,
           max(ts) - min(ts) AS spread_s,
           list(struct_pack(account := account, t := t) ORDER BY t, account)[1:$evidence_accounts] AS engagements
    FROM lk_hits GROUP BY group_id, size, target
)
SELECT group_id,
       size,
       count(*) AS targets,
       max(spread_s) AS band_s,
       min(first_t) AS first_t,
       max(last_t) AS last_t,
       list(struct_pack(target := target, hits := hits, engagements := engagements)
            ORDER BY hits DESC, target)[1:$evidence_targets] AS evidence
FROM per_target
GROUP BY group_id, size
ORDER BY group_id;
