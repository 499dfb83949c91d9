-- Map staged tweets and users to the store's posts and account_observations columns.
-- Inputs: _tw_pages, _tw_tweets, _tw_users, _tw_urls, _tw_urlmap(target, normalized, domain), _chunk.
-- Parameters: $source_file, $file_sha256, $reader, $reader_version. Sections: plain, then links (which
-- needs _tw_urlmap, built by the module while plain runs).

-- name: plain
-- Author of each tweet id on a page; data beats includes and a later entry beats an earlier one.
CREATE OR REPLACE TEMP TABLE _tw_authors AS
SELECT line, t.id AS id, t.author_id AS author_id
FROM _tw_tweets
QUALIFY row_number() OVER (PARTITION BY line, t.id ORDER BY is_primary DESC, i DESC) = 1;

CREATE OR REPLACE TEMP TABLE _tw_media AS
WITH m AS (
    SELECT line, mm.media_key AS key, mm
    FROM (SELECT line, unnest(media) AS mm, generate_subscripts(media, 1) AS i
          FROM _tw_pages WHERE len(media) > 0)
    WHERE mm.media_key IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY line, mm.media_key ORDER BY i DESC) = 1
), k AS (
    SELECT line, is_primary, i AS t_i, unnest(t.attachments.media_keys) AS key,
           generate_subscripts(t.attachments.media_keys, 1) AS i
    FROM _tw_tweets WHERE len(t.attachments.media_keys) > 0
)
SELECT k.line, k.is_primary, k.t_i AS i,
       list(struct_pack(
           url := CASE WHEN coalesce(m.mm.url, '') <> '' THEN m.mm.url ELSE m.mm.preview_image_url END,
           kind := m.mm.type, key := k.key, hash := NULL::VARCHAR) ORDER BY k.i) AS media
FROM k LEFT JOIN m ON m.line = k.line AND m.key = k.key
WHERE k.key IS NOT NULL
GROUP BY k.line, k.is_primary, k.t_i;

CREATE OR REPLACE TEMP TABLE _tw_accounts AS
SELECT
    'x:' || u.id AS uid, 'x' AS platform, u.id AS id, u.username AS handle, u.name AS display_name,
    u.created_at::TIMESTAMPTZ AS created_at, u.description AS description, u.location AS location,
    nullif(u.url, '') AS url, u.profile_image_url AS avatar_url,
    CASE WHEN u.profile_image_url IS NULL THEN NULL
         ELSE contains(u.profile_image_url, 'default_profile_images') END AS default_avatar,
    u.verified AS verified, u.protected AS protected,
    u.public_metrics.followers_count AS followers, u.public_metrics.following_count AS following,
    u.public_metrics.tweet_count AS posts_count, NULL::BOOLEAN AS bot, pg.rt AS observed_at,
    $source_file AS source_file, $file_sha256 AS file_sha256, line, us.sha AS raw_sha256,
    '/includes/users/' || (i - 1)::VARCHAR AS raw_path, pg.rt AS retrieved_at, $reader AS reader,
    $reader_version AS reader_version, o.stored AS stored
FROM _tw_users us JOIN _tw_pages pg USING (line) JOIN _tw_once o USING (line);

-- A view, so the payload bytes are copied once, into raw_payloads: one copy of each new payload.
CREATE OR REPLACE TEMP VIEW _tw_raw AS
SELECT c.sha AS sha256, octet_length(c.raw) AS size, coalesce(c.z, c.raw) AS payload,
       CASE WHEN c.z IS NOT NULL THEN 'zstd' END AS encoding, o.stored
FROM _chunk c JOIN (SELECT line, stored FROM _tw_once WHERE NOT stored) o ON o.line = c.line;

-- name: links
-- Each tweet's links in entity order: collected with their positions k and sorted by them (an ordered
-- aggregate keeps a sort per group, most of a second for a chunk's forty thousand one-link groups).
CREATE OR REPLACE TEMP TABLE _tw_links AS
SELECT line, is_primary, i,
       list_transform(list_sort(list(struct_pack(k := u.k, url := coalesce(u.u.url, ''), expanded := u.expanded,
                                                 normalized := m.normalized, domain := m.domain,
                                                 start := u.u.start, "end" := u.u."end"))),
                      lambda x: struct_pack(url := x.url, expanded := x.expanded, normalized := x.normalized,
                                            domain := x.domain, start := x.start, "end" := x."end")) AS links
