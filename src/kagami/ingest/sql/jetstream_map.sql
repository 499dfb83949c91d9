-- Map staged Jetstream events to the store's posts, actions and account_observations columns, as
-- jetstream.handle and atproto.from_record do. Inputs: _js_ev, _js_lists, _js_feats, _js_cards, _js_media
-- (jetstream_lines.sql, jetstream_posts.sql), _js_urlmap(target, normalized, domain), _js_cidmap(cid, hash)
-- and the one-row _js_src(source_file, file_sha256, reader, reader_version). {POST}, {REPOST} are constants.

-- The DID owning an at:// URI (atproto.uri_did)
CREATE OR REPLACE TEMP MACRO _js_uri_did(u) AS
    CASE WHEN starts_with(u, 'at://did:') THEN split_part(substr(u, 6), '/', 1) END;

CREATE OR REPLACE TEMP TABLE _js_fagg AS
SELECT f.line,
    list(struct_pack(url := f.uri, expanded := NULL::VARCHAR, normalized := m.normalized, domain := m.domain,
                     start := f.cs, "end" := f.ce) ORDER BY f.fi, f.gi)
        FILTER (WHERE f.ft = 'link' AND f.uri IS NOT NULL) AS links,
    list(ltrim(f.tag, '#') ORDER BY f.fi, f.gi) FILTER (WHERE f.ft = 'tag' AND f.tag IS NOT NULL) AS tags,
    list(struct_pack(handle := CASE WHEN f.written <> '' THEN f.written ELSE f.did END, id := f.did,
                     start := f.cs, "end" := f.ce) ORDER BY f.fi, f.gi)
        FILTER (WHERE f.ft = 'mention' AND f.did IS NOT NULL) AS mentions
FROM _js_feats f LEFT JOIN _js_urlmap m ON m.target = f.uri
GROUP BY f.line;

CREATE OR REPLACE TEMP TABLE _js_magg AS
SELECT md.line, list(struct_pack(url := NULL::VARCHAR, kind := md.kind, key := md.cid, hash := c.hash)
                     ORDER BY md.mi) AS media
FROM _js_media md LEFT JOIN _js_cidmap c ON c.cid = md.cid
GROUP BY md.line;

CREATE OR REPLACE TEMP TABLE _js_posts AS
WITH p AS (
    SELECT ev.line, ev.sha, ev.rt, ev.uri, ev.did, ev.rkey, ev.created, l.text, l.lang, l.ttxt, l.parent,
        CASE WHEN coalesce(l.root_uri, '') <> '' THEN l.root_uri ELSE l.parent END AS root, l.strong,
        coalesce(fa.links, []) AS flinks, fa.tags AS ftags, coalesce(fa.mentions, []) AS mentions,
        coalesce(ma.media, []) AS media, c.uri AS card, cm.normalized AS card_norm, cm.domain AS card_domain
    FROM _js_ev ev JOIN _js_lists l USING (line)
    LEFT JOIN _js_fagg fa USING (line)
    LEFT JOIN _js_magg ma USING (line)
    LEFT JOIN _js_cards c USING (line)
    LEFT JOIN _js_urlmap cm ON cm.target = c.uri
), q AS (
    SELECT *,
        CASE WHEN starts_with(strong, 'at://did:') AND split_part(strong, '/', 4) = '{POST}' THEN strong END
            AS quote,
        list_concat(list_transform(flinks, lambda x: x.url),
                    list_filter(list_transform(flinks, lambda x: x.normalized), lambda x: x IS NOT NULL)) AS posted,
        list_filter(list_transform(list_concat(coalesce(ftags, []), coalesce(from_json(ttxt, '["VARCHAR"]'), [])),
                                   lambda x: ltrim(x, '#')), lambda x: x IS NOT NULL AND x <> '') AS tags
    FROM p
)
SELECT 'bsky:' || uri AS uid, 'bsky' AS platform, uri AS id, 'bsky:' || did AS author_uid,
    created AS created_at, text, lang,
    CASE WHEN quote IS NOT NULL THEN 'quote' WHEN coalesce(parent, '') <> '' THEN 'reply' ELSE 'post' END AS kind,
    'bsky:' || quote AS ref_uid, 'bsky:' || _js_uri_did(quote) AS ref_author_uid,
    'bsky:' || parent AS reply_to_uid, 'bsky:' || _js_uri_did(parent) AS reply_to_author_uid,
    'bsky:' || quote AS quote_of_uid,
    CASE WHEN coalesce(root, '') <> '' THEN root ELSE uri END AS conversation_id,
    CASE WHEN card IS NOT NULL AND NOT list_contains(posted, card)
              AND NOT coalesce(list_contains(posted, card_norm), false)
         THEN list_append(flinks, struct_pack(url := card, expanded := NULL::VARCHAR, normalized := card_norm,
                          domain := card_domain, start := NULL::BIGINT, "end" := NULL::BIGINT))
         ELSE flinks END AS links,
    list_filter(tags, lambda x, i: list_position(tags, x) = i) AS hashtags,
    mentions, media,
    NULL::BIGINT AS like_count, NULL::BIGINT AS repost_count, NULL::BIGINT AS reply_count,
    NULL::BIGINT AS quote_count, NULL::BIGINT AS view_count, NULL::VARCHAR AS source,
    []::VARCHAR[] AS edit_ids, []::VARCHAR[] AS withheld_in,
    'https://bsky.app/profile/' || did || '/post/' || rkey AS url, true AS is_primary,
    line, sha, rt
