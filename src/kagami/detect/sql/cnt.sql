-- coordination-network-toolkit 1.5.2's co-action networks, re-expressed over Kagami's store.
-- Events: (account, target, item, t_us). Sections are introduced by "-- name: <network>".

-- name: co_retweet
-- Its `edge.repost_id`: Kagami's reposts and the post they repost.
SELECT author_uid AS account, ref_uid AS target, uid AS item, epoch_us(created_at) AS t_us
FROM posts
WHERE kind = 'repost' AND ref_uid IS NOT NULL AND author_uid IS NOT NULL AND created_at IS NOT NULL

-- name: co_link
-- Its `message_url`: the URLs as written (not normalised) of messages that are not reposts, one row per
-- (message, url); never the '' its CSV reader makes of an empty field (its issue #46).
SELECT DISTINCT l.author_uid AS account, l.url AS target, l.post_uid AS item, epoch_us(l.created_at) AS t_us
FROM post_links l JOIN posts p ON p.uid = l.post_uid
WHERE p.kind <> 'repost' AND l.url IS NOT NULL AND l.url <> '' AND l.author_uid IS NOT NULL
  AND l.created_at IS NOT NULL

-- name: co_tweet
-- Its message_preprocessor: lower-case, delete every "@" up to the next white space, collapse white space
-- (Python's str.split) and trim; identical results match, the empty text included.
SELECT author_uid AS account,
       regexp_replace(regexp_replace(
           regexp_replace(lower(coalesce(text, '')),
               '@[^\t\n\x{0b}\f\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*',
               '', 'g'),
           '[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+',
           ' ', 'g'),
           '^ | $', '', 'g') AS target,
       uid AS item, epoch_us(created_at) AS t_us
FROM posts
WHERE kind <> 'repost' AND author_uid IS NOT NULL AND created_at IS NOT NULL

-- name: directed
-- Symmetric, inclusive window; weight(u1 -> u2) = distinct messages of u1 matched by at least one message
-- of u2 on the same target within the window. Self-matches are left out (its export drops them too).
-- Pairs come from the same time-bucketed band join as Kagami's layers, with no cap. Accounts, targets and
-- items are joined and counted as integers (arbitrary but unique numbers), named again only at the end.
CREATE OR REPLACE TEMP TABLE _cnt_acct AS
SELECT account, CAST(row_number() OVER () AS INTEGER) AS a FROM (SELECT DISTINCT account FROM _cnt_ev);

CREATE OR REPLACE TEMP TABLE _cnt_edges AS
WITH t AS (
    SELECT target, CAST(row_number() OVER () AS INTEGER) AS x FROM (SELECT DISTINCT target FROM _cnt_ev)
), i AS (
    SELECT item, CAST(row_number() OVER () AS BIGINT) AS y FROM (SELECT DISTINCT item FROM _cnt_ev)
), b AS (
    SELECT a.a AS account, t.x AS target, i.y AS item, t_us, CAST(floor(t_us / $width) AS BIGINT) AS bucket
    FROM _cnt_ev e JOIN _cnt_acct a USING (account) JOIN t USING (target) JOIN i USING (item)
), e2 AS (
    SELECT account, target, item, t_us, bucket, bucket AS k FROM b
    UNION ALL
    SELECT account, target, item, t_us, bucket, bucket - 1 AS k FROM b
), m AS (
    SELECT e1.account AS u1, e2.account AS u2, e1.item AS i1, e2.item AS i2
    FROM b e1 JOIN e2 ON e2.target = e1.target AND e2.k = e1.bucket
    WHERE e1.account <> e2.account AND abs(e1.t_us - e2.t_us) <= $w_us
      AND (e2.bucket > e1.bucket OR e1.account < e2.account)
), d AS (
    SELECT u1 AS user_1, u2 AS user_2, i1 AS item FROM m
    UNION ALL
    SELECT u2 AS user_1, u1 AS user_2, i2 AS item FROM m
)
SELECT a1.account AS user_1, a2.account AS user_2, w.weight
FROM (
    SELECT user_1, user_2, count(*) AS weight
    FROM (SELECT DISTINCT user_1, user_2, item FROM d) AS dd
    GROUP BY user_1, user_2 HAVING count(*) >= $min_weight
) w JOIN _cnt_acct a1 ON a1.a = w.user_1 JOIN _cnt_acct a2 ON a2.a = w.user_2
