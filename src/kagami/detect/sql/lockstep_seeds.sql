-- One seed group per account with at least $m_accounts - 1 pair partners: the account and its partners.
-- The group is named after its seed account (its id) until the final numbering. Seeds with the same
-- members are kept once, as the one named first: the refinement would give them the same targets and
-- members, and keep only that one (so the result is the same, for less work).
CREATE OR REPLACE TEMP TABLE lk_seeds AS
WITH nb AS (
    SELECT a AS g, b AS account FROM lk_pairs
    UNION ALL
    SELECT b, a FROM lk_pairs
), ego AS (
    SELECT g FROM nb GROUP BY g HAVING count(*) >= $m_accounts - 1
)
SELECT g, account FROM nb WHERE g IN (SELECT g FROM ego)
UNION ALL
SELECT g, g FROM ego;

CREATE OR REPLACE TEMP TABLE lk_members AS
WITH rosters AS (
    SELECT g, string_agg(CAST(account AS VARCHAR), ',' ORDER BY account) AS roster FROM lk_seeds GROUP BY g
)
SELECT g, account FROM lk_seeds WHERE g IN (SELECT min(g) FROM rosters GROUP BY roster);

DROP TABLE lk_seeds;
DROP TABLE lk_pe;
DROP TABLE lk_pairs;
