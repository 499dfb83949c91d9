-- Work-schedule time zone: activity histograms by UTC hour of the week, likelihood of each (schedule,
-- UTC offset) template, posteriors, and per-country holiday day counts. Staged inputs: _ot_members
-- (subject_uid, account_uid), _ot_tpl (template, offset_h, how, logp, logprior), _ot_hol (country,
-- offset_h, day, kind). Sections are run one at a time by origin_time.py.

-- name: members_accounts
CREATE OR REPLACE TEMP TABLE _ot_members AS
SELECT DISTINCT author_uid AS subject_uid, author_uid AS account_uid FROM posts WHERE author_uid IS NOT NULL
UNION
SELECT DISTINCT actor_uid, actor_uid FROM actions WHERE actor_uid IS NOT NULL AND $with_actions

-- name: events
-- Every timed post (any kind) and, when asked, every timed action of the subject's accounts.
CREATE OR REPLACE TEMP TABLE _ot_ev AS
WITH e AS (
    SELECT author_uid AS account, created_at AS t FROM posts WHERE created_at IS NOT NULL
    UNION ALL
    SELECT actor_uid, created_at FROM actions WHERE created_at IS NOT NULL AND $with_actions
)
SELECT m.subject_uid, e.t FROM _ot_members m JOIN e ON e.account = m.account_uid

-- name: hist
CREATE OR REPLACE TEMP TABLE _ot_h AS
SELECT subject_uid, (isodow(t) - 1) * 24 + hour(t) AS how, count(*) AS n FROM _ot_ev GROUP BY ALL

-- name: fit
-- Log-likelihood of each (template, offset) plus its log prior, then the posterior over them. The
-- log-likelihood is the dot product of the subject's 168 hour-of-week counts with the template's 168 log
-- probabilities: one row per (subject, template), not per (subject, hour, template).
CREATE OR REPLACE TEMP TABLE _ot_post AS
WITH n AS (SELECT subject_uid, sum(n) AS n FROM _ot_h GROUP BY ALL HAVING sum(n) >= $min_posts),
dense AS (
    SELECT n.subject_uid, w.how, coalesce(h.n, 0) AS n
    FROM n CROSS JOIN (SELECT CAST(range AS BIGINT) AS how FROM range(168)) w
    LEFT JOIN _ot_h h ON h.subject_uid = n.subject_uid AND h.how = w.how
), vec AS (
    SELECT subject_uid, list(CAST(n AS DOUBLE) ORDER BY how) AS v FROM dense GROUP BY subject_uid
), tpl AS (
    SELECT template, offset_h, list(logp ORDER BY how) AS lp, any_value(logprior) AS logprior
    FROM _ot_tpl GROUP BY template, offset_h
), ll AS (
    SELECT v.subject_uid, t.template, t.offset_h, list_dot_product(v.v, t.lp) + t.logprior AS ll
    FROM vec v CROSS JOIN tpl t
), d AS (SELECT *, ll - max(ll) OVER (PARTITION BY subject_uid) AS d FROM ll)
SELECT subject_uid, template, offset_h, exp(d) / sum(exp(d)) OVER (PARTITION BY subject_uid) AS post FROM d

-- name: summary
-- Per subject: the schedule (template with the most posterior), its best and second offsets, the
-- posterior of JST-consistent hypotheses, and the evidence the analyst reads.
CREATE OR REPLACE TEMP TABLE _ot_sum AS
WITH tm AS (
    SELECT subject_uid, template, sum(post) AS p FROM _ot_post GROUP BY ALL
), sched AS (
    SELECT subject_uid, arg_max(template, p) AS schedule,
           map_from_entries(list(struct_pack(k := template, v := round(p, 4)))) AS p_schedule
    FROM tm GROUP BY ALL
), ranked AS (
    SELECT o.subject_uid, o.offset_h, o.post,
           row_number() OVER (PARTITION BY o.subject_uid ORDER BY o.post DESC, abs(o.offset_h - 9)) AS r
    FROM _ot_post o JOIN sched s ON s.subject_uid = o.subject_uid AND s.schedule = o.template
), jst AS (
    SELECT subject_uid,
           sum(post) FILTER (WHERE (template = 'office' AND offset_h = 9)
                                OR (template = 'daytime' AND least((offset_h - 9 + 48) % 24, (9 - offset_h + 48) % 24)
                                                              <= $daytime_spread)
                                OR (template = 'leisure' AND least((offset_h - 9 + 48) % 24, (9 - offset_h + 48) % 24)
                                                              <= $leisure_spread)
                                OR template = 'flat') AS p_jst
    FROM _ot_post GROUP BY ALL
)
SELECT s.subject_uid, s.schedule, s.p_schedule, j.p_jst,
       max(r.offset_h) FILTER (WHERE r.r = 1) AS best_offset_h,
       max(r.offset_h) FILTER (WHERE r.r = 2) AS second_offset_h,
       max(r.post) FILTER (WHERE r.r = 1) AS p_best,
       list(struct_pack(h := r.offset_h, p := round(r.post, 4)) ORDER BY r.r) FILTER (WHERE r.r <= 3) AS top
