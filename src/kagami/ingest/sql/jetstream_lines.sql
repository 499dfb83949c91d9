-- Stage one chunk of a Jetstream JSONL file: parse each line, check the JSON types of every field the
-- mapping reads, and classify the lines SQL maps exactly. Input: _chunk(line BIGINT, j VARCHAR, raw BLOB,
-- sha VARCHAR). {EVENT}, {TYPE_PATHS}, {TYPE_NAMES} and {KEY_PATHS} are filled in from constants in
-- jetstream_bulk.py, never from input. Lines left out of _js_ev go to the Python reader.
--
-- Where DuckDB and orjson could read a line differently, the line is left to Python:
--   * DuckDB accepts trailing commas, NaN/Infinity and exponents past a double's range; orjson does not;
--   * orjson refuses nesting deeper than 1024; DuckDB does not;
--   * with a key written twice, DuckDB reads the first and orjson the last (so any object the mapping
--     reads must have distinct keys);
--   * from_json casts ("5" to 5, 5 to "5"), so each field read must hold its expected JSON type.

CREATE OR REPLACE TEMP MACRO _js_str_or_null(t) AS coalesce(t, 'NULL') IN ('NULL', 'VARCHAR');

-- Parsed once and materialised: filters written over these columns would otherwise be pushed down and
-- parse every line again. ``once``: every object the mapping reads has distinct keys (NULL: not JSON).
CREATE OR REPLACE TEMP TABLE _js_parsed AS
SELECT line, sha, try(from_json(j, '{EVENT}')) AS e, try(json_type(j, {TYPE_PATHS})) AS t,
       len(list_filter(try(json_keys(j, {KEY_PATHS})), lambda k: len(k) <> len(list_distinct(k)))) = 0 AS once
FROM _chunk
WHERE NOT regexp_matches(j, '{GUARD}')
  AND strlen(j) - strlen(replace(replace(j, '{', ''), '[', '')) <= 1000;

