-- The lists inside post records: facets, extra tags and embedded images. Each list is checked element by
-- element (JSON types of the fields read, keys written once) and lines whose lists fail go back to Python;
-- the others are staged one row per facet feature and per media item. Input: _js_ev, _js_parsed
-- (jetstream_lines.sql).
-- {FACETS} and {IMAGES} are filled in from constants.

CREATE OR REPLACE TEMP MACRO _js_only(types, allowed) AS
    len(list_filter(coalesce(types, []), lambda x: NOT list_contains(allowed, x))) = 0;

CREATE OR REPLACE TEMP MACRO _js_once(keys) AS
    len(list_filter(coalesce(keys, []), lambda k: len(k) <> len(list_distinct(k)))) = 0;

-- Python's str.removeprefix, for $type values
CREATE OR REPLACE TEMP MACRO _js_kind(t, prefix) AS
    CASE WHEN starts_with(t, prefix) THEN substr(t, length(prefix) + 1) ELSE t END;

-- The fields of each post, its embed kinds, and its lists as JSON text.
CREATE OR REPLACE TEMP TABLE _js_lists AS
WITH k AS (
    SELECT ev.line, ev.t_facets, ev.t_tags, ev.t_images, ev.t_media_images, p.e.commit.record AS r,
           _js_kind(p.e.commit.record.embed."$type", 'app.bsky.embed.') AS ek,
           _js_kind(p.e.commit.record.embed.media."$type", 'app.bsky.embed.') AS mk
    FROM _js_ev ev JOIN _js_parsed p USING (line)
    WHERE ev.cls = 'post'
)
SELECT line, ek, mk, r.text AS text, r.langs[1] AS lang, r.reply.parent.uri AS parent,
       r.reply.root.uri AS root_uri,
       CASE ek WHEN 'record' THEN r.embed.record.uri WHEN 'recordWithMedia' THEN r.embed.record.record.uri END
           AS strong,
       CASE WHEN ek = 'external' THEN r.embed.external.uri
            WHEN ek = 'recordWithMedia' AND mk = 'external' THEN r.embed.media.external.uri END AS card,
       ek = 'video' OR (ek = 'recordWithMedia' AND mk = 'video') AS has_video,
       CASE WHEN ek = 'video' THEN r.embed.video ELSE r.embed.media.video END AS video,
       CASE WHEN t_facets = 'ARRAY' THEN r.facets END AS ftxt,
       CASE WHEN t_tags = 'ARRAY' THEN r.tags END AS ttxt,
       CASE WHEN ek = 'images' AND t_images = 'ARRAY' THEN r.embed.images
            WHEN ek = 'recordWithMedia' AND mk = 'images' AND t_media_images = 'ARRAY'
            THEN r.embed.media.images END AS itxt
FROM k;

CREATE OR REPLACE TEMP TABLE _js_badlists AS
SELECT line FROM _js_lists
WHERE (ftxt IS NOT NULL AND NOT (
          _js_only(json_type(ftxt, '$[*].index.byteStart'), ['UBIGINT', 'BIGINT', 'NULL'])
          AND _js_only(json_type(ftxt, '$[*].index.byteEnd'), ['UBIGINT', 'BIGINT', 'NULL'])
          AND _js_only(json_type(ftxt, '$[*].features[*].uri'), ['VARCHAR', 'NULL'])
          AND _js_only(json_type(ftxt, '$[*].features[*].tag'), ['VARCHAR', 'NULL'])
          AND _js_only(json_type(ftxt, '$[*].features[*].did'), ['VARCHAR', 'NULL'])
          AND _js_once(json_keys(ftxt, '$[*]')) AND _js_once(json_keys(ftxt, '$[*].index'))
          AND _js_once(json_keys(ftxt, '$[*].features[*]'))))
   OR (ttxt IS NOT NULL AND NOT _js_only(json_type(ttxt, '$[*]'), ['VARCHAR', 'NULL']))
   OR (itxt IS NOT NULL AND NOT (
          _js_only(json_type(itxt, '$[*].image.ref."$link"'), ['VARCHAR', 'NULL'])
          AND _js_only(json_type(itxt, '$[*].image.cid'), ['VARCHAR', 'NULL'])
          AND _js_once(json_keys(itxt, '$[*]')) AND _js_once(json_keys(itxt, '$[*].image'))
          AND _js_once(json_keys(itxt, '$[*].image.ref'))));

