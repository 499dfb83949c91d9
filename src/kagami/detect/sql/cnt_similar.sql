-- coordination-network-toolkit 1.5.2's co_similar_tweet, re-expressed over Kagami's store
-- (kagami.detect.cnt_similar). Sections are introduced by "-- name: <step>".

-- name: docs
-- One row per message that is not a repost. toks: its tokens, computed here when the text is "plain":
-- printable ASCII other than the apostrophe, tab, LF, VT, FF and CR, and the common Japanese characters
-- (hiragana, katakana, the CJK unified ideographs, the ideographic space, 、。〃々, brackets 〈〉《》「」『』【】,
-- ！（）？); other: the text of every other message, which Python tokenises with the toolkit's own code. On
-- plain text the toolkit's tokeniser (lower-case; delete each "@" up to the next white space; split at
-- Unicode word boundaries, UAX #29, and drop white space) comes down to: runs of letters (and 々, a letter
-- there) and digits, where "." or ":" between two letters and "." "," or ";" between two digits stay
-- inside the run; runs of katakana (with ー ヽ ヾ); either joined to the next by "_"; every other character
-- but white space a token of its own (each kanji and hiragana apart). ";" is written \x3b: the script
-- runner splits statements on it. tests/detect/test_cnt_similar.py holds the two readings equal on random
-- texts.
CREATE OR REPLACE TEMP TABLE _sim_docs AS
SELECT account, item, t_us,
       CASE WHEN plain THEN regexp_extract_all(
                CASE WHEN contains(lowered, '@')
                     THEN regexp_replace(lowered, '@[^ \t\n\r\x0b\x0c\x{3000}]*', '', 'g')
                     ELSE lowered END,
                '_*(?:(?:[a-z\x{3005}](?:[.:]?[a-z\x{3005}])*|[0-9](?:[.,\x3b]?[0-9])*)+|[\x{30a1}-\x{30fa}\x{30fc}-\x{30fe}]+)'
                || '(?:_+(?:(?:[a-z\x{3005}](?:[.:]?[a-z\x{3005}])*|[0-9](?:[.,\x3b]?[0-9])*)+|[\x{30a1}-\x{30fa}\x{30fc}-\x{30fe}]+))*_*'
                || '|_+|[^a-z0-9_ \t\n\r\x0b\x0c\x{3000}]')
       END AS toks,
       CASE WHEN NOT plain THEN text END AS other
FROM (
    SELECT author_uid AS account, rowid AS item, epoch_us(created_at) AS t_us, coalesce(text, '') AS text,
           lower(coalesce(text, '')) AS lowered,
           regexp_full_match(coalesce(text, ''),
               '[\x20-\x26\x28-\x7e\t\n\r\x0b\x0c\x{3000}-\x{3003}\x{3005}\x{3008}-\x{3011}\x{3041}-\x{3096}'
               || '\x{309d}\x{309e}\x{30a1}-\x{30fe}\x{4e00}-\x{9fff}\x{ff01}\x{ff08}\x{ff09}\x{ff1f}]*') AS plain
    FROM posts
    WHERE kind <> 'repost' AND author_uid IS NOT NULL AND created_at IS NOT NULL AND uid IS NOT NULL
);

-- name: sets
-- Token sets as sorted lists of distinct integers, rarest token first (occurrences, then the token): any
-- one global order makes prefix filtering exact, and rare tokens first keep the prefixes selective. The
-- SQL path keeps a text's repeated tokens up to here; the sorted list drops repeats (a list_distinct
-- costs more). A message with fewer than $min_tokens distinct tokens is never similar (the toolkit's CLI,
-- --min_document_size_similarity, 1 by default), and one with none never is.
CREATE OR REPLACE TEMP TABLE _sim_tok AS
SELECT item, unnest(toks) AS tok FROM _sim_docs WHERE toks IS NOT NULL
UNION ALL
SELECT item, unnest(toks) AS tok FROM _sim_other;

