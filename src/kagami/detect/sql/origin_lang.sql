-- Per-account language indicators. The features depend on a post's text alone: Python computes them once
-- per distinct text (_ola_text: text, lang, simplified, mt, mt_score) and `features` joins them back to
-- the posts (_ola_feat). See origin_lang.py.

-- name: texts
-- The distinct texts whose language is read: not reposts (their text is someone else's), and only the
-- accounts asked for when $some.
SELECT DISTINCT text FROM posts
WHERE kind IS DISTINCT FROM 'repost' AND text IS NOT NULL AND (NOT $some OR list_contains($accounts, author_uid))
ORDER BY text

-- name: features
CREATE OR REPLACE TEMP TABLE _ola_feat AS
SELECT p.uid AS post_uid, p.author_uid, p.created_at, t.lang, t.simplified, t.mt, t.mt_score
FROM posts p JOIN _ola_text t ON p.text = t.text
WHERE p.kind IS DISTINCT FROM 'repost' AND (NOT $some OR list_contains($accounts, p.author_uid))
ORDER BY p.uid  -- the order the sums below add in: the same floats on every run

-- name: accounts
INSERT INTO origin_language
WITH decided AS (
    SELECT author_uid, lang, lag(lang) OVER (PARTITION BY author_uid ORDER BY created_at, post_uid) AS prev
    FROM _ola_feat WHERE lang IN ('ja', 'zh', 'en', 'ko', 'ru')
), sw AS (
    SELECT author_uid, count(*) FILTER (WHERE prev IS NOT NULL AND prev <> lang) AS switches
    FROM decided GROUP BY ALL
), mix AS (
    SELECT author_uid, string_agg(lang || ':' || round(n / total, 3), ',' ORDER BY n DESC, lang) AS lang_mix
    FROM (SELECT author_uid, lang, count(*) AS n, sum(count(*)) OVER (PARTITION BY author_uid) AS total
          FROM _ola_feat GROUP BY author_uid, lang)
    GROUP BY ALL
), chars AS (
    SELECT author_uid, list(struct_pack(ch := ch, n := n) ORDER BY n DESC, ch)[1:10] AS top_chars
    FROM (SELECT author_uid, ch, count(*) AS n
          FROM (SELECT author_uid, unnest(string_split(simplified, '')) AS ch FROM _ola_feat WHERE simplified <> '')
          GROUP BY ALL)
    GROUP BY ALL
), pats AS (
    SELECT author_uid, map_from_entries(list(struct_pack(k := name, v := n) ORDER BY name)) AS mt_patterns
    FROM (SELECT author_uid, name, count(*) AS n
          FROM (SELECT author_uid, unnest(mt) AS name FROM _ola_feat) GROUP BY ALL)
    GROUP BY ALL
), acc AS (
    SELECT author_uid, count(*) AS n_posts, count(*) FILTER (WHERE lang = 'ja') AS n_ja,
           count(*) FILTER (WHERE lang = 'ja' AND simplified <> '') AS k_simpl,
           coalesce(sum(mt_score) FILTER (WHERE lang = 'ja'), 0.0) AS mt_sum,
           list(post_uid ORDER BY mt_score + (simplified <> '')::INT DESC, created_at, post_uid)
               FILTER (WHERE simplified <> '' OR mt_score > 0)[1:5] AS examples
    FROM _ola_feat GROUP BY ALL
)
SELECT a.author_uid, a.n_posts, a.n_ja,
       CASE WHEN a.n_ja > 0 THEN a.k_simpl / a.n_ja ELSE 0.0 END,
       CASE WHEN a.n_ja > 0 THEN a.mt_sum / a.n_ja ELSE 0.0 END,
       m.lang_mix, coalesce(s.switches, 0),
       (a.k_simpl + a.mt_sum) / (a.k_simpl + a.mt_sum + $prior),
       CAST(to_json(struct_pack(japanese_posts := a.n_ja, posts_with_simplified := a.k_simpl,
                                trace_score_sum := round(a.mt_sum, 3), top_simplified := c.top_chars,
                                mt_patterns := p.mt_patterns, example_posts := a.examples)) AS VARCHAR)
FROM acc a LEFT JOIN mix m USING (author_uid) LEFT JOIN sw s USING (author_uid)
LEFT JOIN chars c USING (author_uid) LEFT JOIN pats p USING (author_uid)
ORDER BY a.author_uid