DELETE FROM _js_ev WHERE line IN (SELECT line FROM _js_badlists);

DELETE FROM _js_lists WHERE line IN (SELECT line FROM _js_badlists);

-- One row per facet feature, with code-point offsets. A facet's byte range becomes offsets only when
-- both ends fall on character bounds (a prefix of the text's UTF-8 that decodes), as atproto._span does.
CREATE OR REPLACE TEMP TABLE _js_feats AS
WITH f AS (
    SELECT line, text, unnest(fl) AS f, generate_subscripts(fl, 1) AS fi
    FROM (SELECT line, text, from_json(ftxt, '{FACETS}') AS fl FROM _js_lists WHERE ftxt IS NOT NULL)
), s AS (
    SELECT line, text, fi, f.features AS feats, f.index.byteStart AS bs, f.index.byteEnd AS be,
           strlen(text) AS nb, length(text) AS nc
    FROM f
), o AS (
    SELECT line, text, fi, feats,
           CASE WHEN bs IS NULL OR be IS NULL OR bs < 0 OR bs > be OR be > nb THEN NULL
                WHEN nb = nc THEN bs
                ELSE length(try(decode(unhex(left(hex(encode(text)), 2 * bs))))) END AS cs0,
           CASE WHEN bs IS NULL OR be IS NULL OR bs < 0 OR bs > be OR be > nb THEN NULL
                WHEN nb = nc THEN be
                ELSE length(try(decode(unhex(left(hex(encode(text)), 2 * be))))) END AS ce0
    FROM s
), g AS (
    SELECT line, text, fi, CASE WHEN ce0 IS NOT NULL THEN cs0 END AS cs, CASE WHEN cs0 IS NOT NULL THEN ce0 END AS ce,
           unnest(feats) AS g, generate_subscripts(feats, 1) AS gi
    FROM o
)
SELECT line, fi, gi, _js_kind(g."$type", 'app.bsky.richtext.facet#') AS ft, g.uri AS uri, g.tag AS tag,
       g.did AS did, cs, ce,
       CASE WHEN cs IS NOT NULL THEN ltrim(substring(text, cs + 1, ce - cs), '@') ELSE '' END AS written
FROM g;

-- The link card of an external embed (alone or as the media of a quote), when it has a URI.
CREATE OR REPLACE TEMP TABLE _js_cards AS
SELECT line, card AS uri FROM _js_lists WHERE coalesce(card, '') <> '';

-- Media items in order: the images of an images embed, or the one video (also as a quote's media).
CREATE OR REPLACE TEMP TABLE _js_media AS
SELECT line, i AS mi, 'image' AS kind,
       CASE WHEN coalesce(x.image.ref."$link", '') <> '' THEN x.image.ref."$link" ELSE x.image.cid END AS cid
FROM (SELECT line, unnest(il) AS x, generate_subscripts(il, 1) AS i
      FROM (SELECT line, from_json(itxt, '{IMAGES}') AS il FROM _js_lists WHERE itxt IS NOT NULL))
UNION ALL
SELECT line, 1, 'video',
       CASE WHEN coalesce(v.ref."$link", '') <> '' THEN v.ref."$link" ELSE v.cid END
FROM (SELECT line, video AS v FROM _js_lists WHERE has_video);

-- The distinct URLs and CIDs Python normalises and decodes (links.normalize_with_domain, atproto.cid_sha256).
CREATE OR REPLACE TEMP TABLE _js_urls AS
SELECT DISTINCT uri AS target FROM _js_feats WHERE ft = 'link' AND uri IS NOT NULL
UNION
SELECT uri FROM _js_cards;

CREATE OR REPLACE TEMP TABLE _js_cids AS
SELECT DISTINCT cid FROM _js_media WHERE cid IS NOT NULL;
