-- Refinement, step 2: any account (member or not) belongs to a group when it engaged, inside the band, with
-- at least max($n_targets, $rho * |targets|) of the group's targets. Groups left with fewer than
-- $n_targets targets or $m_accounts members vanish; groups with identical members are kept once.
CREATE OR REPLACE TEMP TABLE lk_next AS
WITH sizes AS (
    SELECT g, count(*) AS n_t FROM lk_targets GROUP BY g HAVING count(*) >= $n_targets
), matched AS (
    SELECT t.g, e.account, count(*) AS hits
    FROM lk_targets t JOIN lk_events e ON e.target = t.target AND e.ts BETWEEN t.start AND t.stop
    WHERE t.g IN (SELECT g FROM sizes)
    GROUP BY t.g, e.account
), kept AS (
    SELECT m.g, m.account
    FROM matched m JOIN sizes s ON s.g = m.g
    WHERE m.hits >= greatest($n_targets, ceil($rho * s.n_t))
), big AS (
    SELECT g, string_agg(account, ',' ORDER BY account) AS roster
    FROM kept GROUP BY g HAVING count(*) >= $m_accounts
), unique_groups AS (
    SELECT min(g) AS g FROM big GROUP BY roster
)
SELECT g, account FROM kept WHERE g IN (SELECT g FROM unique_groups);
