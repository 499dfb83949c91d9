-- Per-account language indicators from the per-post features staged in _ola_feat (post_uid, author_uid,
-- created_at, lang, simplified, mt, mt_score). See origin_lang.py.

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
