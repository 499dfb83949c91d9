-- Stage one chunk of a twarc2 JSONL file: parse each line once, unnest tweets and users, and keep the
-- plain pages. Input: _chunk(line BIGINT, j VARCHAR, raw BLOB, sha VARCHAR), one row per line (j keeps
-- its line terminator; raw is the line's exact bytes without it). {PAGE}, {PAGE_TYPE}, {GUARD}, {TIME_RE}
-- and the {..._PATHS} lists are filled in from constants in twarc2_bulk.py, never from input. The module
-- runs the sections in order: typed, parse (or parse_checked where parse fails), stage, pages.
--
-- Where DuckDB and orjson could read a line differently, the line is left to the Python reader:
--   * DuckDB accepts trailing commas, NaN/Infinity and numbers past a double, orjson does not; from_json
--     reads an object value past 64 bits as NULL, Python as a number ({GUARD}, on the text);
--   * orjson refuses nesting deeper than 1024, DuckDB does not (the line's structure must be complete and
--     hold at most 1000 objects and arrays, so no path through it is deeper);
--   * with a key written twice DuckDB reads the first value and orjson the last (parse: read_json stops
--     at a key of the mapping written twice in an object the mapping reads; parse_checked: every object's
--     keys must be distinct);
--   * from_json casts ("5" to 5, 5 to "5", 1.5 to 2, true to 1, an object to its text), so every field the
--     mapping reads must hold the JSON type the Python reader expects, in the line's structure (where a
--     list's elements merge; an empty object is written [0] there, so it neither merges into "JSON" nor
--     passes for a scalar).
-- Invalid JSON and lone surrogates, which both refuse, have no structure here; the Python reader
-- quarantines those lines with its own message.

-- name: typed
CREATE OR REPLACE TEMP MACRO _tw_all(types, allowed) AS
    coalesce(list_bool_and(list_transform(types, lambda t: coalesce(t, 'NULL') IN allowed)), true);

CREATE OR REPLACE TEMP MACRO _tw_all_start(types, c) AS
    coalesce(list_bool_and(list_transform(types, lambda t: coalesce(t, 'NULL') = 'NULL'
                                                           OR starts_with(t, c))), true);

