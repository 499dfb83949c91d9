-- Known false claims: the claims table, the posts to match, link matches, and the output with evidence.

-- name: ddl
CREATE TABLE IF NOT EXISTS claims (
    claim_id VARCHAR, text VARCHAR, rating VARCHAR, verdict_false BOOLEAN, url VARCHAR, publisher VARCHAR,
    published TIMESTAMPTZ, lang VARCHAR, appearances VARCHAR[], raw JSON
);

-- name: upsert
-- A re-imported fact-check replaces its earlier row (same claim_id: same review URL and claim text).
DELETE FROM claims WHERE claim_id IN (SELECT claim_id FROM cl_in);
INSERT INTO claims
SELECT claim_id, text, rating, verdict_false, url, publisher, published, lang, appearances, CAST(raw AS JSON)
FROM cl_in
QUALIFY row_number() OVER (PARTITION BY claim_id ORDER BY raw) = 1;

-- name: posts
CREATE OR REPLACE TEMP TABLE cl_posts AS
SELECT uid, text FROM posts
WHERE kind IS DISTINCT FROM 'repost' AND text IS NOT NULL
ORDER BY uid;

-- name: links
-- A post links to a URL where the fact-checker saw the claim; http and https count as one.
CREATE OR REPLACE TEMP TABLE cl_links AS
WITH app AS (
    SELECT claim_id, regexp_replace(unnest(appearances), '^https?://', '') AS target FROM claims
), pl AS (
    SELECT DISTINCT post_uid, normalized, regexp_replace(normalized, '^https?://', '') AS target
    FROM post_links
    WHERE normalized IS NOT NULL AND post_uid IN (SELECT uid FROM cl_posts)
)
SELECT DISTINCT app.claim_id, pl.post_uid, pl.normalized AS url
FROM app JOIN pl ON pl.target = app.target;

-- name: output
CREATE OR REPLACE TABLE claim_matches AS
SELECT m.claim_id, m.post_uid, m.score, m.method,
       struct_pack(claim_text := c.text, post_text := p.text, url := m.url, stance_hint := m.stance_hint,
                   cues := m.cues) AS evidence
FROM cl_matches m
JOIN claims c ON c.claim_id = m.claim_id
JOIN cl_posts p ON p.uid = m.post_uid
ORDER BY m.claim_id, m.score DESC, m.post_uid, m.method;
