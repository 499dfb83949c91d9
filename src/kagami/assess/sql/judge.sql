-- The campaign judgement (kagami.assess.judge): per-account signals, per-group evidence, verdicts.
-- Needs the detectors' tables; missing optional ones are replaced by empty stand-ins by judge.py.
-- Parameters: $alpha, $strength_scale, $lockstep_strength, $young_days, $automated_min, $origin_min,
-- $w_fresh, $w_automated, $w_deceptive, $w_claims, $w_foreign, $w_copy, $w_no_hub, $w_pod,
-- $pod_min_amplifiers, $pod_min_share, $campaign_min, $behaviour_min,
-- $min_size, $member_min_partners, $member_min_coordination, $hub_min_share, $public_min, $public_share,
-- $declared_pattern.

-- name: inputs
-- Read several times below, built once: every co-action edge from both ends, and every engagement with
-- a post (actor, target, kind).
CREATE OR REPLACE TEMP TABLE _as_pairs AS
SELECT a AS uid, b AS partner, layer, weight, qvalue FROM coaction_edges WHERE a <> b
UNION ALL
SELECT b, a, layer, weight, qvalue FROM coaction_edges WHERE a <> b;

CREATE OR REPLACE TEMP TABLE _as_eng AS
SELECT author_uid AS actor, ref_uid AS target, 'repost' AS kind FROM posts WHERE ref_uid IS NOT NULL
UNION ALL SELECT author_uid, quote_of_uid, 'quote' FROM posts WHERE quote_of_uid IS NOT NULL
UNION ALL SELECT author_uid, reply_to_uid, 'reply' FROM posts WHERE reply_to_uid IS NOT NULL
UNION ALL SELECT actor_uid, target_uid, 'like' FROM actions WHERE kind = 'like' AND target_kind = 'post';

-- name: accounts
-- One row per account: its own coordination, automation and origin signals.
CREATE OR REPLACE TABLE assess_accounts AS
WITH sig AS (
    SELECT uid, partner, layer, weight FROM _as_pairs WHERE qvalue <= $alpha
), co AS (
    SELECT uid, count(DISTINCT partner) AS partners, sum(weight) AS strength,
           list(DISTINCT layer ORDER BY layer) AS layers
    FROM sig GROUP BY uid
), lk AS (
    SELECT account_uid AS uid, min(group_id) AS lockstep_group, max(targets) AS lockstep_targets,
           arg_max(layer, targets) AS lockstep_layer
    FROM lockstep_groups GROUP BY account_uid
), tz AS (
    SELECT subject_uid AS uid, confidence, best_offset_h, schedule
    FROM origin_timezone WHERE kind = 'account' AND NOT coalesce(jst_consistent, true)
), twin AS (
    -- one person or operator on two platforms: the same texts posted from both, beyond chance
    SELECT uid, min(partner) AS twin FROM _as_pairs
    WHERE layer = 'text' AND qvalue <= $alpha AND split_part(uid, ':', 1) <> split_part(partner, ':', 1)
    GROUP BY uid
), cl AS (
    SELECT p.author_uid AS uid, count(*) AS n
    FROM claim_matches c JOIN posts p ON p.uid = c.post_uid GROUP BY p.author_uid
), og AS (
    SELECT a.uid,
           greatest(coalesce(tz.confidence, 0), coalesce(l.confidence, 0), coalesce(k.confidence, 0)) AS origin,
           tz.confidence AS tz_conf, tz.best_offset_h, l.confidence AS lang_conf, l.simplified_share,
           k.confidence AS link_conf, k.state_media_posts, k.io_posts, k.lookalike_posts
    FROM accounts a
    LEFT JOIN tz ON tz.uid = a.uid
    LEFT JOIN origin_language l ON l.account_uid = a.uid
    LEFT JOIN origin_link_accounts k ON k.account_uid = a.uid
)
SELECT a.uid, a.platform, a.id AS account_id, a.handle, a.created_at, a.first_seen, a.last_seen,
       coalesce(a.bot, false) OR regexp_matches(lower(concat_ws(' ', a.handle, a.display_name, a.description)),
                                                $declared_pattern) AS declared_bot,
       date_diff('day', a.created_at, a.first_seen) AS age_days,
       coalesce(co.partners, 0) AS partners, coalesce(co.strength, 0) AS strength, co.layers,
       lk.lockstep_group, lk.lockstep_targets, lk.lockstep_layer, cm.community_id, cm.degree AS community_degree,
       1 - exp(-(coalesce(co.strength, 0) + CASE WHEN lk.uid IS NULL THEN 0 ELSE $lockstep_strength END)
               / $strength_scale) AS coordination,
       coalesce(s.score, 0) AS automation, s.top_reasons AS automation_reasons,
       coalesce(og.origin, 0) AS origin, og.tz_conf, og.best_offset_h, og.lang_conf, og.simplified_share,
       og.link_conf, og.state_media_posts, og.io_posts, og.lookalike_posts,
       coalesce(cl.n, 0) AS claim_posts, least(a.uid, coalesce(twin.twin, a.uid)) AS persona