CREATE OR REPLACE TEMP TABLE _js_ev AS
WITH parsed AS (
    SELECT line, sha, e, {TYPE_NAMES} AS ty
    FROM _js_parsed
    WHERE e IS NOT NULL AND t IS NOT NULL AND once
),
-- The fields every line needs, and the createdAt / identity time as DuckDB reads them.
head AS (
SELECT line, sha, e, ty, e.commit.collection AS coll, e.commit.operation AS op, e.commit.record AS rec,
       make_timestamp(e.time_us)::TIMESTAMPTZ AS rt,
       CASE ty.subject WHEN 'VARCHAR' THEN e.commit.record.subject
                       WHEN 'OBJECT' THEN json_extract_string(e.commit.record.subject, '$.uri') END AS target,
       CASE WHEN coalesce(ty.created, 'NULL') = 'NULL' OR e.commit.record.createdAt = '' THEN 'none'
            WHEN ty.created = 'VARCHAR' AND regexp_full_match(e.commit.record.createdAt, '{TIME_RE}')
                 AND try_cast(e.commit.record.createdAt AS TIMESTAMPTZ) IS NOT NULL THEN 'ok' END AS created_ok,
       CASE WHEN coalesce(ty.time, 'NULL') = 'NULL' OR e.identity.time = '' THEN 'none'
            WHEN ty.time = 'VARCHAR' AND regexp_full_match(e.identity.time, '{TIME_RE}')
                 AND try_cast(e.identity.time AS TIMESTAMPTZ) IS NOT NULL THEN 'ok' END AS time_ok
FROM parsed
WHERE ty.root = 'OBJECT' AND ty.did = 'VARCHAR' AND starts_with(e.did, 'did:') AND NOT contains(e.did, '/')
  AND ty.time_us IN ('UBIGINT', 'BIGINT') AND e.time_us >= 0 AND e.time_us < {MAX_US}
),
-- The class of each event SQL maps (NULL sends the line to Python) and the fields of all but posts. A
-- post's scalar fields are checked here, its lists element by element in jetstream_posts.sql; its fields
-- are read from _js_parsed there, so the wide parsed struct is copied for posts only.
classed AS (
SELECT line, sha, coll, rt, ty.facets AS t_facets, ty.tags AS t_tags, ty.images AS t_images,
    ty.media_images AS t_media_images, e.did AS did, e.commit.rkey AS rkey, e.identity.handle AS handle,
    CASE WHEN coalesce(e.commit.rev, '') <> '' THEN e.commit.rev ELSE e.time_us::VARCHAR END AS stamp,
    rec.displayName AS display_name, rec.description AS description,
    CASE WHEN coalesce(ty.avatar, 'NULL') = 'NULL' THEN true ELSE rec.avatar = '{}' END AS default_avatar,
    CASE
        WHEN e.kind = 'identity' THEN
            CASE WHEN ty.identity = 'OBJECT' AND _js_str_or_null(ty.handle) AND time_ok IS NOT NULL
                 THEN 'identity' END
        WHEN e.kind <> 'commit' OR ty.commit <> 'OBJECT' THEN NULL
        WHEN ty.collection <> 'VARCHAR' OR coll = '' OR contains(coll, '/') THEN NULL
        WHEN ty.rkey <> 'VARCHAR' OR e.commit.rkey = '' OR contains(e.commit.rkey, '/') THEN NULL
        WHEN op = 'delete' THEN
            CASE WHEN NOT _js_str_or_null(ty.rev) THEN NULL
                 WHEN coll IN ({DELETABLE}) THEN 'delete' ELSE 'none' END
        WHEN op NOT IN ('create', 'update') OR ty.record IS NULL THEN NULL
        WHEN coll NOT IN ({MODELLED}) THEN 'none'
        WHEN ty.record <> 'OBJECT' OR created_ok IS NULL THEN NULL
        WHEN rec."$type" IS NOT NULL AND rec."$type" <> coll THEN NULL
        WHEN coll = '{POST}' THEN
            CASE WHEN ty.text = 'VARCHAR' AND _js_str_or_null(ty.lang0) AND _js_str_or_null(ty.parent)
                      AND _js_str_or_null(ty.root_uri) AND _js_str_or_null(ty.external)
                      AND _js_str_or_null(ty.media_external) AND _js_str_or_null(ty.video_link)
                      AND _js_str_or_null(ty.video_cid) AND _js_str_or_null(ty.media_video_link)
                      AND _js_str_or_null(ty.media_video_cid)
                      -- a media embed nested in a media embed is left to Python (it recurses)
                      AND coalesce(rec.embed.media."$type", '') NOT IN
                          ('recordWithMedia', 'app.bsky.embed.recordWithMedia')
                 THEN 'post' END
        WHEN coll = '{PROFILE}' THEN
            CASE WHEN _js_str_or_null(ty.display_name) AND _js_str_or_null(ty.description)
                      AND coalesce(ty.avatar, 'NULL') IN ('NULL', 'OBJECT') THEN 'profile' END
        -- repost, like, follow: a subject that is a string, or an object with a string uri
        WHEN ty.subject = 'OBJECT' AND ty.subject_uri <> 'VARCHAR' THEN NULL
        WHEN coalesce(target, '') = '' THEN NULL
        WHEN coll = '{FOLLOW}' THEN CASE WHEN starts_with(target, 'did:') THEN 'follow' END
        WHEN coll = '{REPOST}' THEN 'repost'
        ELSE 'like'
    END AS cls,
    CASE WHEN created_ok = 'ok' THEN rec.createdAt::TIMESTAMPTZ ELSE rt END AS created,
    CASE WHEN time_ok = 'ok' THEN e.identity.time::TIMESTAMPTZ ELSE rt END AS seen,
    'at://' || e.did || '/' || coll || '/' || e.commit.rkey AS uri, target
FROM head
)
SELECT * FROM classed;

DELETE FROM _js_ev WHERE cls IS NULL;
