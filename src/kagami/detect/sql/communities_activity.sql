-- What each community's members did, and what the community co-acted on.
-- cm_targets: the targets in the evidence of significant co-action edges inside the community;
-- cm_items: the members' posts and likes named in that evidence. Targets are named as the co-action
-- layer names them: post uids, normalised links, '#' || lower-cased hashtags.
CREATE OR REPLACE TEMP TABLE cm_layer_edges AS
SELECT x.community_id, e.layer, e.a, e.b, e.median_gap_s
FROM coaction_edges e
JOIN cm_assign x ON x.account_uid = e.a
JOIN cm_assign y ON y.account_uid = e.b AND y.community_id = x.community_id
WHERE e.qvalue <= $alpha AND e.weight > 0;

-- The distinct targets (k = 0) and items (k = 1) the evidence of those edges names, per community
-- (scale 10: 25.8M evidence rows, 0.57M distinct items).
CREATE OR REPLACE TEMP TABLE cm_evidence AS
SELECT DISTINCT community_id, k, v
FROM (
    SELECT l.community_id, unnest([0, 1, 1]) AS k, unnest([ev.target, ev.a_item, ev.b_item]) AS v
    FROM cm_layer_edges l JOIN coaction_evidence ev ON ev.layer = l.layer AND ev.a = l.a AND ev.b = l.b
)
WHERE v IS NOT NULL;

CREATE OR REPLACE TEMP TABLE cm_targets AS
SELECT community_id, v AS target FROM cm_evidence WHERE k = 0;

CREATE OR REPLACE TEMP TABLE cm_items AS
SELECT community_id, v AS item FROM cm_evidence WHERE k = 1;

-- Every post (any kind) and like by a member: one row per (item, target it points at); an item that
-- points at nothing (an original post with no link or hashtag) has a NULL target.
CREATE OR REPLACE TEMP TABLE cm_acts AS
WITH mine AS (
    SELECT p.* FROM posts p JOIN cm_assign m ON m.account_uid = p.author_uid
), pointed AS (
    SELECT uid AS item, author_uid AS account, ref_uid AS target, 'post' AS target_kind,
           coalesce(ref_author_uid, reply_to_author_uid) AS target_author
    FROM mine WHERE ref_uid IS NOT NULL
    UNION ALL
    SELECT uid, author_uid, quote_of_uid, 'post', NULL
    FROM mine WHERE quote_of_uid IS NOT NULL AND quote_of_uid IS DISTINCT FROM ref_uid
    UNION ALL
    SELECT uid, author_uid, reply_to_uid, 'post', reply_to_author_uid
    FROM mine WHERE reply_to_uid IS NOT NULL AND reply_to_uid IS DISTINCT FROM ref_uid
    UNION ALL
    SELECT uid, author_uid, coalesce(l.normalized, l.expanded, l.url), 'link', NULL
    FROM (SELECT uid, author_uid, unnest(links) AS l FROM mine)
    UNION ALL
    SELECT uid, author_uid, '#' || lower(tag), 'hashtag', NULL
    FROM (SELECT uid, author_uid, unnest(hashtags) AS tag FROM mine)
    UNION ALL
    SELECT uid, author_uid, NULL, NULL, NULL FROM mine
    UNION ALL
    SELECT a.uid, a.actor_uid, a.target_uid, 'post', NULL
    FROM actions a JOIN cm_assign m ON m.account_uid = a.actor_uid
    WHERE a.kind = 'like' AND a.target_kind = 'post'
)
SELECT m.community_id, t.item, t.account, t.target, t.target_kind,
       coalesce(t.target_author, p.author_uid) AS target_author
FROM pointed t
JOIN cm_assign m ON m.account_uid = t.account
LEFT JOIN posts p ON t.target_kind = 'post' AND p.uid = t.target;
