-- Stage one chunk of a twarc2 JSONL file: parse each line once, unnest tweets and users, and keep the
-- plain pages. Input: _chunk(line BIGINT, j VARCHAR, raw BLOB, sha VARCHAR), one row per line (j keeps
-- its line terminator; raw is the line's exact bytes without it). {PAGE} is filled in from a constant, never from input.

-- Lines that parsers could read differently (NaN, Infinity) are left to the Python reader; DuckDB and
-- orjson both reject invalid JSON and lone surrogates, so those lines parse to NULL here and reach the
-- Python reader, which quarantines them with its own message.
CREATE OR REPLACE TEMP TABLE _tw_parsed AS
SELECT line, sha, try(from_json(j, '{PAGE}')) AS p
FROM _chunk
WHERE NOT (contains(j, 'NaN') OR contains(j, 'Infinity'));

CREATE OR REPLACE TEMP TABLE _tw_tweets AS
SELECT line, sha, t, '/data/' || (i - 1)::VARCHAR AS raw_path, true AS is_primary
FROM (SELECT line, sha, unnest(p.data) AS t, generate_subscripts(p.data, 1) AS i
      FROM _tw_parsed WHERE len(p.data) > 0)
UNION ALL
SELECT line, sha, t, '/includes/tweets/' || (i - 1)::VARCHAR, false
FROM (SELECT line, sha, unnest(p.includes.tweets) AS t, generate_subscripts(p.includes.tweets, 1) AS i
      FROM _tw_parsed WHERE len(p.includes.tweets) > 0);

CREATE OR REPLACE TEMP TABLE _tw_users AS
SELECT line, sha, u, i
FROM (SELECT line, sha, unnest(p.includes.users) AS u, generate_subscripts(p.includes.users, 1) AS i
      FROM _tw_parsed WHERE len(p.includes.users) > 0);

-- A plain page: it parses, has a non-empty list of tweets that all have ids and texts, and every time on
-- it is one DuckDB reads. Anything else goes to the Python reader.
CREATE OR REPLACE TEMP TABLE _tw_bad AS
SELECT line FROM _tw_parsed
WHERE p IS NULL OR coalesce(len(p.data), 0) = 0
   OR (p.__twarc.retrieved_at IS NOT NULL AND try_cast(p.__twarc.retrieved_at AS TIMESTAMPTZ) IS NULL)
UNION
SELECT line FROM _tw_tweets
WHERE t IS NULL OR t.id IS NULL OR t.text IS NULL
   OR (t.created_at IS NOT NULL AND try_cast(t.created_at AS TIMESTAMPTZ) IS NULL)
UNION
SELECT line FROM _tw_users
WHERE u IS NULL OR u.id IS NULL OR (u.created_at IS NOT NULL AND try_cast(u.created_at AS TIMESTAMPTZ) IS NULL);

CREATE OR REPLACE TEMP TABLE _tw_pages AS
SELECT line, sha, try_cast(p.__twarc.retrieved_at AS TIMESTAMPTZ) AS rt, p.includes.media AS media
FROM _tw_parsed
WHERE p IS NOT NULL AND line NOT IN (SELECT line FROM _tw_bad);

DELETE FROM _tw_tweets WHERE line NOT IN (SELECT line FROM _tw_pages);

DELETE FROM _tw_users WHERE line NOT IN (SELECT line FROM _tw_pages);

-- Each URL entity, with the expanded form and the target that gets normalised (as make_link does).
CREATE OR REPLACE TEMP TABLE _tw_urls AS
SELECT line, raw_path, k, u,
       CASE WHEN coalesce(u.unwound_url, '') <> '' THEN u.unwound_url ELSE u.expanded_url END AS expanded,
       CASE WHEN coalesce(u.unwound_url, '') <> '' THEN u.unwound_url
            WHEN coalesce(u.expanded_url, '') <> '' THEN u.expanded_url
            ELSE coalesce(u.url, '') END AS target
FROM (
    SELECT line, raw_path, unnest(t.entities.urls) AS u, generate_subscripts(t.entities.urls, 1) AS k
    FROM _tw_tweets WHERE len(t.entities.urls) > 0
)
WHERE u IS NOT NULL;