FROM accounts a
LEFT JOIN co ON co.uid = a.uid
LEFT JOIN lk ON lk.uid = a.uid
LEFT JOIN community_members cm ON cm.account_uid = a.uid
LEFT JOIN automation_scores s ON s.account_uid = a.uid
LEFT JOIN og ON og.uid = a.uid
LEFT JOIN cl ON cl.uid = a.uid
LEFT JOIN twin ON twin.uid = a.uid;

-- name: eligible
-- Per community member: whether its own coordination would flag it, were its group a campaign —
-- significant co-action with at least $member_min_partners others of the group (on quotes and replies
-- only for a young or automated account: honest critics of a politician meet a flood on his posts), or
-- lockstep (mostly by quotes of outside posts only for an automated account), and coordination of at
-- least $member_min_coordination. A group is judged on these members: bystanders the community detection
-- drew in (critics quoting the same posts as a flood) neither dilute nor make its evidence.
-- _as_counted: the co-action pairs that count for their account (uid) — quotes and replies of outside
-- posts only for a young or automated account; read here and for participants below.
CREATE OR REPLACE TEMP TABLE _as_counted AS
SELECT e.uid, e.partner, e.qvalue
FROM _as_pairs e JOIN assess_accounts x ON x.uid = e.uid
WHERE NOT list_contains($participant_exclude, e.layer) OR x.age_days < $young_days
   OR x.automation >= $automated_min;

CREATE OR REPLACE TEMP TABLE _as_member AS
WITH inner_partners AS (
    SELECT e.uid, count(DISTINCT e.partner) AS n FROM _as_counted e
    JOIN community_members ma ON ma.account_uid = e.uid
    JOIN community_members mb ON mb.account_uid = e.partner AND mb.community_id = ma.community_id
    WHERE e.qvalue <= $alpha
    GROUP BY e.uid
)
SELECT a.uid, a.community_id, coalesce(ip.n, 0) AS inner_partners,
       NOT a.declared_bot
           AND (coalesce(ip.n, 0) >= $member_min_partners
                OR (a.lockstep_group IS NOT NULL
                    AND (NOT list_contains($participant_exclude, a.lockstep_layer)
                         OR a.automation >= $automated_min)))
           AND a.coordination >= $member_min_coordination AS eligible
FROM assess_accounts a LEFT JOIN inner_partners ip ON ip.uid = a.uid
WHERE a.community_id IS NOT NULL;

