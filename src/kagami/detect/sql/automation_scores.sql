-- Automation scores from `automation_features` and the weights in `_au_w(feature, weight)`.
-- Each feature is first mapped to evidence x in [0, 1], where 0 is what an ordinary person shows (or the
-- feature is unknown: a NULL value contributes 0, whatever the mapping gives) and 1 is strong evidence; contribution = weight * x; score = sigmoid($bias + sum).
-- The mappings' constants are documented in docs/signals/automation.md. Parameters: $bias, $night_uniform
-- (the share of a uniform day that the night hours are), $reason_min (the least contribution named as a
-- reason), $max_reasons.

CREATE OR REPLACE TEMP TABLE _au_x AS
SELECT account_uid, unnest([
    {'feature': 'regularity', 'value': burstiness, 'x': greatest(0.0, -burstiness)},
    {'feature': 'round_the_clock', 'value': night_share,
     'x': least(1.0, greatest(0.0, 2.0 * night_share / $night_uniform - 1.0))},
    {'feature': 'clock_aligned', 'value': clock_aligned_share,
     'x': least(1.0, greatest(0.0, (clock_aligned_share - 0.3) / 0.5))},
    {'feature': 'hour_spread', 'value': hour_entropy,
     'x': least(1.0, greatest(0.0, (hour_entropy - 0.85) / 0.13))},
    {'feature': 'volume', 'value': posts_per_day, 'x': least(1.0, greatest(0.0, log10(posts_per_day) / 2.0))},
    {'feature': 'reposts_only', 'value': repost_share,
     'x': CASE WHEN n_posts >= 5 THEN greatest(0.0, (repost_share - 0.8) / 0.2) END},
    {'feature': 'bare_quotes', 'value': bare_quote_share, 'x': least(1.0, bare_quote_share / 0.5)},
    {'feature': 'third_party_client', 'value': third_party_client_share, 'x': third_party_client_share},
    {'feature': 'default_avatar', 'value': CAST(default_avatar AS DOUBLE), 'x': CAST(default_avatar AS DOUBLE)},
    {'feature': 'handle_name_digits', 'value': CAST(handle_trailing_digits AS DOUBLE),
     'x': CAST(handle_name_digits AS DOUBLE)},
    {'feature': 'handle_random', 'value': CAST(handle_random AS DOUBLE), 'x': CAST(handle_random AS DOUBLE)},
    {'feature': 'plain_jp_name', 'value': CAST(plain_jp_name AS DOUBLE), 'x': CAST(plain_jp_name AS DOUBLE)},
    {'feature': 'young', 'value': age_days, 'x': least(1.0, greatest(0.0, (90.0 - age_days) / 60.0))},
    {'feature': 'creation_wave', 'value': creation_wave,
     'x': least(1.0, greatest(0.0, log2(creation_wave) / 2.0))},
    {'feature': 'follow_ratio', 'value': follow_ratio_log10,
     'x': least(1.0, greatest(0.0, -follow_ratio_log10 / 1.5))},
    {'feature': 'profile_changes', 'value': CAST(profile_changes AS DOUBLE),
     'x': least(1.0, profile_changes / 3.0)},
    {'feature': 'self_declared_bot', 'value': CAST(self_declared_bot AS DOUBLE),
     'x': CAST(self_declared_bot AS DOUBLE)}
]) AS f
FROM automation_features;

CREATE OR REPLACE TABLE automation_scores AS
WITH c AS (
    SELECT x.account_uid, x.f.feature AS feature, x.f.value AS value,
           CASE WHEN x.f.value IS NULL OR x.f.x IS NULL THEN 0.0 ELSE w.weight * x.f.x END AS contribution
    FROM _au_x x JOIN _au_w w ON w.feature = x.f.feature
)
SELECT account_uid,
       1.0 / (1.0 + exp(-($bias + sum(contribution)))) AS score,
       coalesce(list(feature ORDER BY contribution DESC, feature)
           FILTER (WHERE contribution >= $reason_min)[1:$max_reasons], []) AS top_reasons,
       list({'feature': feature, 'value': value, 'contribution': contribution}
           ORDER BY contribution DESC, feature) AS contributions
FROM c
GROUP BY account_uid
ORDER BY account_uid;