-- The lines whose text and types both readers read alike (all but the keys written twice), with their
-- structure (kept in a table: a subquery's column would be computed again for each condition on it).
CREATE OR REPLACE TEMP TABLE _tw_typed AS
SELECT line, sha, try(json_structure(replace(j, '{}', '[0]'))) AS s FROM _chunk WHERE NOT ({GUARD});

DELETE FROM _tw_typed
WHERE s IS NULL OR contains(s, '"JSON"')
   OR strlen(s) - strlen(replace(replace(s, '{', ''), '[', '')) > 1000
   OR NOT (_tw_all_start(json_extract_string(s, {OBJECT_PATHS}), '{')
           AND _tw_all_start(json_extract_string(s, {LIST_PATHS}), '[')
           AND _tw_all(json_extract_string(s, {VARCHAR_PATHS}), ['NULL', 'VARCHAR'])
           AND _tw_all(json_extract_string(s, {BIGINT_PATHS}), ['NULL', 'UBIGINT', 'BIGINT', 'HUGEINT'])
           AND _tw_all(json_extract_string(s, {BOOLEAN_PATHS}), ['NULL', 'BOOLEAN']));

-- name: parse
-- {PARSED}: the table parse and parse_checked write, TEMP TABLE _tw_parsed, or a table of the in-memory
-- database where the worker thread parses the next chunk (the module fills it in; never input).
-- The typed lines, written by the module to $path as {"n": line, "s": sha256, "p": the line's bytes},
-- one a line. read_json parses them as from_json does, but stops with an error where an object it reads
-- holds one of the keys it reads twice (then the module runs parse_checked instead): one parse and no
-- key lists.
CREATE OR REPLACE {PARSED} AS
SELECT n AS line, s AS sha, p
FROM read_json($path, format = 'newline_delimited', records = true, auto_detect = false,
               ignore_errors = false, maximum_object_size = $max_size,
               columns = {n: 'BIGINT', s: 'VARCHAR', p: '{PAGE_TYPE}'});

-- name: parse_checked
-- The typed lines whose objects all have distinct keys (the line's own, then all others'), from_json'd.
CREATE OR REPLACE {PARSED} AS
SELECT line, sha, try(from_json(j, '{PAGE}')) AS p
FROM _chunk
WHERE line IN (SELECT line FROM _tw_typed)
  AND coalesce(len(try(json_keys(j))) = list_unique(try(json_keys(j))), false)
  AND coalesce(len(list_filter(list_distinct(try(json_keys(j, '$.**'))),
                               lambda k: len(k) <> list_unique(k))) = 0, false);

-- name: stage
-- A time both DuckDB and Python's fromisoformat read, and read alike (or none).
CREATE OR REPLACE TEMP MACRO _tw_time_ok(t) AS
    t IS NULL OR (regexp_full_match(t, '{TIME_RE}') AND try_cast(t AS TIMESTAMPTZ) IS NOT NULL);

-- A list of strings with no NULL in it (Python would write None as "None").
CREATE OR REPLACE TEMP MACRO _tw_no_null(xs) AS coalesce(len(list_filter(xs, lambda x: x IS NULL)) = 0, true);

-- Each tweet with its place: i is its position in data (is_primary) or includes.tweets; rows have no
-- order, and (line, is_primary, i) is the key later statements join on.
CREATE OR REPLACE TEMP TABLE _tw_tweets AS
SELECT line, sha, t, '/data/' || (i - 1)::VARCHAR AS raw_path, true AS is_primary, i
FROM (SELECT line, sha, unnest(p.data) AS t, generate_subscripts(p.data, 1) AS i
      FROM _tw_parsed WHERE len(p.data) > 0)
UNION ALL
SELECT line, sha, t, '/includes/tweets/' || (i - 1)::VARCHAR, false, i
FROM (SELECT line, sha, unnest(p.includes.tweets) AS t, generate_subscripts(p.includes.tweets, 1) AS i
      FROM _tw_parsed WHERE len(p.includes.tweets) > 0);

-- Each URL entity, with the expanded form and the target that gets normalised (as make_link does); the
-- module normalises the targets in a thread while the statements of the next section run.
CREATE OR REPLACE TEMP TABLE _tw_urls AS
SELECT line, is_primary, i, k, u,
       CASE WHEN coalesce(u.unwound_url, '') <> '' THEN u.unwound_url ELSE u.expanded_url END AS expanded,
       CASE WHEN coalesce(u.unwound_url, '') <> '' THEN u.unwound_url
            WHEN coalesce(u.expanded_url, '') <> '' THEN u.expanded_url
            ELSE coalesce(u.url, '') END AS target
FROM (
    SELECT line, is_primary, i, unnest(t.entities.urls) AS u, generate_subscripts(t.entities.urls, 1) AS k
    FROM _tw_tweets WHERE len(t.entities.urls) > 0
)
WHERE u IS NOT NULL;

-- name: pages
CREATE OR REPLACE TEMP TABLE _tw_users AS
SELECT line, sha, u, i
FROM (SELECT line, sha, unnest(p.includes.users) AS u, generate_subscripts(p.includes.users, 1) AS i
      FROM _tw_parsed WHERE len(p.includes.users) > 0);

-- A plain page: it parses, has a non-empty list of tweets that all have ids and texts, its users all have
-- ids, and every time on it is one DuckDB and Python read alike. Anything else goes to the Python reader.
CREATE OR REPLACE TEMP TABLE _tw_bad AS
SELECT line FROM _tw_parsed
WHERE p IS NULL OR coalesce(len(p.data), 0) = 0 OR NOT _tw_time_ok(p.__twarc.retrieved_at)
UNION
SELECT line FROM _tw_tweets
WHERE t IS NULL OR coalesce(t.id, '') = '' OR t.text IS NULL OR NOT _tw_time_ok(t.created_at)
   OR NOT _tw_no_null(t.edit_history_tweet_ids) OR NOT _tw_no_null(t.withheld.country_codes)
UNION
SELECT line FROM _tw_users
WHERE u IS NULL OR coalesce(u.id, '') = '' OR NOT _tw_time_ok(u.created_at);

CREATE OR REPLACE TEMP TABLE _tw_pages AS
SELECT line, sha, try_cast(p.__twarc.retrieved_at AS TIMESTAMPTZ) AS rt, p.includes.media AS media
FROM _tw_parsed
WHERE p IS NOT NULL AND line NOT IN (SELECT line FROM _tw_bad);

-- One line per payload: a line repeated in the chunk has the same bytes, so the same records; the first
-- is mapped (its line number kept). ``stored``: the store already holds the payload, so its records need
-- the keyed checks; the records of a new payload are new, except posts another payload also carries.
-- (A join, not ``sha IN (SELECT ...)``, which would hash every stored payload key for each chunk.)
CREATE OR REPLACE TEMP TABLE _tw_once AS
SELECT o.line, o.sha, r.sha256 IS NOT NULL AS stored
FROM (SELECT min(line) AS line, sha FROM _tw_pages GROUP BY sha) o
LEFT JOIN (SELECT sha256 FROM raw_payloads) r ON r.sha256 = o.sha;

DELETE FROM _tw_tweets WHERE line NOT IN (SELECT line FROM _tw_once);

DELETE FROM _tw_users WHERE line NOT IN (SELECT line FROM _tw_once);

DELETE FROM _tw_urls WHERE line NOT IN (SELECT line FROM _tw_once);