-- name: groups
-- One row per community: the share of its eligible members (above) carrying each inauthenticity
-- indicator, and the evidence (self-declared automated accounts are transparent: they are neither
-- counted nor flagged). E = 1 - prod(1 - w_k * I_k) (a noisy-OR: independent indicators each able to
-- raise it).
CREATE OR REPLACE TABLE assess_groups AS
WITH m AS (
    SELECT community_id, count(*) AS n, count(DISTINCT persona) AS personas,
           count(age_days) AS age_known,
           count(*) FILTER (WHERE age_days < $young_days) AS young,
           count(*) FILTER (WHERE automation >= $automated_min) AS automated,
           count(*) FILTER (WHERE link_conf >= $origin_min
                            AND (coalesce(lookalike_posts, 0) + coalesce(io_posts, 0)
                                 + coalesce(state_media_posts, 0)) > 0) AS deceptive,
           count(*) FILTER (WHERE claim_posts > 0) AS claims,
           count(*) FILTER (WHERE greatest(coalesce(tz_conf, 0), coalesce(lang_conf, 0)) >= $origin_min) AS foreign_n
    FROM assess_accounts JOIN _as_member USING (uid, community_id) WHERE eligible GROUP BY community_id
), hub AS (
    SELECT community_id, unnest(hubs) AS uid FROM communities
), eng AS (
    SELECT actor, target, kind IN ('repost', 'like') AS amplifies FROM _as_eng
), hub_eng AS (
    SELECT h.community_id, h.uid, e.actor, e.amplifies, cm.account_uid IS NOT NULL AS inside
    FROM hub h JOIN posts t ON t.author_uid = h.uid AND t.kind <> 'repost'
    JOIN eng e ON e.target = t.uid
    LEFT JOIN community_members cm ON cm.account_uid = e.actor AND cm.community_id = h.community_id
    WHERE e.actor <> h.uid
), audience AS (
    -- per group, the audience outside the group of each hub the group amplifies (reposts or likes);
    -- a hub the group mostly quotes or replies to is its target, not its voice
    SELECT community_id, uid, count(DISTINCT actor) FILTER (WHERE NOT inside) AS outside
    FROM hub_eng GROUP BY community_id, uid
    HAVING count(*) FILTER (WHERE inside AND amplifies) > count(*) FILTER (WHERE inside AND NOT amplifies)
), best AS (
    SELECT community_id, max(outside) AS hub_audience FROM audience GROUP BY community_id
), amp_in AS (
    -- mutual amplification (an engagement pod): members reposting or liking other members' own posts
    SELECT DISTINCT cm.community_id, e.actor, p.author_uid AS author
    FROM eng e JOIN posts p ON p.uid = e.target
    JOIN community_members cm ON cm.account_uid = e.actor
    JOIN community_members ca ON ca.account_uid = p.author_uid AND ca.community_id = cm.community_id
    WHERE e.amplifies AND p.author_uid <> e.actor
), pod AS (
    -- pod_n: members amplified by at least $pod_min_amplifiers others; amp_n: members who amplify others
    SELECT a.community_id, a.pod_n, b.amp_n FROM (
        SELECT community_id, count(*) FILTER (WHERE k >= $pod_min_amplifiers) AS pod_n
        FROM (SELECT community_id, author, count(*) AS k FROM amp_in GROUP BY community_id, author)
        GROUP BY community_id
    ) a JOIN (
        SELECT community_id, count(DISTINCT actor) AS amp_n FROM amp_in GROUP BY community_id
    ) b USING (community_id)
), i AS (
    -- (a community with no eligible member has n = 0, no member-share indicator and no campaign: nobody to flag)
    SELECT c.community_id, c.size, c.layers, c.hubs, coalesce(m.n, 0) AS n, coalesce(m.personas, 0) AS personas,
           coalesce(m.age_known, 0) AS age_known, coalesce(best.hub_audience, 0) AS hub_audience,
           coalesce(m.young / (m.age_known + $age_prior), 0) AS i_fresh,
           coalesce(m.automated / m.n, 0) AS i_automated,
           coalesce(m.deceptive / m.n, 0) AS i_deceptive,
           coalesce(m.claims / m.n, 0) AS i_claims,
           -- the members' own indicators, or the group's pooled schedule or script when that is foreign
           greatest(coalesce(m.foreign_n / m.n, 0),
                    CASE WHEN og.tz_confidence >= $origin_min AND NOT coalesce(og.jst_consistent, true)
                         THEN og.tz_confidence ELSE 0 END,
                    CASE WHEN og.lang_confidence >= $origin_min THEN og.lang_confidence ELSE 0 END) AS i_foreign,
           -- among the members who amplify other members (counting at least half the group): critics
           -- who only quote the same posts, pulled in by quote lockstep, do not dilute a pod
           -- and only a clear majority: fans like each other's posts too (fandoms 0.13-0.43 measured)
           CASE WHEN least(1.0, coalesce(pod.pod_n, 0) / greatest(pod.amp_n, m.n / 2, 1)) >= $pod_min_share
                THEN least(1.0, coalesce(pod.pod_n, 0) / greatest(pod.amp_n, m.n / 2, 1)) ELSE 0 END AS i_pod,
           CASE WHEN list_contains(c.layers, 'text') THEN 1 ELSE 0 END AS i_copy,
           CASE WHEN len(list_intersect(c.layers, ['repost', 'like', 'link', 'link_rare', 'domain'])) > 0
                     AND coalesce(best.hub_audience, 0) < greatest($public_min, $public_share * coalesce(m.n, 0))
                THEN 1 ELSE 0 END AS i_no_hub
    FROM communities c LEFT JOIN m USING (community_id) LEFT JOIN best USING (community_id)
    LEFT JOIN pod USING (community_id)
    LEFT JOIN origin_groups og ON og.group_uid = 'community:' || c.community_id
), e AS (
    SELECT *,
           1 - (1 - $w_fresh * i_fresh) * (1 - $w_automated * i_automated) * (1 - $w_no_hub * i_no_hub)
             * (1 - $w_pod * i_pod) AS behaviour,
           1 - (1 - $w_fresh * i_fresh) * (1 - $w_automated * i_automated) * (1 - $w_deceptive * i_deceptive)
             * (1 - $w_claims * i_claims) * (1 - $w_foreign * i_foreign) * (1 - $w_copy * i_copy)
             * (1 - $w_no_hub * i_no_hub) * (1 - $w_pod * i_pod) AS evidence
    FROM i
)
-- a campaign needs evidence of inauthentic behaviour of its own (young or automated accounts, a closed
-- loop, a pod) of at least $behaviour_min: content and origin can raise it, never stand in for it
SELECT *, personas >= $min_size AND evidence >= $campaign_min AND behaviour >= $behaviour_min AS is_campaign
FROM e;

