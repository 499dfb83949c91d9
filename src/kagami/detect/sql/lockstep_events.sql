-- Engagement events for lockstep detection: one row per (account, target), the account's first
-- engagement with that target (a repost, a quote or a like of a post, or a content event staged in
-- lk_extra by lockstep_extra.py: a post in a bursting text cluster, a share of a rare link; earliest,
-- then by layer name, then by item), restricted to $layers. Only constructs Spark SQL also has (struct_pack -> named_struct).
-- Accounts and targets get dense integer ids in the order of their strings (lk_accounts, lk_target_ids),
-- so that a < b, min() and every tie-break on ids is what it would be on the names; the layer is a code
-- in the order of its name (like 0, link 1, quote 2, repost 3, text 4). The strings come back only in the output.
CREATE OR REPLACE TEMP TABLE lk_raw AS
WITH raw AS (
    SELECT 'repost' AS layer, author_uid AS account, ref_uid AS target, created_at AS t, uid AS item
    FROM posts
    WHERE kind = 'repost' AND ref_uid IS NOT NULL
    UNION ALL
    SELECT 'quote', author_uid, quote_of_uid, created_at, uid
    FROM posts
    WHERE kind = 'quote' AND quote_of_uid IS NOT NULL
    UNION ALL
    SELECT 'like', actor_uid, target_uid, created_at, uid
    FROM actions
    WHERE kind = 'like' AND target_kind = 'post' AND target_uid IS NOT NULL
    UNION ALL
    SELECT layer, account, target, t, item FROM lk_extra
)
SELECT layer, account, target, t, item
FROM raw
WHERE account IS NOT NULL AND t IS NOT NULL AND list_contains($layers, layer);

CREATE OR REPLACE TEMP TABLE lk_accounts AS
SELECT CAST(row_number() OVER (ORDER BY account) AS INTEGER) AS aid, account
FROM (SELECT DISTINCT account FROM lk_raw) a;

CREATE OR REPLACE TEMP TABLE lk_target_ids AS
SELECT CAST(row_number() OVER (ORDER BY target) AS INTEGER) AS tid, target
FROM (SELECT DISTINCT target FROM lk_raw) t;

-- ts is epoch(t) in seconds (a double), bucket its band-wide time bucket floor(ts / $band_s).
CREATE OR REPLACE TEMP TABLE lk_events AS
WITH first AS (
    SELECT a.aid, g.tid, min(struct_pack(t := r.t, layer := r.layer, item := r.item)) AS f
    FROM lk_raw r JOIN lk_accounts a ON a.account = r.account JOIN lk_target_ids g ON g.target = r.target
    GROUP BY a.aid, g.tid
)
SELECT aid, tid,
       CAST(CASE f.layer WHEN 'like' THEN 0 WHEN 'link' THEN 1 WHEN 'quote' THEN 2 WHEN 'repost' THEN 3
                         ELSE 4 END AS TINYINT) AS layer,
       f.t AS t, epoch(f.t) AS ts, CAST(floor(epoch(f.t) / $band_s) AS BIGINT) AS bucket
FROM first;

DROP TABLE lk_raw;
DROP TABLE lk_extra;
