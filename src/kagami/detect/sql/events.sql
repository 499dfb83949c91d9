-- The events of each co-action layer: (account, target, t_us, item, target_us).
-- account: who acted; target: what they acted on; t_us: when (epoch microseconds); item: the post or action
-- that is the evidence; target_us: when the target was created (NULL when unknown), for data-driven windows.
-- One section per layer, introduced by "-- name: <layer>". Parameters are named ($max_accounts, $min_chars).

-- name: repost
SELECT p.author_uid AS account, p.ref_uid AS target, epoch_us(p.created_at) AS t_us, p.uid AS item,
       epoch_us(t.created_at) AS target_us
FROM posts p LEFT JOIN posts t ON t.uid = p.ref_uid
WHERE p.kind = 'repost' AND p.ref_uid IS NOT NULL AND p.author_uid IS NOT NULL AND p.created_at IS NOT NULL

-- name: quote
SELECT p.author_uid AS account, p.quote_of_uid AS target, epoch_us(p.created_at) AS t_us, p.uid AS item,
       epoch_us(t.created_at) AS target_us
FROM posts p LEFT JOIN posts t ON t.uid = p.quote_of_uid
WHERE p.quote_of_uid IS NOT NULL AND p.author_uid IS NOT NULL AND p.created_at IS NOT NULL

-- name: reply
SELECT p.author_uid AS account, p.reply_to_uid AS target, epoch_us(p.created_at) AS t_us, p.uid AS item,
       epoch_us(t.created_at) AS target_us
FROM posts p LEFT JOIN posts t ON t.uid = p.reply_to_uid
WHERE p.reply_to_uid IS NOT NULL AND p.author_uid IS NOT NULL AND p.created_at IS NOT NULL

-- name: like
-- Likes without a time (X's liking-users lists) cannot be placed in a window and are left out.
SELECT a.actor_uid AS account, a.target_uid AS target, epoch_us(a.created_at) AS t_us, a.uid AS item,
       epoch_us(t.created_at) AS target_us
FROM actions a LEFT JOIN posts t ON t.uid = a.target_uid
WHERE a.kind = 'like' AND a.target_kind = 'post' AND a.target_uid IS NOT NULL AND a.actor_uid IS NOT NULL
  AND a.created_at IS NOT NULL

-- name: link
-- Links inside reposts are the original's (the repost layer covers them); links to the platform's own
-- posts are quote mechanics, not shared articles.
SELECT l.author_uid AS account, l.normalized AS target, epoch_us(l.created_at) AS t_us, l.post_uid AS item,
       CAST(NULL AS BIGINT) AS target_us
FROM post_links l JOIN posts p ON p.uid = l.post_uid
WHERE l.normalized IS NOT NULL AND l.author_uid IS NOT NULL AND l.created_at IS NOT NULL
  AND p.kind <> 'repost'
  AND NOT regexp_matches(l.normalized, '^https?://((www|mobile)\.)?(x|twitter)\.com/[^/]+/status/')
  AND NOT regexp_matches(l.normalized, '^https?://bsky\.app/profile/[^/]+/post/')
GROUP BY ALL

-- name: domain
-- The registered domain of each shared link on each (UTC) day (outside reposts and the platforms' own
-- post links): a group promoting the same outlets day after day, whatever the article. The day is part
-- of the target so that repetition is counted in outlet-days, not in the handful of outlets a network
-- uses. Popular outlets are capped per bucket by the layer.
SELECT l.author_uid AS account, l.domain || ' ' || strftime(l.created_at, '%Y-%m-%d') AS target, epoch_us(l.created_at) AS t_us, l.post_uid AS item,
       CAST(NULL AS BIGINT) AS target_us
FROM post_links l JOIN posts p ON p.uid = l.post_uid
WHERE l.domain IS NOT NULL AND l.author_uid IS NOT NULL AND l.created_at IS NOT NULL
  AND p.kind <> 'repost'
  AND l.domain NOT IN ('x.com', 'twitter.com', 't.co', 'bsky.app', 'bsky.social', 'go.bsky.app')
GROUP BY ALL

-- name: hashtag
-- _co_tagmap (tag, norm) holds each stored tag's NFKC, case-folded form, built in Python from the distinct
-- tags. Only distinctive tags count: those used by at most $max_accounts distinct accounts. With $by_day
-- (the hashtag_day layer) the target is the tag on one UTC day: personas and low-and-slow networks push
-- their tags day after day, hours apart, so repetition is counted in tag-days.
WITH tags AS (
    SELECT h.author_uid AS account, '#' || m.norm AS tag,
           CASE WHEN $by_day THEN '#' || m.norm || ' ' || strftime(h.created_at, '%Y-%m-%d')
                ELSE '#' || m.norm END AS target,
           epoch_us(h.created_at) AS t_us, h.post_uid AS item
    FROM post_hashtags h JOIN _co_tagmap m ON m.tag = h.tag JOIN posts p ON p.uid = h.post_uid
    WHERE h.author_uid IS NOT NULL AND h.created_at IS NOT NULL AND p.kind <> 'repost' AND m.norm <> ''
    GROUP BY ALL
), spread AS (
    SELECT tag FROM tags GROUP BY tag HAVING count(DISTINCT account) <= $max_accounts
)
SELECT t.account, t.target, t.t_us, t.item, CAST(NULL AS BIGINT) AS target_us
FROM tags t JOIN spread s ON s.tag = t.tag

-- name: text
-- Without copy-paste clusters: identical text after lower-casing and removing links and @mentions.
WITH norm AS (
    SELECT author_uid AS account, uid AS item, epoch_us(created_at) AS t_us,
           trim(regexp_replace(regexp_replace(lower(text), '(https?://\S+)|(@\S+)', ' ', 'g'), '\s+', ' ', 'g'))
               AS body
    FROM posts
    WHERE kind <> 'repost' AND text IS NOT NULL AND author_uid IS NOT NULL AND created_at IS NOT NULL
)
SELECT account, 'text:' || md5(body) AS target, t_us, item, CAST(NULL AS BIGINT) AS target_us
FROM norm WHERE length(body) >= $min_chars

-- name: text_clusters
-- With copy-paste clusters (kagami.detect.dupes.build_text_clusters has run): the post's near-duplicate
-- cluster, so paraphrases of one text count as the same target.
SELECT p.author_uid AS account, 'text:' || c.cluster_id AS target, epoch_us(p.created_at) AS t_us,
       p.uid AS item, CAST(NULL AS BIGINT) AS target_us
FROM posts p JOIN post_text_cluster c ON c.post_uid = p.uid
WHERE p.created_at IS NOT NULL AND p.author_uid IS NOT NULL