FROM q
UNION ALL BY NAME
SELECT 'bsky:' || uri AS uid, 'bsky' AS platform, uri AS id, 'bsky:' || did AS author_uid,
    created AS created_at, NULL AS text, NULL AS lang, 'repost' AS kind, 'bsky:' || target AS ref_uid,
    'bsky:' || _js_uri_did(target) AS ref_author_uid, NULL AS reply_to_uid, NULL AS reply_to_author_uid,
    NULL AS quote_of_uid, NULL AS conversation_id, [] AS links, [] AS hashtags, [] AS mentions, [] AS media,
    NULL AS like_count, NULL AS repost_count, NULL AS reply_count, NULL AS quote_count, NULL AS view_count,
    NULL AS source, [] AS edit_ids, [] AS withheld_in, NULL AS url, true AS is_primary, line, sha, rt
FROM _js_ev WHERE cls = 'repost';

CREATE OR REPLACE TEMP TABLE _js_actions AS
SELECT 'bsky:' || id AS uid, 'bsky' AS platform, id, kind, 'bsky:' || did AS actor_uid,
    'bsky:' || target AS target_uid, target_kind, created_at, NULL::VARCHAR AS detail, line, sha, rt
FROM (
    SELECT uri AS id, cls AS kind, did, target,
        CASE WHEN cls = 'follow' THEN 'account' WHEN split_part(target, '/', 4) = '{POST}' THEN 'post'
             ELSE 'record' END AS target_kind,
        created AS created_at, line, sha, rt
    FROM _js_ev WHERE cls IN ('like', 'follow')
    UNION ALL
    SELECT uri || '#delete@' || stamp,
        CASE coll WHEN '{POST}' THEN 'delete_post' WHEN '{REPOST}' THEN 'delete_repost'
                  WHEN '{LIKE}' THEN 'unlike' ELSE 'unfollow' END,
        did, uri, CASE WHEN coll IN ('{POST}', '{REPOST}') THEN 'post' ELSE 'action' END, rt, line, sha, rt
    FROM _js_ev WHERE cls = 'delete'
);

CREATE OR REPLACE TEMP TABLE _js_accounts AS
SELECT 'bsky:' || did AS uid, 'bsky' AS platform, did AS id, handle, display_name,
    NULL::TIMESTAMPTZ AS created_at, description, NULL::VARCHAR AS location, NULL::VARCHAR AS url,
    NULL::VARCHAR AS avatar_url, default_avatar, NULL::BOOLEAN AS verified, NULL::BOOLEAN AS protected,
    NULL::BIGINT AS followers, NULL::BIGINT AS following, NULL::BIGINT AS posts_count, NULL::BOOLEAN AS bot,
    observed_at, raw_path, line, sha, rt
FROM (
    SELECT did, NULL::VARCHAR AS handle, display_name, description, default_avatar, rt AS observed_at,
        '/commit' AS raw_path, line, sha, rt
    FROM _js_ev WHERE cls = 'profile'
    UNION ALL
    SELECT did, handle, NULL, NULL, NULL, seen, '/identity', line, sha, rt
    FROM _js_ev
    WHERE cls = 'identity' AND coalesce(handle, '') NOT IN ('', 'handle.invalid')
);

-- One line per payload: a line repeated in the chunk has the same bytes, so the same records; the first
-- is loaded (its line number kept). ``stored``: the store already holds the payload.
-- (A join, not ``sha IN (SELECT ...)``, which would hash every stored payload key for each chunk.)
CREATE OR REPLACE TEMP TABLE _js_once AS
SELECT o.line, r.sha256 IS NOT NULL AS stored
FROM (SELECT min(line) AS line, sha FROM _js_ev GROUP BY sha) o
LEFT JOIN (SELECT sha256 FROM raw_payloads) r ON r.sha256 = o.sha;

-- A view, so the payload bytes are copied once, into raw_payloads: every mapped line keeps its payload,
-- also the ones that carry no record (an event of a collection Kagami does not model).
CREATE OR REPLACE TEMP VIEW _js_raw AS
SELECT c.sha AS sha256, octet_length(c.raw) AS size, coalesce(c.z, c.raw) AS payload,
       CASE WHEN c.z IS NOT NULL THEN 'zstd' END AS encoding, o.stored
FROM _chunk c JOIN (SELECT line, stored FROM _js_once WHERE NOT stored) o ON o.line = c.line;

-- The staged records with their provenance, as the store's loader reads them (extra columns are ignored).
CREATE OR REPLACE TEMP VIEW _js_posts_out AS
SELECT p.*, s.source_file, s.file_sha256, p.sha AS raw_sha256, '/commit' AS raw_path, p.rt AS retrieved_at,
       s.reader, s.reader_version
FROM _js_posts p SEMI JOIN _js_once o ON o.line = p.line CROSS JOIN _js_src s;

CREATE OR REPLACE TEMP VIEW _js_actions_out AS
SELECT a.*, s.source_file, s.file_sha256, a.sha AS raw_sha256, '/commit' AS raw_path, a.rt AS retrieved_at,
       s.reader, s.reader_version
FROM _js_actions a SEMI JOIN _js_once o ON o.line = a.line CROSS JOIN _js_src s;

CREATE OR REPLACE TEMP VIEW _js_accounts_out AS
SELECT a.*, s.source_file, s.file_sha256, a.sha AS raw_sha256, a.rt AS retrieved_at, s.reader, s.reader_version,
       o.stored
FROM _js_accounts a JOIN _js_once o ON o.line = a.line CROSS JOIN _js_src s;
