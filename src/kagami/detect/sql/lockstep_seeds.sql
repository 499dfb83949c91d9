-- One seed group per account with at least $m_accounts - 1 pair partners: the account and its partners.
-- The group is named after its seed account until the final numbering.
CREATE OR REPLACE TEMP TABLE lk_members AS
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
