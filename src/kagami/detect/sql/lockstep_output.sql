-- Final groups. A group that shares at least half its members with a larger one (or an equal one named
-- earlier) is dropped as a variant of it; the rest are numbered by size, then seed. Each member's row
-- counts its in-band engagements with the group's targets and the layer it used most (ties by name).
CREATE OR REPLACE TEMP TABLE lk_hits AS
SELECT t.g, e.account, e.target, e.layer, e.t, e.ts
FROM lk_targets t
JOIN lk_events e ON e.target = t.target AND e.ts BETWEEN t.start AND t.stop
JOIN lk_members m ON m.g = t.g AND m.account = e.account;

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
SELECT g, row_number() OVER (ORDER BY size DESC, g) AS group_id
FROM sz WHERE g NOT IN (SELECT g FROM covered);

CREATE OR REPLACE TABLE lockstep_groups AS
WITH per_layer AS (
    SELECT g, account, layer, count(*) AS n FROM lk_hits GROUP BY g, account, layer
), top_layer AS (
    SELECT g, account, layer FROM per_layer
    QUALIFY row_number() OVER (PARTITION BY g, account ORDER BY n DESC, layer) = 1
)
SELECT k.group_id, p.account AS account_uid, CAST(sum(p.n) AS BIGINT) AS targets, any_value(l.layer) AS layer
FROM per_layer p
JOIN lk_keep k ON k.g = p.g
JOIN top_layer l ON l.g = p.g AND l.account = p.account
GROUP BY k.group_id, p.account
ORDER BY k.group_id, p.account;

CREATE OR REPLACE TABLE lockstep_summary AS
WITH per_target AS (
    SELECT g, target, count(*) AS hits, min(t) AS first_t, max(t) AS last_t, max(ts) - min(ts) AS spread_s,
           list(struct_pack(account := account, t := t) ORDER BY t, account)[1:$evidence_accounts] AS engagements
    FROM lk_hits GROUP BY g, target
), sizes AS (
    SELECT g, count(*) AS size FROM lk_members GROUP BY g
)
SELECT k.group_id,
       any_value(s.size) AS size,
       count(*) AS targets,
       max(p.spread_s) AS band_s,
       min(p.first_t) AS first_t,
       max(p.last_t) AS last_t,
       list(struct_pack(target := p.target, hits := p.hits, engagements := p.engagements)
            ORDER BY p.hits DESC, p.target)[1:$evidence_targets] AS evidence
FROM per_target p JOIN lk_keep k ON k.g = p.g JOIN sizes s ON s.g = p.g
GROUP BY k.group_id
ORDER BY k.group_id;
