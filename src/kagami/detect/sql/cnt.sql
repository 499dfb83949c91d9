-- coordination-network-toolkit 1.5.2's co-action networks, re-expressed over Kagami's store.
-- Events: (account, target, item, t_us). Sections are introduced by "-- name: <network>".
-- An item is the posts row's rowid: posts holds one row per uid (the store's key), so rowids name
-- messages as uids do, and are integers already.

-- name: co_retweet
-- Its `edge.repost_id`: Kagami's reposts and the post they repost.
SELECT author_uid AS account, ref_uid AS target, rowid AS item, epoch_us(created_at) AS t_us
FROM posts
WHERE kind = 'repost' AND ref_uid IS NOT NULL AND author_uid IS NOT NULL AND created_at IS NOT NULL
  AND uid IS NOT NULL

-- name: co_like
-- The toolkit has no like network; fed likes as reposts (its CSV's repost_id: the liked post), its
-- co_retweet computes this: the same definition over Kagami's likes (public on Bluesky), for the
-- 10M-action side-by-side case. Unlikes are not likes; a like of anything but a post is left out.
SELECT actor_uid AS account, target_uid AS target, rowid AS item, epoch_us(created_at) AS t_us
FROM actions
WHERE kind = 'like' AND target_kind = 'post' AND target_uid IS NOT NULL AND actor_uid IS NOT NULL
  AND created_at IS NOT NULL AND uid IS NOT NULL

-- name: co_link
-- Its `message_url`: the URLs as written (not normalised) of messages that are not reposts, one row per
-- (message, url); never the '' its CSV reader makes of an empty field (its issue #46).
SELECT DISTINCT account, target, item, t_us
FROM (
    SELECT author_uid AS account, unnest(links).url AS target, rowid AS item, epoch_us(created_at) AS t_us
    FROM posts
    WHERE kind <> 'repost' AND author_uid IS NOT NULL AND created_at IS NOT NULL AND uid IS NOT NULL
)
WHERE target IS NOT NULL AND target <> ''

-- name: co_tweet
-- Its message_preprocessor: lower-case, delete every "@" up to the next white space, collapse white space
-- (Python's str.split) and trim; identical results match, the empty text included. Each rewrite runs
-- only on the texts it can change (most have no "@" and only single spaces): a text-wide regexp_replace
-- per space costs seconds at a million posts, a test for what needs rewriting costs little. The same for
-- the trim: DuckDB's two-argument trim costs 0.16 s per 450k texts, a test of both ends almost nothing,
-- and a text that neither starts nor ends with ' ' is what the trim would return.
SELECT author_uid AS account,
       CASE WHEN starts_with(collapsed, ' ') OR ends_with(collapsed, ' ') THEN trim(collapsed, ' ')
            ELSE collapsed END AS target,
       item, t_us
FROM (
    SELECT author_uid, item, t_us,
           CASE WHEN regexp_matches(stripped,
                    '[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]{2}|[\t\n\x{0b}\f\r\x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]')
                THEN regexp_replace(stripped,
                    '[\t\n\x{0b}\f\r \x{1c}-\x{1f}\x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]+',
                    ' ', 'g')
                ELSE stripped END AS collapsed
    FROM (
        SELECT author_uid, item, t_us,
               CASE WHEN contains(lowered, '@')
                    THEN regexp_replace(lowered,
                        '@[^\t\n\x{0b}\f\r \x{85}\x{a0}\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}]*',
                        '', 'g')
                    ELSE lowered END AS stripped
        FROM (
            SELECT author_uid, rowid AS item, epoch_us(created_at) AS t_us, lower(coalesce(text, '')) AS lowered
            FROM posts
            WHERE kind <> 'repost' AND author_uid IS NOT NULL AND created_at IS NOT NULL AND uid IS NOT NULL
        )
    )
)

-- name: candidates
-- The events that can be matched at all: those with another event on the same target within the window
-- (the nearest one before or after it in time, per target). Leaving the others out changes no count
-- below. An account's previous message p on a target matters only when p is within the window of another
-- account's message on that target (the run-start test), and then p is kept. A message left out has no
-- other message within the window on any of its targets, and of a message with several targets the rows
-- kept are the ones that can be matched. On the 10M-action input 352,528 of 10,000,000 likes are kept,
-- on 1M tweets 38% of the retweets. Partitions are by the target's hash, not the target: a collision only
-- keeps more events, and the joins below compare the targets themselves. The module puts one of the
-- network sections above in place of the EVENTS placeholder (never input).
CREATE OR REPLACE TEMP TABLE _cnt_ev AS
SELECT account, target, item, t_us
FROM (
    SELECT *, t_us - lag(t_us) OVER w AS gap_before, lead(t_us) OVER w - t_us AS gap_after
    FROM (SELECT *, hash(target) AS h FROM (
{EVENTS}
    ))
    WINDOW w AS (PARTITION BY h ORDER BY t_us)
)
WHERE gap_before <= $w_us OR gap_after <= $w_us;

-- name: directed
-- Symmetric, inclusive window; weight(u1 -> u2) = distinct messages of u1 matched by at least one message
-- of u2 on the same target within the window. Self-matches are left out (its export drops them too).
-- Pairs come from the same time-bucketed band join as Kagami's layers, with no cap. Accounts and targets
-- are joined and counted as integers (arbitrary but unique numbers), named again only at the end.
--
-- Counting without DISTINCT: a message m1 of u1 on target x is matched by the run of u2's messages on x
-- within the window of m1 (u2's messages on x sorted by time, then item, form a sequence; those within
-- [t1 - w, t1 + w] are consecutive in it). Exactly one of them starts the run: the one whose predecessor
-- in u2's sequence is absent or earlier than t1 - w. So each matched (u1, u2, m1) is one pair row whose
-- u2 side starts its run, and counting those rows counts distinct messages. An account with one message
-- on x (nearly all) has no predecessor there, so every one of its rows counts. Only a message with
-- several targets (a post with several URLs, in co_link) can be matched on two targets; those rows are
-- counted with DISTINCT, apart.
CREATE OR REPLACE TEMP TABLE _cnt_acct AS
SELECT account, CAST(row_number() OVER () AS INTEGER) AS a FROM (SELECT DISTINCT account FROM _cnt_ev);

-- Events as integers, only on targets that two accounts act on (the others can pair with nothing: nearly
-- every text in co_tweet, most reposted posts); prev_us: the time of the account's previous message on
-- the target (NULL for the first), found only among the (account, target)s with several messages; multi:
-- the item has several targets.
CREATE OR REPLACE TEMP TABLE _cnt_b AS
WITH t AS (
    SELECT target, CAST(row_number() OVER () AS INTEGER) AS x
    FROM (SELECT target FROM _cnt_ev GROUP BY target HAVING min(account) < max(account))
), b AS (
    SELECT a.a AS account, t.x AS target, e.item, e.t_us, CAST(floor(e.t_us / $width) AS BIGINT) AS bucket
    FROM _cnt_ev e JOIN _cnt_acct a USING (account) JOIN t USING (target)
), rep AS (
    SELECT account, target FROM b GROUP BY account, target HAVING count(*) > 1
), prev AS (
    SELECT item AS p_item, target AS p_target,
           lag(t_us) OVER (PARTITION BY account, target ORDER BY t_us, item) AS prev_us
    FROM b SEMI JOIN rep USING (account, target)
), multi AS (
    SELECT item AS m_item FROM b GROUP BY item HAVING count(*) > 1
)
SELECT b.*, prev.prev_us, multi.m_item IS NOT NULL AS multi
FROM b LEFT JOIN prev ON prev.p_item = b.item AND prev.p_target = b.target
LEFT JOIN multi ON multi.m_item = b.item;

-- Directed weights from messages with several targets, counted apart with DISTINCT: each such message
-- meets every message of another account on any of its targets within the window (few or none).
CREATE OR REPLACE TEMP TABLE _cnt_s AS
SELECT user_1, user_2, count(*) AS n
FROM (
    SELECT DISTINCT e1.account AS user_1, e2.account AS user_2, e1.item
    FROM (SELECT * FROM _cnt_b WHERE multi) e1
    JOIN _cnt_b e2 ON e2.target = e1.target AND e2.bucket BETWEEN e1.bucket - 1 AND e1.bucket + 1
    WHERE e1.account <> e2.account AND abs(e1.t_us - e2.t_us) <= $w_us
)
GROUP BY user_1, user_2;

-- Every other direction from one band join that yields each unordered matched pair of messages once:
-- lo -> hi and hi -> lo are counted together, per unordered pair of accounts. A direction counts when
-- its source message has one target and the other side starts its account's run around it.
CREATE OR REPLACE TEMP TABLE _cnt_edges AS
WITH e2 AS (
    SELECT account, target, t_us, bucket, prev_us, multi, bucket AS k FROM _cnt_b
    UNION ALL
    SELECT account, target, t_us, bucket, prev_us, multi, bucket - 1 AS k FROM _cnt_b
), m AS (
    SELECT e1.account AS u1, e2.account AS u2,
           NOT e1.multi AND (e2.prev_us IS NULL OR e2.prev_us < e1.t_us - $w_us) AS c12,
           NOT e2.multi AND (e1.prev_us IS NULL OR e1.prev_us < e2.t_us - $w_us) AS c21
    FROM _cnt_b e1 JOIN e2 ON e2.target = e1.target AND e2.k = e1.bucket
    WHERE e1.account <> e2.account AND abs(e1.t_us - e2.t_us) <= $w_us
      AND (e2.bucket > e1.bucket OR e1.account < e2.account)
), f AS (
    SELECT least(u1, u2) AS lo, greatest(u1, u2) AS hi,
           count(*) FILTER (WHERE CASE WHEN u1 < u2 THEN c12 ELSE c21 END) AS n_lh,
           count(*) FILTER (WHERE CASE WHEN u1 < u2 THEN c21 ELSE c12 END) AS n_hl
    FROM m GROUP BY lo, hi
), touched AS (
    SELECT DISTINCT least(user_1, user_2) AS t_lo, greatest(user_1, user_2) AS t_hi FROM _cnt_s
), ft AS (
    SELECT f.*, touched.t_lo IS NOT NULL AS t FROM f LEFT JOIN touched ON t_lo = lo AND t_hi = hi
), d AS (
    SELECT lo AS user_1, hi AS user_2, n_lh AS n FROM ft WHERE n_lh >= $min_weight OR (t AND n_lh > 0)
    UNION ALL
    SELECT hi AS user_1, lo AS user_2, n_hl AS n FROM ft WHERE n_hl >= $min_weight OR (t AND n_hl > 0)
    UNION ALL
    SELECT user_1, user_2, n FROM _cnt_s
), w AS (
    SELECT user_1, user_2, sum(n) AS weight FROM d GROUP BY user_1, user_2 HAVING sum(n) >= $min_weight
)
SELECT a1.account AS user_1, a2.account AS user_2, CAST(w.weight AS BIGINT) AS weight
FROM w JOIN _cnt_acct a1 ON a1.a = w.user_1 JOIN _cnt_acct a2 ON a2.a = w.user_2
