-- Amplification bursts: per target post, its reposts, quotes and likes in the first $horizon_s seconds,
-- judged against its author's own baseline, with the share coming from young, automated or coordinated
-- accounts. Needs `_am_auto(account_uid)` (automated accounts) and `_am_coord(account_uid)`
-- (coordinated accounts), staged by amplification.py. Parameters: $horizon_s, $bucket_s,
-- $min_engagements, $min_baseline_posts, $young_days, $mad_floor, $has_auto, $has_coord.

-- Engagements with a time, never the author's own.
CREATE OR REPLACE TEMP TABLE _am_ev AS
WITH e AS (
    SELECT ref_uid AS target_uid, author_uid AS actor_uid, 'repost' AS kind, created_at AS t
    FROM posts WHERE kind = 'repost' AND ref_uid IS NOT NULL
    UNION ALL
    SELECT quote_of_uid, author_uid, 'quote', created_at FROM posts WHERE quote_of_uid IS NOT NULL
    UNION ALL
    SELECT target_uid, actor_uid, 'like', created_at
    FROM actions WHERE kind = 'like' AND target_kind = 'post' AND target_uid IS NOT NULL
)
SELECT e.target_uid, p.author_uid, e.actor_uid, e.kind, e.t, p.created_at AS t0
FROM e JOIN posts p ON p.uid = e.target_uid
WHERE e.t IS NOT NULL AND p.created_at IS NOT NULL AND e.actor_uid IS DISTINCT FROM p.author_uid
  AND e.t >= p.created_at AND e.t < p.created_at + to_seconds($horizon_s);

-- Every post that can be engaged with, and its engagements in the horizon (0 when none).
CREATE OR REPLACE TEMP TABLE _am_post AS
SELECT p.uid AS target_uid, p.author_uid, p.platform, coalesce(c.n, 0) AS n, ln(1 + coalesce(c.n, 0)) AS y
FROM posts p
LEFT JOIN (SELECT target_uid, count(*) AS n FROM _am_ev GROUP BY target_uid) c ON c.target_uid = p.uid
WHERE p.kind <> 'repost' AND p.created_at IS NOT NULL AND p.author_uid IS NOT NULL;

-- Baselines on log(1 + n): the author's median and MAD, or the platform's when the author has few posts.
CREATE OR REPLACE TEMP TABLE _am_base AS
WITH a AS (
    SELECT author_uid, count(*) AS k, median(y) AS med FROM _am_post GROUP BY author_uid
), am AS (
    SELECT p.author_uid, a.k, a.med, median(abs(p.y - a.med)) AS mad
    FROM _am_post p JOIN a USING (author_uid) GROUP BY p.author_uid, a.k, a.med
), pl AS (
    SELECT platform, median(y) AS med FROM _am_post GROUP BY platform
), pm AS (
    SELECT p.platform, pl.med, median(abs(p.y - pl.med)) AS mad
    FROM _am_post p JOIN pl USING (platform) GROUP BY p.platform, pl.med
), who AS (SELECT DISTINCT author_uid, platform FROM _am_post)
SELECT w.author_uid,
       CASE WHEN am.k >= $min_baseline_posts THEN 'author' ELSE 'platform' END AS baseline_kind,
       am.k AS baseline_posts,
       CASE WHEN am.k >= $min_baseline_posts THEN am.med ELSE pm.med END AS med,
       CASE WHEN am.k >= $min_baseline_posts THEN am.mad ELSE pm.mad END AS mad
FROM who w JOIN am USING (author_uid) JOIN pm USING (platform);

CREATE OR REPLACE TABLE amplification_series AS
SELECT target_uid,
       t0 + to_seconds(floor(date_diff('second', t0, t) / $bucket_s) * $bucket_s) AS t,
       count(*) FILTER (WHERE kind = 'repost') AS reposts,
       count(*) FILTER (WHERE kind = 'quote') AS quotes,
       count(*) FILTER (WHERE kind = 'like') AS likes
FROM _am_ev
GROUP BY ALL
ORDER BY target_uid, t;

CREATE OR REPLACE TABLE amplification AS
WITH f AS (
    SELECT e.*,
           date_diff('second', a.created_at, e.t) < $young_days * 86400 AS young,
           a.created_at IS NOT NULL AS age_known,
           e.actor_uid IN (SELECT account_uid FROM _am_auto) AS automated,
           e.actor_uid IN (SELECT account_uid FROM _am_coord) AS coordinated
    FROM _am_ev e LEFT JOIN accounts a ON a.uid = e.actor_uid
), g AS (
    SELECT target_uid, any_value(author_uid) AS author_uid, min(t) AS first_t,
           count(*) FILTER (WHERE kind = 'repost') AS reposts,
           count(*) FILTER (WHERE kind = 'quote') AS quotes,
           count(*) FILTER (WHERE kind = 'like') AS likes,
           count(*) AS n, count(DISTINCT actor_uid) AS engagers,
           avg(CASE WHEN young THEN 1.0 ELSE 0.0 END) AS young_share,
           avg(CASE WHEN age_known THEN 1.0 ELSE 0.0 END) AS age_known_share,
           CASE WHEN $has_auto THEN avg(CASE WHEN automated THEN 1.0 ELSE 0.0 END) END AS automated_share,
           CASE WHEN $has_coord THEN avg(CASE WHEN coordinated THEN 1.0 ELSE 0.0 END) END AS coordinated_share,
           avg(CASE WHEN young OR automated OR coordinated THEN 1.0 ELSE 0.0 END) AS inauthentic_share
    FROM f GROUP BY target_uid
), peak AS (
    SELECT target_uid, t AS peak_t FROM amplification_series
    QUALIFY row_number() OVER (PARTITION BY target_uid ORDER BY reposts + quotes + likes DESC, t) = 1
)
SELECT g.target_uid, g.author_uid, g.first_t, peak.peak_t, g.reposts, g.quotes, g.likes,
       exp(b.med) - 1 AS baseline,
       (ln(1 + g.n) - b.med) / greatest(1.4826 * b.mad, $mad_floor) AS burst_z,
       g.young_share, g.automated_share, g.coordinated_share, g.inauthentic_share,
       g.engagers, g.age_known_share, b.baseline_kind, b.baseline_posts
FROM g
JOIN peak USING (target_uid)
JOIN _am_base b ON b.author_uid = g.author_uid
WHERE g.n >= $min_engagements
ORDER BY burst_z DESC, g.target_uid;