CREATE OR REPLACE TEMP TABLE _sim_ids AS
WITH dict AS (
    SELECT tok, CAST(row_number() OVER (ORDER BY count(*), tok) AS INTEGER) AS id FROM _sim_tok GROUP BY tok
)
SELECT item, ids FROM (
    SELECT item, list_filter(s, lambda x, i: i = 1 OR x <> s[i - 1]) AS ids
    FROM (SELECT item, list(id ORDER BY id) AS s FROM _sim_tok JOIN dict USING (tok) GROUP BY item)
)
WHERE len(ids) >= $min_tokens;

-- name: pairs
-- Prefix filtering (Chaudhuri et al. 2006; Bayardo et al. 2007): when |x n y| / |x u y| >= t, x's first
-- |x| - ceil(t |x|) + 1 tokens in the global order share one with y's first |y| - ceil(t |y|) + 1. So only
-- messages within the window that share a prefix token are compared. The 1e-9 lengthens a prefix, never
-- shortens one, where t |x| is an integer up to rounding (0.8 * 5): the toolkit compares floats, and a
-- pair it keeps must be a candidate. Candidates pair messages of two accounts (a message with another of
-- its own account's only makes the self-loops its export drops), each unordered pair once, from the same
-- time-bucketed band join as the other networks; the similarity is then computed exactly, as the toolkit
-- divides: |x n y| / |x u y| >= t in doubles. |x n y| by list_contains for short sets (list_intersect
-- costs ten times more there), by list_intersect for long ones (list_contains scans: two 1 MB texts of
-- 150,000 tokens would take 150,000^2 steps).
CREATE OR REPLACE TEMP TABLE _sim_pre AS
SELECT d.account, d.item, d.t_us, CAST(floor(d.t_us / $width) AS BIGINT) AS bucket,
       unnest(s.ids[1:len(s.ids) - CAST(ceil($threshold * len(s.ids) - 1e-9) AS INTEGER) + 1]) AS id
FROM _sim_ids s JOIN _sim_docs d USING (item);

CREATE OR REPLACE TEMP TABLE _sim_pairs AS
WITH e2 AS (
    SELECT account, item, t_us, bucket, id, bucket AS k FROM _sim_pre
    UNION ALL
    SELECT account, item, t_us, bucket, id, bucket - 1 AS k FROM _sim_pre
), c AS (
    SELECT DISTINCT p1.account AS a1, p1.item AS i1, p2.account AS a2, p2.item AS i2
    FROM _sim_pre p1 JOIN e2 p2 ON p2.id = p1.id AND p2.k = p1.bucket
    WHERE p1.account <> p2.account AND abs(p1.t_us - p2.t_us) <= $w_us
      AND (p2.bucket > p1.bucket OR p1.item < p2.item)
), v AS (
    SELECT c.*,
           CASE WHEN len(s1.ids) * len(s2.ids) <= 4096
                THEN len(list_filter(s1.ids, lambda x: list_contains(s2.ids, x)))
                ELSE len(list_intersect(s1.ids, s2.ids)) END AS inter,
           len(s1.ids) + len(s2.ids) AS total
    FROM c JOIN _sim_ids s1 ON s1.item = c.i1 JOIN _sim_ids s2 ON s2.item = c.i2
)
SELECT a1, i1, a2, i2 FROM v WHERE inter / (total - inter) >= $threshold;

-- name: edges
-- weight(u1 -> u2): distinct messages of u1 similar to at least one message of u2 within the window.
CREATE OR REPLACE TEMP TABLE _cnt_edges AS
SELECT user_1, user_2, CAST(count(DISTINCT item) AS BIGINT) AS weight
FROM (
    SELECT a1 AS user_1, a2 AS user_2, i1 AS item FROM _sim_pairs
    UNION ALL
    SELECT a2 AS user_1, a1 AS user_2, i2 AS item FROM _sim_pairs
)
GROUP BY user_1, user_2
HAVING count(DISTINCT item) >= $min_weight
