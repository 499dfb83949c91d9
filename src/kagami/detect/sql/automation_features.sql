-- Automation features: one row per account in `accounts`, from its posts, profile and observations.
-- Parameters: $tz_offset_s (local time = UTC + offset; JST 32400), $night_from / $night_to (local hours,
-- [from, to)), $min_events (timed posts needed for timing features), $wave_hours (half-width of the
-- creation-wave window), $context_days (half-width of the window the wave's expectation comes from),
-- $bare_max_chars (own characters a quote may have and still be bare), $clients (official clients).

-- Timed posts of every kind, with local hour, hour of the week and gap to the previous post.
CREATE OR REPLACE TEMP TABLE _au_ev AS
SELECT author_uid AS account_uid, kind, source,
       epoch(created_at) AS t,
       CAST(floor((epoch(created_at) + $tz_offset_s) / 3600) AS BIGINT) % 24 AS hod,
       CAST(floor((epoch(created_at) + $tz_offset_s) / 3600) AS BIGINT) % 168 AS how,
       CAST(floor(epoch(created_at) / 180) AS BIGINT) % 20 AS moh3,
       epoch(created_at) - lag(epoch(created_at)) OVER (PARTITION BY author_uid ORDER BY created_at, uid) AS gap,
       CASE WHEN kind = 'quote' THEN length(regexp_replace(
           coalesce(text, ''), '(https?://\S+)|([@＠#＃][^\s]+)|[\s\p{P}\p{S}]', '', 'g')) END AS own_chars
FROM posts
WHERE author_uid IS NOT NULL AND created_at IS NOT NULL;

CREATE OR REPLACE TEMP TABLE _au_hours AS
SELECT account_uid, -sum(p * log2(p)) / log2(24) AS hour_entropy, count(*) / 24.0 AS hours_active_share
FROM (
    SELECT account_uid, hod, count(*) / sum(count(*)) OVER (PARTITION BY account_uid) AS p
    FROM _au_ev GROUP BY account_uid, hod
)
GROUP BY account_uid;

-- Clock alignment: the share of posts in the account's most used 3-minute slot of the hour (schedulers).
CREATE OR REPLACE TEMP TABLE _au_clock AS
SELECT account_uid, max(n) / sum(n) AS clock_aligned_share
FROM (SELECT account_uid, moh3, count(*) AS n FROM _au_ev GROUP BY account_uid, moh3)
GROUP BY account_uid;

CREATE OR REPLACE TEMP TABLE _au_act AS
SELECT account_uid,
       count(*) AS n_posts,
       avg(gap) AS iet_mean_s,
       CASE WHEN avg(gap) > 0 THEN stddev_pop(gap) / avg(gap) END AS iet_cv,
       CASE WHEN stddev_pop(gap) + avg(gap) > 0
            THEN (stddev_pop(gap) - avg(gap)) / (stddev_pop(gap) + avg(gap)) END AS burstiness,
       count(DISTINCT how) / 168.0 AS week_hours_share,
       avg(CASE WHEN hod >= $night_from AND hod < $night_to THEN 1.0 ELSE 0.0 END) AS night_share,
       avg(CASE WHEN kind = 'repost' THEN 1.0 ELSE 0.0 END) AS repost_share,
       avg(CASE WHEN kind = 'quote' AND own_chars <= $bare_max_chars THEN 1.0 ELSE 0.0 END) AS bare_quote_share,
       avg(CASE WHEN source IS NULL THEN NULL WHEN list_contains($clients, source) THEN 0.0 ELSE 1.0 END)
           AS third_party_client_share
FROM _au_ev
GROUP BY account_uid;

-- Profile history: distinct values each field took over every observation (changes = distinct - 1).
CREATE OR REPLACE TEMP TABLE _au_prof AS
SELECT uid AS account_uid,
       greatest(count(DISTINCT display_name) - 1, 0) + greatest(count(DISTINCT handle) - 1, 0)
           + greatest(count(DISTINCT description) - 1, 0) AS profile_changes
FROM account_observations
GROUP BY uid;

-- Creation waves: accounts of the same platform created within +-$wave_hours, against the count that the
-- creation rate of the surrounding +-$context_days (the wave's own window left out) predicts.
CREATE OR REPLACE TEMP TABLE _au_wave AS
WITH c AS (
    SELECT uid AS account_uid, platform, epoch(created_at) AS e FROM accounts WHERE created_at IS NOT NULL
), n AS (
    SELECT account_uid,
           count(*) OVER (PARTITION BY platform ORDER BY e
               RANGE BETWEEN $wave_hours * 3600.0 PRECEDING AND $wave_hours * 3600.0 FOLLOWING) - 1 AS near,
           count(*) OVER (PARTITION BY platform ORDER BY e
               RANGE BETWEEN $context_days * 86400.0 PRECEDING AND $context_days * 86400.0 FOLLOWING) - 1 AS ctx
    FROM c
)
SELECT account_uid, near AS created_nearby,
       (ctx - near) * $wave_hours / ($context_days * 24.0 - $wave_hours) AS created_expected
FROM n;

CREATE OR REPLACE TABLE automation_features AS
WITH h AS (
    SELECT uid, platform, handle, display_name, default_avatar, bot, followers, following, posts_count,
           created_at, first_seen, last_seen,
           split_part(handle, '.', 1) AS local_handle
    FROM accounts
)
SELECT h.uid AS account_uid, h.platform,
       coalesce(a.n_posts, 0) AS n_posts,
       CASE WHEN a.n_posts >= $min_events THEN a.iet_cv END AS iet_cv,
       CASE WHEN a.n_posts >= $min_events THEN a.burstiness END AS burstiness,
       CASE WHEN a.n_posts >= $min_events THEN hr.hour_entropy END AS hour_entropy,
       CASE WHEN a.n_posts >= $min_events THEN hr.hours_active_share END AS hours_active_share,
       CASE WHEN a.n_posts >= $min_events THEN a.week_hours_share END AS week_hours_share,
       CASE WHEN a.n_posts >= $min_events THEN a.night_share END AS night_share,
       CASE WHEN a.n_posts >= $min_events THEN ck.clock_aligned_share END AS clock_aligned_share,
       a.repost_share, a.bare_quote_share, a.third_party_client_share,
       h.handle,
       length(regexp_extract(h.local_handle, '[0-9]*$')) AS handle_trailing_digits,
       regexp_matches(h.local_handle, '^[A-Za-z_]+[0-9]{6,}$') AS handle_name_digits,
       (regexp_matches(lower(h.local_handle), '[bcdfghjklmnpqrstvwxz]{5,}')
        OR (length(h.local_handle) >= 8
            AND length(regexp_replace(h.local_handle, '([A-Za-z]+[0-9]+){3,}', '', 'g'))
                < length(h.local_handle))) AS handle_random,
       h.display_name,
       regexp_matches(h.display_name, '^[\p{Han}\p{Katakana}ー・ 　]{2,10}$')
           AND regexp_matches(h.display_name, '\p{Han}|\p{Katakana}') AS plain_jp_name,
       h.default_avatar,
       date_diff('second', h.created_at, h.first_seen) / 86400.0 AS age_days,
       w.created_nearby, w.created_expected,
       (w.created_nearby + 1.0) / (w.created_expected + 1.0) AS creation_wave,
       h.followers, h.following,
       log10((h.followers + 10.0) / (h.following + 10.0)) AS follow_ratio_log10,
       p.profile_changes,
       h.bot AS self_declared_bot,
       CASE WHEN h.posts_count IS NOT NULL AND h.created_at IS NOT NULL
            THEN h.posts_count / greatest(date_diff('second', h.created_at, coalesce(h.last_seen, h.first_seen))
                                          / 86400.0, 1.0) END AS posts_per_day
FROM h
LEFT JOIN _au_act a ON a.account_uid = h.uid
LEFT JOIN _au_hours hr ON hr.account_uid = h.uid
LEFT JOIN _au_clock ck ON ck.account_uid = h.uid
LEFT JOIN _au_prof p ON p.account_uid = h.uid
LEFT JOIN _au_wave w ON w.account_uid = h.uid
ORDER BY h.uid;
