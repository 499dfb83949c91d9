-- Narratives: staging the posts to cluster, then members, volume and the narratives table from the
-- partition Python computed (nv_assign: post_uid, part, score). Sections are run one at a time.

-- name: posts
-- Posts that say something of their own: not reposts, with text. Sorted so every run sees one order.
CREATE OR REPLACE TEMP TABLE nv_posts AS
SELECT uid, author_uid, created_at, text
FROM posts
WHERE kind IS DISTINCT FROM 'repost' AND text IS NOT NULL AND length(text) >= $min_chars
ORDER BY uid;

-- name: output
-- Parts big enough (posts and distinct accounts) become narratives, numbered by size then first post.
CREATE OR REPLACE TEMP TABLE nv_kept AS
SELECT a.part, count(*) AS size, count(DISTINCT p.author_uid) AS accounts, min(a.post_uid) AS first_uid
FROM nv_assign a JOIN nv_posts p ON p.uid = a.post_uid
GROUP BY a.part
HAVING count(*) >= $min_posts AND count(DISTINCT p.author_uid) >= $min_accounts;

CREATE OR REPLACE TABLE narrative_members AS
SELECT i.narrative_id, a.post_uid, a.score
FROM nv_assign a
JOIN (SELECT part, row_number() OVER (ORDER BY size DESC, first_uid) AS narrative_id FROM nv_kept) i
  ON i.part = a.part
ORDER BY i.narrative_id, a.score DESC, a.post_uid;

-- Buckets of $bucket_us microseconds, aligned to midnight at UTC+$offset_us (JST by default).
CREATE OR REPLACE TABLE narrative_volume AS
SELECT m.narrative_id,
       to_timestamp((floor((epoch_us(p.created_at) + $offset_us) / $bucket_us) * $bucket_us - $offset_us)
                    / 1e6) AS bucket_start,
       count(*) AS posts, count(DISTINCT p.author_uid) AS accounts
FROM narrative_members m JOIN nv_posts p ON p.uid = m.post_uid
WHERE p.created_at IS NOT NULL
GROUP BY ALL
ORDER BY ALL;

CREATE OR REPLACE TABLE narratives AS
WITH peak AS (
    SELECT narrative_id, bucket_start AS peak_t
    FROM narrative_volume
    QUALIFY row_number() OVER (PARTITION BY narrative_id ORDER BY posts DESC, bucket_start) = 1
)
SELECT m.narrative_id, count(*) AS size, count(DISTINCT p.author_uid) AS accounts,
       CAST(NULL AS VARCHAR) AS label, CAST([] AS VARCHAR[]) AS top_terms,
       min(p.created_at) AS first_t, max(p.created_at) AS last_t, any_value(peak.peak_t) AS peak_t
FROM narrative_members m
JOIN nv_posts p ON p.uid = m.post_uid
LEFT JOIN peak ON peak.narrative_id = m.narrative_id
GROUP BY m.narrative_id
ORDER BY m.narrative_id;

-- name: label_docs
-- The $label_docs best-placed posts of each narrative, for its label.
SELECT m.narrative_id, p.text
FROM narrative_members m JOIN nv_posts p ON p.uid = m.post_uid
QUALIFY row_number() OVER (PARTITION BY m.narrative_id ORDER BY m.score DESC, m.post_uid) <= $label_docs
ORDER BY m.narrative_id, m.score DESC, m.post_uid;

-- name: labels
UPDATE narratives SET label = l.label, top_terms = l.top_terms
FROM nv_labels l WHERE l.narrative_id = narratives.narrative_id;