FROM _tw_urls u LEFT JOIN _tw_urlmap m ON m.target = u.target
GROUP BY u.line, u.is_primary, u.i;

CREATE OR REPLACE TEMP TABLE _tw_posts AS
WITH r AS (
    SELECT tw.*, pg.rt,
        nullif(list_filter(t.referenced_tweets, lambda x: x.type = 'retweeted')[-1].id, '') AS rt_id,
        nullif(list_filter(t.referenced_tweets, lambda x: x.type = 'quoted')[-1].id, '') AS qt_id,
        list_filter(t.referenced_tweets, lambda x: x.type = 'quoted')[-1].id AS quoted_raw,
        list_filter(t.referenced_tweets, lambda x: x.type = 'replied_to')[-1].id AS replied_raw,
        list_filter(t.entities.mentions, lambda x: x IS NOT NULL)[1] AS m0
    FROM _tw_tweets tw JOIN _tw_pages pg USING (line)
), k AS (
    SELECT *,
        CASE WHEN rt_id IS NOT NULL THEN 'repost' WHEN qt_id IS NOT NULL THEN 'quote'
             WHEN nullif(replied_raw, '') IS NOT NULL THEN 'reply' ELSE 'post' END AS kind,
        coalesce(rt_id, qt_id, nullif(replied_raw, '')) AS ref_id
    FROM r
)
SELECT
    'x:' || k.t.id AS uid, 'x' AS platform, k.t.id AS id, 'x:' || k.t.author_id AS author_uid,
    k.t.created_at::TIMESTAMPTZ AS created_at, k.t.text AS text, k.t.lang AS lang, k.kind AS kind,
    'x:' || k.ref_id AS ref_uid,
    'x:' || coalesce(
        a.author_id,
        CASE WHEN k.kind = 'reply' THEN k.t.in_reply_to_user_id END,
        CASE WHEN k.kind = 'repost' AND k.m0.start = 3 THEN k.m0.id END
    ) AS ref_author_uid,
    'x:' || k.replied_raw AS reply_to_uid, 'x:' || k.t.in_reply_to_user_id AS reply_to_author_uid,
    'x:' || k.quoted_raw AS quote_of_uid, k.t.conversation_id AS conversation_id,
    coalesce(l.links, []) AS links,
    coalesce(list_transform(list_filter(k.t.entities.hashtags, lambda h: coalesce(h.tag, '') <> ''), lambda h: h.tag), [])
        AS hashtags,
    coalesce(list_transform(list_filter(k.t.entities.mentions, lambda x: x IS NOT NULL),
        lambda x: struct_pack(handle := coalesce(x.username, ''), id := x.id, start := x.start, "end" := x."end")), [])
        AS mentions,
    coalesce(md.media, []) AS media,
    k.t.public_metrics.like_count AS like_count, k.t.public_metrics.retweet_count AS repost_count,
    k.t.public_metrics.reply_count AS reply_count, k.t.public_metrics.quote_count AS quote_count,
    k.t.public_metrics.impression_count AS view_count, k.t.source AS source,
    coalesce(k.t.edit_history_tweet_ids, []) AS edit_ids,
    coalesce(k.t.withheld.country_codes, []) AS withheld_in,
    'https://x.com/i/web/status/' || k.t.id AS url, k.is_primary AS is_primary,
    $source_file AS source_file, $file_sha256 AS file_sha256, k.line AS line, k.sha AS raw_sha256,
    k.raw_path AS raw_path, k.rt AS retrieved_at, $reader AS reader, $reader_version AS reader_version
FROM k
LEFT JOIN _tw_authors a ON a.line = k.line AND a.id = k.ref_id
LEFT JOIN _tw_links l ON l.line = k.line AND l.is_primary = k.is_primary AND l.i = k.i
LEFT JOIN _tw_media md ON md.line = k.line AND md.is_primary = k.is_primary AND md.i = k.i;
