-- Engagement events for lockstep detection: one row per (account, target), the account's first
-- engagement with that target (a repost, a quote or a like of a post), restricted to $layers.
CREATE OR REPLACE TEMP TABLE lk_events AS
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
)
SELECT layer, account, target, t, epoch(t) AS ts, item
FROM raw
WHERE account IS NOT NULL AND t IS NOT NULL AND list_contains($layers, layer)
QUALIFY row_number() OVER (PARTITION BY account, target ORDER BY t, layer, item) = 1;
