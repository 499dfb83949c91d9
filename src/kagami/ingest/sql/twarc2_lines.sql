-- Stage one chunk of a twarc2 JSONL file: the plain pages among its lines, their tweets and URLs.
-- Input: _chunk(line BIGINT, j VARCHAR, sha VARCHAR), one row per line.
-- {PAGE} is filled in from a constant, never from input.
-- A plain page: parses, has a non-empty list of tweets with ids and texts, readable times. Lines that
-- parsers could read differently (NaN, Infinity) are left to the Python reader; DuckDB and orjson both
-- reject lone surrogates, so those lines fail here and reach the Python reader's quarantine.
CREATE OR REPLACE TEMP TABLE _tw_pages AS
SELECT line, j, p, sha, try_cast(p.__twarc.retrieved_at AS TIMESTAMPTZ) AS rt
FROM (
    SELECT line, rtrim(j, chr(10) || chr(13)) AS j, sha, try(from_json(j, '{PAGE}')) AS p
    FROM _chunk
    WHERE NOT (contains(j, 'NaN') OR contains(j, 'Infinity'))
)
WHERE p IS NOT NULL
  AND len(p.data) > 0
  AND list_bool_and(list_transform(p.data, lambda t: t.id IS NOT NULL AND t.text IS NOT NULL
        AND (t.created_at IS NULL OR try_cast(t.created_at AS TIMESTAMPTZ) IS NOT NULL)))
  AND coalesce(list_bool_and(list_transform(p.includes.tweets, lambda t: t.id IS NOT NULL AND t.text IS NOT NULL
        AND (t.created_at IS NULL OR try_cast(t.created_at AS TIMESTAMPTZ) IS NOT NULL))), true)
  AND coalesce(list_bool_and(list_transform(p.includes.users, lambda u: u.id IS NOT NULL
        AND (u.created_at IS NULL OR try_cast(u.created_at AS TIMESTAMPTZ) IS NOT NULL))), true)
  AND (p.__twarc.retrieved_at IS NULL OR try_cast(p.__twarc.retrieved_at AS TIMESTAMPTZ) IS NOT NULL);

CREATE OR REPLACE TEMP TABLE _tw_tweets AS
SELECT line, sha, rt, t, '/data/' || (i - 1)::VARCHAR AS raw_path, true AS is_primary
FROM (SELECT line, sha, rt, unnest(p.data) AS t, generate_subscripts(p.data, 1) AS i FROM _tw_pages)
UNION ALL
SELECT line, sha, rt, t, '/includes/tweets/' || (i - 1)::VARCHAR, false
FROM (
    SELECT line, sha, rt, unnest(p.includes.tweets) AS t, generate_subscripts(p.includes.tweets, 1) AS i
    FROM _tw_pages WHERE len(p.includes.tweets) > 0
);

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
