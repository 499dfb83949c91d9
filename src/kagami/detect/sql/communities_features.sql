-- One row per community: its shape, timing and the features the campaign stage weighs.
CREATE OR REPLACE TABLE communities AS
WITH sizes AS (
    SELECT community_id, count(*) AS size FROM cm_assign GROUP BY community_id
), shape AS (
    SELECT community_id, count(*) AS pairs FROM cm_inner GROUP BY community_id
), timing AS (
    SELECT community_id, median(median_gap_s) AS synchrony_s, list(DISTINCT layer ORDER BY layer) AS layers
    FROM cm_layer_edges GROUP BY community_id
), lockstep AS (
    -- communities whose members share a lockstep group: "lockstep" joins the layers
    SELECT DISTINCT x.community_id FROM lk_cm_groups g1
    JOIN lk_cm_groups g2 ON g2.group_id = g1.group_id AND g1.account_uid < g2.account_uid
    JOIN cm_assign x ON x.account_uid = g1.account_uid
    JOIN cm_assign y ON y.account_uid = g2.account_uid AND y.community_id = x.community_id
), items AS (
    SELECT a.community_id, a.item,
           bool_or(t.target IS NOT NULL OR i.item IS NOT NULL) AS on_target,
           bool_or(i.item IS NOT NULL) AS in_evidence
    FROM cm_acts a
    LEFT JOIN cm_targets t ON t.community_id = a.community_id AND t.target = a.target
    LEFT JOIN cm_items i ON i.community_id = a.community_id AND i.item = a.item
    GROUP BY a.community_id, a.item
), shares AS (
    SELECT community_id,
           avg(CASE WHEN in_evidence THEN 1.0 ELSE 0.0 END) AS coordinated_share,
           avg(CASE WHEN on_target THEN 0.0 ELSE 1.0 END) AS outside_share
    FROM items GROUP BY community_id
), ages AS (
    SELECT m.community_id,
           (quantile_cont(epoch(a.created_at), 0.75) - quantile_cont(epoch(a.created_at), 0.25)) / 86400.0
               AS created_spread_days,
           median(epoch(a.first_seen) - epoch(a.created_at)) / 86400.0 AS median_age_days
    FROM cm_assign m JOIN accounts a ON a.uid = m.account_uid
    GROUP BY m.community_id
), engaged AS (
    SELECT DISTINCT community_id, account, item, target_author
    FROM cm_acts WHERE target_kind = 'post' AND target_author IS NOT NULL
), per_member AS (
    SELECT community_id, account, count(DISTINCT target_author) / count(DISTINCT item) AS ratio
    FROM engaged GROUP BY community_id, account
), per_author AS (
    SELECT community_id, target_author, count(*) AS n FROM engaged GROUP BY community_id, target_author
), diversity AS (
    SELECT d.community_id, any_value(d.diversity) AS target_diversity,
           -sum((pa.n / tot.n) * log2(pa.n / tot.n)) AS target_entropy
    FROM (SELECT community_id, median(ratio) AS diversity FROM per_member GROUP BY community_id) d
    JOIN per_author pa ON pa.community_id = d.community_id
    JOIN (SELECT community_id, sum(n) AS n FROM per_author GROUP BY community_id) tot
      ON tot.community_id = d.community_id
    GROUP BY d.community_id
), hub_rank AS (
    SELECT a.community_id, a.target_author AS hub, count(DISTINCT a.account) AS members
    FROM cm_acts a JOIN cm_targets t ON t.community_id = a.community_id AND t.target = a.target
    WHERE a.target_kind = 'post' AND a.target_author IS NOT NULL
    GROUP BY a.community_id, a.target_author
    HAVING count(DISTINCT a.account) >= $hub_min_members
), hubs AS (
    SELECT community_id, list(hub ORDER BY members DESC, hub)[1:$max_hubs] AS hubs
    FROM hub_rank GROUP BY community_id
)
SELECT s.community_id, s.size,
       coalesce(sh.pairs, 0) / (s.size * (s.size - 1) / 2.0) AS density,
       tm.synchrony_s,
       coalesce(sr.coordinated_share, 0.0) AS coordinated_share,
       list_sort(coalesce(tm.layers, CAST([] AS VARCHAR[]))
                 || CASE WHEN lk.community_id IS NULL THEN CAST([] AS VARCHAR[]) ELSE ['lockstep'] END)
           AS layers,
       ag.created_spread_days,
       coalesce(h.hubs, CAST([] AS VARCHAR[])) AS hubs,
       dv.target_diversity,
       ag.median_age_days,
       sr.outside_share,
       dv.target_entropy
FROM sizes s
LEFT JOIN shape sh ON sh.community_id = s.community_id
LEFT JOIN timing tm ON tm.community_id = s.community_id
LEFT JOIN lockstep lk ON lk.community_id = s.community_id
LEFT JOIN shares sr ON sr.community_id = s.community_id
LEFT JOIN ages ag ON ag.community_id = s.community_id
LEFT JOIN diversity dv ON dv.community_id = s.community_id
LEFT JOIN hubs h ON h.community_id = s.community_id
ORDER BY s.community_id;
