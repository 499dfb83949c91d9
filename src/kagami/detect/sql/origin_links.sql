-- Link and amplification indicators. Staged inputs: _oli_watch (the usable rows of every watchlist, with
-- indicator 'state_media' or 'io_watchlist'), _oli_look (host, matched, method, score) from
-- origin_lookalike.py, _oli_handles (handle, label, source). See origin_links.py.

-- name: links
CREATE OR REPLACE TEMP TABLE _oli_links AS
SELECT l.post_uid, l.author_uid, l.domain, coalesce(p.kind, 'post') AS via,
       lower(regexp_extract(l.normalized, '^[a-z]+://([^/?#:]+)', 1)) AS host
FROM post_links l JOIN posts p ON p.uid = l.post_uid
WHERE l.normalized IS NOT NULL

-- name: hosts
-- Every suffix of every distinct host (a.b.c -> a.b.c, b.c, c): domain rows then match by equality.
CREATE OR REPLACE TEMP TABLE _oli_suffix AS
WITH h AS (SELECT DISTINCT host, string_split(host, '.') AS parts FROM _oli_links WHERE host <> '')
SELECT host, array_to_string(parts[i:], '.') AS suffix
FROM (SELECT host, parts, unnest(generate_series(1, len(parts))) AS i FROM h)

-- name: output
-- A repost carries its original's links: it counts at $repost_weight of a post's score.
CREATE OR REPLACE TABLE origin_links AS
WITH hits AS (
    SELECT s.host, w.indicator, w.domain AS matched, w.operation, w.source, w.weight AS score
    FROM _oli_suffix s JOIN _oli_watch w ON w.match = 'domain' AND w.domain = s.suffix
    UNION ALL
    SELECT h.host, w.indicator, w.domain, w.operation, w.source, $contains_weight * w.weight
    FROM (SELECT DISTINCT host FROM _oli_suffix) h JOIN _oli_watch w
         ON w.match = 'contains' AND contains(h.host, w.domain)
    UNION ALL
    SELECT h.host, w.indicator, w.domain, w.operation, w.source, $contains_weight * w.weight
    FROM (SELECT DISTINCT host FROM _oli_suffix) h JOIN _oli_watch w
         ON w.match = 'pattern' AND regexp_matches(h.host, w.domain)
    UNION ALL
    SELECT host, 'lookalike', matched, method, 'detect/data/outlets.csv', score FROM _oli_look
), best AS (
    SELECT * FROM hits
    QUALIFY row_number() OVER (PARTITION BY host, indicator ORDER BY score DESC, matched, operation) = 1
), linked AS (
    SELECT DISTINCT l.post_uid, l.author_uid, l.domain, b.indicator, b.matched, b.operation, b.source, l.via,
           b.score * CASE WHEN l.via = 'repost' THEN $repost_weight ELSE 1.0 END AS score
    FROM _oli_links l JOIN best b USING (host)
), amplified AS (
    -- reposts, quotes and replies of a listed handle's posts, and mentions of it
    SELECT p.uid AS post_uid, p.author_uid, CAST(NULL AS VARCHAR) AS domain, 'state_handle' AS indicator,
           '@' || h.handle AS matched, h.label AS operation, h.source, coalesce(p.kind, 'post') AS via,
           $handle_weight * CASE WHEN p.kind = 'repost' THEN $repost_weight ELSE 1.0 END AS score
    FROM posts p JOIN accounts a ON a.uid IN (p.ref_author_uid, p.reply_to_author_uid)
    JOIN _oli_handles h ON h.handle = lower(a.handle)
    WHERE p.author_uid <> a.uid
    UNION
    SELECT m.uid, m.author_uid, NULL, 'state_handle', '@' || h.handle, h.label, h.source, 'mention',
           $handle_weight
    FROM (SELECT uid, author_uid, unnest(mentions) AS mt FROM posts WHERE kind IS DISTINCT FROM 'repost') m
    JOIN _oli_handles h ON h.handle = lower(ltrim(m.mt.handle, '@'))
    LEFT JOIN accounts a ON a.uid = m.author_uid
    WHERE lower(coalesce(a.handle, '')) <> h.handle
)
SELECT * FROM linked
UNION ALL
SELECT * FROM amplified
ORDER BY post_uid, indicator, matched

-- name: accounts
-- Per account: posts carrying each indicator, the domains and handles involved, and a confidence from the
-- summed scores (one post per indicator kind counts at its best score).
CREATE OR REPLACE TABLE origin_link_accounts AS
WITH per_post AS (
    SELECT author_uid, post_uid, indicator, max(score) AS score FROM origin_links GROUP BY ALL
), posts_n AS (
    SELECT author_uid, count(*) AS n_posts FROM posts GROUP BY ALL
), agg AS (
    SELECT author_uid,
           count(DISTINCT post_uid) FILTER (WHERE indicator = 'state_media') AS state_media_posts,
           count(DISTINCT post_uid) FILTER (WHERE indicator = 'io_watchlist') AS io_posts,
           count(DISTINCT post_uid) FILTER (WHERE indicator = 'lookalike') AS lookalike_posts,
           count(DISTINCT post_uid) FILTER (WHERE indicator = 'state_handle') AS state_handle_posts,
           sum(score) AS score_sum
    FROM per_post GROUP BY ALL
), top AS (
    SELECT author_uid, list(struct_pack(indicator := indicator, matched := matched, n := n)
                            ORDER BY n DESC, indicator, matched)[1:10] AS top_matches
    FROM (SELECT author_uid, indicator, matched, count(DISTINCT post_uid) AS n FROM origin_links GROUP BY ALL)
    GROUP BY ALL
)
SELECT a.author_uid AS account_uid, coalesce(p.n_posts, 0) AS n_posts, a.state_media_posts, a.io_posts,
       a.lookalike_posts, a.state_handle_posts, a.score_sum / (a.score_sum + $prior) AS confidence,
       CAST(to_json(struct_pack(top_matches := t.top_matches, score_sum := round(a.score_sum, 3))) AS VARCHAR)
           AS evidence
FROM agg a LEFT JOIN posts_n p USING (author_uid) LEFT JOIN top t USING (author_uid)
ORDER BY account_uid
