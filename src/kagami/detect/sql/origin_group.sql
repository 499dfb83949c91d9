-- Origin indicators of groups of accounts, from the per-account tables. Staged: _ogr_members
-- (group_uid, account_uid). origin_timezone's group rows are fitted on the pooled activity beforehand.

-- name: groups
CREATE OR REPLACE TABLE origin_groups AS
WITH m AS (SELECT DISTINCT group_uid, account_uid FROM _ogr_members),
lang AS (
    SELECT m.group_uid, sum(l.n_japanese) AS n_ja,
           sum(l.simplified_share * l.n_japanese) AS k_simpl, sum(l.mt_trace_share * l.n_japanese) AS mt_sum,
           count(*) FILTER (WHERE l.simplified_share > 0) AS accounts_with_simplified,
           count(*) FILTER (WHERE l.mt_trace_share > 0) AS accounts_with_traces
    FROM m JOIN origin_language l ON l.account_uid = m.account_uid GROUP BY ALL
), links AS (
    SELECT m.group_uid,
           count(*) FILTER (WHERE a.state_media_posts > 0) AS state_media_accounts,
           count(*) FILTER (WHERE a.io_posts > 0) AS io_accounts,
           count(*) FILTER (WHERE a.lookalike_posts > 0) AS lookalike_accounts,
           count(*) FILTER (WHERE a.state_handle_posts > 0) AS state_handle_accounts,
           sum(a.confidence) AS link_conf_sum
    FROM m JOIN origin_link_accounts a ON a.account_uid = m.account_uid GROUP BY ALL
), sizes AS (SELECT group_uid, count(*) AS n_accounts FROM m GROUP BY ALL)
SELECT s.group_uid, s.n_accounts, t.n_posts, t.schedule, t.best_offset_h, t.second_offset_h,
       coalesce(t.confidence, 0.0) AS tz_confidence, coalesce(t.jst_consistent, true) AS jst_consistent,
       coalesce(t.holiday_signal, 'untested') AS holiday_signal,
       coalesce(l.accounts_with_simplified, 0) AS accounts_with_simplified,
       CASE WHEN l.n_ja > 0 THEN l.k_simpl / l.n_ja ELSE 0.0 END AS simplified_share,
       CASE WHEN l.n_ja > 0 THEN l.mt_sum / l.n_ja ELSE 0.0 END AS mt_trace_share,
       coalesce((l.k_simpl + l.mt_sum) / (l.k_simpl + l.mt_sum + $lang_prior), 0.0) AS lang_confidence,
       coalesce(k.state_media_accounts, 0) AS state_media_accounts, coalesce(k.io_accounts, 0) AS io_accounts,
       coalesce(k.lookalike_accounts, 0) AS lookalike_accounts,
       coalesce(k.state_handle_accounts, 0) AS state_handle_accounts,
       coalesce(k.link_conf_sum / s.n_accounts, 0.0) AS link_confidence,
       CAST(to_json(struct_pack(accounts_with_traces := l.accounts_with_traces, timezone := json(t.evidence)))
            AS VARCHAR) AS evidence
FROM sizes s
LEFT JOIN origin_timezone t ON t.kind = 'group' AND t.subject_uid = s.group_uid
LEFT JOIN lang l USING (group_uid) LEFT JOIN links k USING (group_uid)
ORDER BY s.group_uid
