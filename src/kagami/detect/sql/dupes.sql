-- Copy-paste clusters (kagami.detect.dupes). Temp tables _td_*; sections run one at a time.

-- name: posts
-- Every post that is a text of its own: reposts carry someone else's words and are left out.
CREATE OR REPLACE TEMP TABLE _td_posts AS
SELECT uid, author_uid, platform, created_at, text
FROM posts
WHERE kind IS DISTINCT FROM 'repost' AND text IS NOT NULL AND author_uid IS NOT NULL;

-- name: raw
SELECT DISTINCT text FROM _td_posts;

-- name: docs
-- One row per distinct comparable normalised text (the unit of comparison), numbered in text order so the
-- numbering depends on the texts only.
CREATE OR REPLACE TEMP TABLE _td_docs AS
SELECT CAST(row_number() OVER (ORDER BY norm) - 1 AS BIGINT) AS doc, norm
FROM (SELECT DISTINCT norm FROM _td_norm WHERE length(norm) >= $min_chars);

-- name: grams
-- Each document's hashed n-grams of units, in document order; repeats are dropped and each set sorted in
-- numpy (GramSets.of: one sort for all documents, cheaper than list_distinct and list_sort). Units: a
-- Latin word (letters and digits) or any other character, so Japanese is compared by characters and
-- space-delimited text by words; an n-gram is $n units, or $word_n when at least half the units are Latin
-- words (a word carries more than a character), joined by spaces; the whole text when it has fewer units
-- than that. A text with no Latin letter, digit or space (most Japanese) is split into its characters by
-- string_split(norm, ''): the same units, cheaper than the regular expression. The join is spelt out
-- for 1 to 3 units (array_to_string of a slice costs more).
WITH u AS (
    SELECT doc, norm, units,
           CASE WHEN NOT plain AND 2 * len(regexp_extract_all(norm, '[a-z0-9]+')) >= len(units)
                THEN $word_n ELSE $n END AS k
    FROM (SELECT doc, norm, plain,
                 CASE WHEN plain THEN string_split(norm, '')
                      ELSE regexp_extract_all(norm, '[a-z0-9]+|[^a-z0-9 ]') END AS units
          FROM (SELECT doc, norm, NOT regexp_matches(norm, '[a-z0-9 ]') AS plain FROM _td_docs))
)
SELECT CASE WHEN len(units) < k THEN [hash(norm)] ELSE
           list_transform(range(1, len(units) - k + 2), lambda i: hash(
               CASE k WHEN 1 THEN units[i]
                      WHEN 2 THEN units[i] || ' ' || units[i + 1]
                      WHEN 3 THEN units[i] || ' ' || units[i + 1] || ' ' || units[i + 2]
                      ELSE array_to_string(units[i:i + k - 1], ' ') END)) END AS grams
FROM u ORDER BY doc;

-- name: post_docs
CREATE OR REPLACE TEMP TABLE _td_pd AS
SELECT p.uid, p.author_uid, p.platform, p.created_at, p.text, d.doc
FROM _td_posts p JOIN _td_norm n ON n.text = p.text JOIN _td_docs d ON d.norm = n.norm;

-- name: members
-- Posts of every component holding at least two posts; the first post (earliest, then smallest uid) is
-- the exemplar. The cluster id hashes the component's smallest normalised text, which is its smallest
-- document's (documents are numbered in text order). Each member's similarity to the exemplar (the
-- Jaccard of their texts) is computed in Python for the distinct (doc, first_doc) pairs (section
-- exemplar_pairs) and staged as _td_sim.
CREATE OR REPLACE TEMP TABLE _td_m AS
WITH m AS (
    SELECT pd.*, coalesce(c.comp, pd.doc) AS comp FROM _td_pd pd LEFT JOIN _td_comp c ON c.doc = pd.doc
),
big AS (SELECT comp, min(doc) AS low FROM m GROUP BY comp HAVING count(*) >= 2),
ranked AS (
    SELECT m.*, big.low, row_number() OVER (PARTITION BY m.comp ORDER BY created_at NULLS LAST, uid) AS rank
    FROM m JOIN big USING (comp)
),
named AS (
    SELECT r.comp, 'tc-' || substr(md5(d.norm), 1, 16) AS cluster_id, r.doc AS first_doc
    FROM ranked r JOIN _td_docs d ON d.doc = r.low WHERE r.rank = 1
)
SELECT n.cluster_id, n.first_doc, r.* EXCLUDE (low) FROM ranked r JOIN named n USING (comp);

-- name: exemplar_pairs
SELECT DISTINCT doc AS a, first_doc AS b FROM _td_m WHERE doc <> first_doc;

-- name: clusters
CREATE OR REPLACE TABLE text_clusters AS
SELECT cluster_id, count(*) AS size, count(DISTINCT author_uid) AS accounts,
       list_sort(list_distinct(list(platform))) AS platforms,
       any_value(uid) FILTER (WHERE rank = 1) AS first_post_uid,
       any_value(author_uid) FILTER (WHERE rank = 1) AS first_author_uid,
       min(created_at) AS first_t, max(created_at) AS last_t,
       epoch(max(created_at)) - epoch(min(created_at)) AS spread_s,
       any_value(text) FILTER (WHERE rank = 1) AS exemplar_text
FROM _td_m GROUP BY cluster_id ORDER BY size DESC, cluster_id;

CREATE OR REPLACE TABLE text_cluster_members AS
SELECT m.cluster_id, m.uid AS post_uid, m.author_uid,
       CASE WHEN m.doc = m.first_doc THEN 1.0 ELSE s.sim END AS similarity
FROM _td_m m LEFT JOIN _td_sim s ON s.a = m.doc AND s.b = m.first_doc
ORDER BY cluster_id, post_uid;

CREATE OR REPLACE VIEW post_text_cluster AS SELECT post_uid, cluster_id FROM text_cluster_members;