FROM sched s JOIN jst j USING (subject_uid) JOIN ranked r USING (subject_uid)
GROUP BY s.subject_uid, s.schedule, s.p_schedule, j.p_jst

-- name: profile
-- Counts by UTC hour of the day, and the share of activity on UTC Saturdays and Sundays.
CREATE OR REPLACE TEMP TABLE _ot_prof AS
WITH hrs AS (SELECT subject_uid, how % 24 AS hr, sum(n) AS n FROM _ot_h GROUP BY ALL),
wk AS (SELECT subject_uid, coalesce(sum(n) FILTER (WHERE how >= 120), 0) / sum(n) AS weekend_share FROM _ot_h GROUP BY ALL)
SELECT w.subject_uid, any_value(w.weekend_share) AS weekend_share,
       list(coalesce(h.n, 0) ORDER BY g.range) AS utc_hours
FROM wk w CROSS JOIN range(24) g LEFT JOIN hrs h ON h.subject_uid = w.subject_uid AND h.hr = g.range
GROUP BY w.subject_uid

-- name: days
-- Per subject and country: weekday holidays in the subject's active span (local dates at the country's
-- offset), the activity on them, and on the country's ordinary working days.
CREATE OR REPLACE TEMP TABLE _ot_days AS
WITH c AS (SELECT DISTINCT country, offset_h FROM _ot_hol),
ev AS (
    SELECT e.subject_uid, c.country, CAST(e.t + to_hours(c.offset_h) AS DATE) AS day
    FROM _ot_ev e JOIN (SELECT subject_uid FROM _ot_h GROUP BY ALL HAVING sum(n) >= $min_posts) s
         USING (subject_uid) CROSS JOIN c
), cnt AS (SELECT subject_uid, country, day, count(*) AS n FROM ev GROUP BY ALL),
bounds AS (SELECT subject_uid, country, min(day) AS lo, max(day) AS hi FROM cnt GROUP BY ALL),
span AS (
    SELECT subject_uid, country, CAST(unnest(generate_series(lo, hi, INTERVAL 1 DAY)) AS DATE) AS day FROM bounds
), cls AS (
    SELECT s.subject_uid, s.country, s.day, coalesce(c.n, 0) AS n,
           coalesce(h.kind = 'holiday', false) AND isodow(s.day) <= 5 AS hol,
           (isodow(s.day) <= 5 AND h.kind IS NULL) OR coalesce(h.kind = 'workday', false) AS work
    FROM span s LEFT JOIN cnt c USING (subject_uid, country, day)
    LEFT JOIN _ot_hol h ON h.country = s.country AND h.day = s.day
)
SELECT subject_uid, country,
       count(*) FILTER (WHERE hol) AS hol_days, coalesce(sum(n) FILTER (WHERE hol), 0) AS hol_n,
       count(*) FILTER (WHERE work) AS work_days, coalesce(sum(n) FILTER (WHERE work), 0) AS work_n
FROM cls GROUP BY ALL

-- name: output
DELETE FROM origin_timezone WHERE kind = $kind AND subject_uid IN (SELECT subject_uid FROM _ot_members);
INSERT INTO origin_timezone
SELECT n.subject_uid, $kind, n.n, su.schedule,
       CASE WHEN su.schedule <> 'flat' THEN su.best_offset_h END,
       CASE WHEN su.schedule <> 'flat' THEN su.second_offset_h END,
       coalesce(su.p_best * n.n / (n.n + $n_half)
                * CASE su.schedule WHEN 'office' THEN $w_office WHEN 'daytime' THEN $w_daytime
                                WHEN 'leisure' THEN $w_leisure ELSE 0.0 END, 0.0),
       NOT (n.n >= $jst_min_posts AND coalesce(su.p_jst, 1.0) < $jst_alpha),
       coalesce(hs.holiday_signal, 'untested'),
       CAST(to_json(struct_pack(
           schedule_posterior := su.p_schedule, top_offsets := su.top, p_jst := round(su.p_jst, 4),
           utc_hours := pr.utc_hours, weekend_share := round(pr.weekend_share, 3),
           holidays := json(hs.holidays),
           note := CASE WHEN n.n < $min_posts THEN 'fewer than min_posts events: no fit' END)) AS VARCHAR)
FROM (SELECT subject_uid, sum(n) AS n FROM _ot_h GROUP BY ALL) n
LEFT JOIN _ot_sum su USING (subject_uid)
LEFT JOIN _ot_prof pr USING (subject_uid)
LEFT JOIN _ot_holsig hs USING (subject_uid)
ORDER BY n.subject_uid