-- name: verdicts
-- A member of a campaign group is flagged when its own coordination supports it (it is eligible, above).
-- Its score weighs its own coordination by the group's evidence.
-- A participant is an account outside the group whose co-action with at least $participant_min_partners
-- flagged members is suggestive (q <= $participant_q) on the group's own content or amplification (not
-- on quotes or replies of outside targets, where critics meet a flood, unless the account itself is young
-- or automated): one who joined the campaign's pushes too seldom for a significant edge of its own, but
-- with many of its members.
-- A hub (an account whose posts the group amplifies) is flagged with the campaign only when its own
-- account is young or automated and at least $hub_min_share of the engagements with its posts come from
-- the group: a real politician or idol amplified by a ring is the ring's target, not its member.
CREATE OR REPLACE TABLE assess_verdicts AS
WITH members AS (
    SELECT a.uid, g.community_id, 'member' AS role, g.is_campaign AND em.eligible AS flagged,
           em.inner_partners,
           CASE WHEN g.is_campaign THEN a.coordination * g.evidence ELSE 0 END AS score
    FROM assess_accounts a
    JOIN assess_groups g ON g.community_id = a.community_id
    JOIN _as_member em ON em.uid = a.uid
), hubs AS (
    SELECT g.community_id, unnest(g.hubs) AS uid, g.evidence FROM assess_groups g WHERE g.is_campaign
), hub_eng AS (
    SELECT h.community_id, h.uid, h.evidence, count(*) AS n,
           count(*) FILTER (WHERE cm.community_id = h.community_id) AS from_group
    FROM hubs h
    JOIN posts t ON t.author_uid = h.uid AND t.kind <> 'repost'
    JOIN _as_eng e ON e.target = t.uid AND e.kind IN ('repost', 'quote')
    LEFT JOIN community_members cm ON cm.account_uid = e.actor
    GROUP BY ALL
), flagged_members AS (
    SELECT m.uid, m.community_id FROM members m WHERE m.flagged
), suggestive AS (
    SELECT uid, partner AS other FROM _as_counted WHERE qvalue <= $participant_q
), participants AS (
    SELECT s.uid, f.community_id, count(DISTINCT s.other) AS n
    FROM suggestive s JOIN flagged_members f ON f.uid = s.other
    WHERE s.uid NOT IN (SELECT uid FROM flagged_members)
    GROUP BY s.uid, f.community_id
    HAVING count(DISTINCT s.other) >= $participant_min_partners
    QUALIFY row_number() OVER (PARTITION BY s.uid ORDER BY count(DISTINCT s.other) DESC, f.community_id) = 1
)
SELECT * FROM members
UNION ALL
SELECT p.uid, p.community_id, 'participant', NOT a.declared_bot, p.n, a.coordination * g.evidence
FROM participants p JOIN assess_accounts a ON a.uid = p.uid JOIN assess_groups g ON g.community_id = p.community_id
UNION ALL
SELECT h.uid, h.community_id, 'hub',
       (a.age_days < $young_days OR a.automation >= $automated_min) AND NOT a.declared_bot
           AND h.from_group >= $hub_min_share * h.n,
       0, h.evidence * h.from_group / h.n
FROM hub_eng h JOIN assess_accounts a ON a.uid = h.uid
WHERE h.uid NOT IN (SELECT uid FROM members);
