-- Rows of accounts.csv and the summary of campaigns.json (kagami.assess.analyze).
-- Needs assess_accounts / assess_verdicts (judge.sql) and _as_ids(community_id, campaign_id).
-- Parameters: the judgement's $automated_min, $young_days and $origin_min, so reasons use its thresholds.

-- name: accounts
-- One row per account; reasons name the signals behind the numbers (and say when they cannot flag).
WITH v AS (
    SELECT v.uid, bool_or(v.flagged) AS flagged, max(v.score) FILTER (WHERE v.flagged) AS score,
           min(i.campaign_id) FILTER (WHERE v.flagged) AS campaign_id, min(v.role) FILTER (WHERE v.flagged) AS role
    FROM assess_verdicts v LEFT JOIN _as_ids i ON i.community_id = v.community_id GROUP BY v.uid
)
SELECT a.platform, a.account_id, a.handle, coalesce(v.flagged AND v.campaign_id IS NOT NULL, false),
       CASE WHEN v.flagged THEN v.campaign_id ELSE '' END,
       round(coalesce(CASE WHEN v.flagged THEN v.score END, 0), 3)::DOUBLE,
       round(a.coordination, 3)::DOUBLE, round(a.automation, 3)::DOUBLE, round(a.origin, 3)::DOUBLE,
       concat_ws('; ',
           CASE WHEN v.flagged THEN 'campaign ' || v.campaign_id || ' (' || v.role || ')' END,
           CASE WHEN a.partners > 0 THEN 'significant co-action with ' || a.partners || ' account(s) on '
                || array_to_string(a.layers, ', ') END,
           CASE WHEN a.lockstep_group IS NOT NULL THEN 'lockstep engagement on ' || a.lockstep_targets
                || ' targets' END,
           CASE WHEN a.automation >= $automated_min THEN 'automation ' || round(a.automation, 2) || ' ('
                || array_to_string(a.automation_reasons[1:3], ', ') || ')' END,
           CASE WHEN a.age_days < $young_days THEN 'account ' || a.age_days || ' days old when first seen' END,
           CASE WHEN a.origin >= $origin_min THEN 'foreign-origin indicator ' || round(a.origin, 2) END,
           CASE WHEN NOT coalesce(v.flagged, false) AND (a.automation >= $automated_min OR a.origin >= $origin_min)
                THEN 'not flagged: no coordinated campaign behaviour' END)
FROM assess_accounts a LEFT JOIN v ON v.uid = a.uid
ORDER BY a.platform, a.account_id;

-- name: summary
SELECT (SELECT count(*) FROM assess_accounts),
       (SELECT count(DISTINCT uid) FROM assess_verdicts WHERE flagged AND community_id IN (SELECT community_id FROM _as_ids)),
       (SELECT count(*) FROM posts), (SELECT min(created_at) FROM posts), (SELECT max(created_at) FROM posts);
