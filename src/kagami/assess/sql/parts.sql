-- The parts of each campaign's record (kagami.assess.campaigns), one query per part, every row keyed by
-- community_id. Reads assess_verdicts / assess_groups (judge.sql) and the detectors' tables.
-- Parameters: $top (rows per part), $evidence (evidence items per campaign), $alpha.

-- name: members
-- Campaign accounts: flagged members, hubs and participants (see judge.sql).
CREATE OR REPLACE TEMP TABLE cp_members AS
SELECT v.community_id, v.uid, v.role, v.score
FROM assess_verdicts v JOIN assess_groups g ON g.community_id = v.community_id
WHERE g.is_campaign AND v.flagged;

-- name: posts
-- Every post by a member (its own posts, reposts and quotes), for the parts below.
CREATE OR REPLACE TEMP TABLE cp_posts AS
SELECT m.community_id, p.uid, p.platform, p.author_uid, p.created_at, p.kind, p.ref_uid, p.quote_of_uid,
       p.reply_to_uid, p.links, p.hashtags, p.raw_sha256
FROM cp_members m JOIN posts p ON p.author_uid = m.uid;

-- name: summary
SELECT community_id, min(created_at) AS first_t, max(created_at) AS last_t, list(DISTINCT platform ORDER BY platform)
FROM cp_posts GROUP BY community_id;

-- name: accounts
SELECT m.community_id, m.uid, a.platform, a.id, a.handle, m.role, m.score
FROM cp_members m LEFT JOIN accounts a ON a.uid = m.uid
ORDER BY m.community_id, CASE m.role WHEN 'member' THEN 0 WHEN 'hub' THEN 1 ELSE 2 END, m.score DESC, m.uid;

-- name: targets
-- The posts members engaged with most (repost, quote, reply, like), with their text.
WITH e AS (
    SELECT community_id, coalesce(ref_uid, quote_of_uid, reply_to_uid) AS target FROM cp_posts
    WHERE coalesce(ref_uid, quote_of_uid, reply_to_uid) IS NOT NULL
    UNION ALL
    SELECT m.community_id, x.target_uid FROM cp_members m
    JOIN actions x ON x.actor_uid = m.uid AND x.kind = 'like' AND x.target_kind = 'post'
), n AS (
    SELECT community_id, target, count(*) AS engagements,
           row_number() OVER (PARTITION BY community_id ORDER BY count(*) DESC, target) AS r
    FROM e GROUP BY community_id, target
)
SELECT n.community_id, n.target, p.author_uid, a.handle, p.text, n.engagements
FROM n LEFT JOIN posts p ON p.uid = n.target LEFT JOIN accounts a ON a.uid = p.author_uid
WHERE n.r <= $top ORDER BY n.community_id, n.r;

-- name: links
WITH l AS (SELECT community_id, uid, unnest(links) AS l FROM cp_posts WHERE kind <> 'repost'),
n AS (
    SELECT community_id, l.domain AS domain, min(coalesce(l.normalized, l.expanded, l.url)) AS url,
           count(DISTINCT uid) AS posts,
           row_number() OVER (PARTITION BY community_id ORDER BY count(DISTINCT uid) DESC, l.domain) AS r
    FROM l GROUP BY community_id, l.domain
)
SELECT community_id, domain, url, posts FROM n WHERE r <= $top ORDER BY community_id, r;

-- name: hashtags
WITH t AS (SELECT community_id, uid, lower(unnest(hashtags)) AS tag FROM cp_posts WHERE kind <> 'repost'),
n AS (
    SELECT community_id, tag, count(DISTINCT uid) AS posts,
           row_number() OVER (PARTITION BY community_id ORDER BY count(DISTINCT uid) DESC, tag) AS r
    FROM t GROUP BY community_id, tag
)
SELECT community_id, tag, posts FROM n WHERE r <= $top ORDER BY community_id, r;

-- name: narratives
WITH n AS (
    SELECT c.community_id, m.narrative_id, count(*) AS posts,
           row_number() OVER (PARTITION BY c.community_id ORDER BY count(*) DESC, m.narrative_id) AS r
    FROM cp_posts c JOIN narrative_members m ON m.post_uid = c.uid GROUP BY c.community_id, m.narrative_id
)
SELECT n.community_id, n.narrative_id, x.label, x.top_terms, n.posts
FROM n JOIN narratives x USING (narrative_id) WHERE n.r <= $top ORDER BY n.community_id, n.r;

-- name: claims
SELECT c.community_id, k.claim_id, any_value(k.text), any_value(k.rating), count(DISTINCT c.uid) AS posts
FROM cp_posts c JOIN claim_matches m ON m.post_uid = c.uid JOIN claims k ON k.claim_id = m.claim_id
GROUP BY c.community_id, k.claim_id ORDER BY c.community_id, posts DESC, k.claim_id;

-- name: timeline
SELECT community_id, date_trunc('hour', created_at) AS t,
       count(*) FILTER (WHERE kind IN ('post', 'reply', 'quote')) AS posts,
       count(*) FILTER (WHERE kind IN ('repost', 'quote', 'reply')) AS engagements
FROM cp_posts WHERE created_at IS NOT NULL GROUP BY ALL ORDER BY community_id, t;

-- name: edges
-- The $max_edges strongest significant co-action edges between members, with their layers, and how many
-- there are in all (the network files hold them all; a large campaign has hundreds of thousands).
WITH e AS (
    SELECT ma.community_id, e.a, e.b, sum(e.weight) AS weight, list(DISTINCT e.layer ORDER BY e.layer) AS layers
    FROM coaction_edges e
    JOIN cp_members ma ON ma.uid = e.a JOIN cp_members mb ON mb.uid = e.b AND mb.community_id = ma.community_id
    WHERE e.qvalue <= $alpha GROUP BY ALL
)
SELECT community_id, a, b, weight, layers, count(*) OVER (PARTITION BY community_id) AS total
FROM e
QUALIFY row_number() OVER (PARTITION BY community_id ORDER BY weight DESC, a, b) <= $max_edges
ORDER BY community_id, weight DESC, a, b;

-- name: evidence
-- The strongest edges' closest co-actions: who did what to which target, when, with raw-payload hashes.
WITH ranked AS (
    SELECT ma.community_id, e.layer, e.a, e.b, e.n_targets, e.qvalue, e.median_gap_s,
           row_number() OVER (PARTITION BY ma.community_id ORDER BY e.weight DESC, e.a, e.b, e.layer) AS r
    FROM coaction_edges e
    JOIN cp_members ma ON ma.uid = e.a JOIN cp_members mb ON mb.uid = e.b AND mb.community_id = ma.community_id
    WHERE e.qvalue <= $alpha
), items AS (
    SELECT k.community_id, k.r, k.layer, k.a, k.b, k.n_targets, k.qvalue, k.median_gap_s, ev.target,
           ev.a_item, ev.b_item, ev.a_time, ev.b_time, ev.gap_s, ev.rank
    FROM ranked k JOIN coaction_evidence ev ON ev.layer = k.layer AND ev.a = k.a AND ev.b = k.b
    WHERE k.r <= $evidence AND ev.rank <= 3
)
SELECT i.community_id, i.r, i.layer, i.a, i.b, i.n_targets, i.qvalue, i.median_gap_s, i.target,
       i.a_item, i.b_item, i.a_time, i.b_time, i.gap_s, pa.raw_sha256, pb.raw_sha256
FROM items i LEFT JOIN posts pa ON pa.uid = i.a_item LEFT JOIN posts pb ON pb.uid = i.b_item
ORDER BY i.community_id, i.r, i.a_time, i.rank;

-- name: outside
-- Breakout: distinct accounts outside the campaign that engaged with members' posts, and how many of
-- them are large (followers >= 100k) or verified.
WITH own AS (SELECT community_id, uid FROM cp_posts WHERE kind <> 'repost'),
eng AS (
    SELECT o.community_id, p.author_uid AS actor FROM own o
    JOIN (SELECT author_uid, ref_uid AS target FROM posts WHERE ref_uid IS NOT NULL
          UNION ALL SELECT author_uid, quote_of_uid FROM posts WHERE quote_of_uid IS NOT NULL
          UNION ALL SELECT author_uid, reply_to_uid FROM posts WHERE reply_to_uid IS NOT NULL) p
      ON p.target = o.uid
    UNION
    SELECT o.community_id, x.actor_uid FROM own o JOIN actions x ON x.target_uid = o.uid AND x.kind = 'like'
)
SELECT e.community_id, count(DISTINCT e.actor) AS outside,
       count(DISTINCT e.actor) FILTER (WHERE a.followers >= 100000 OR a.verified) AS large
FROM eng e LEFT JOIN accounts a ON a.uid = e.actor
WHERE e.actor NOT IN (SELECT uid FROM cp_members m WHERE m.community_id = e.community_id)
GROUP BY e.community_id;
