-- The account graph: one edge per pair of accounts with at least one significant co-action layer
-- (qvalue <= $alpha); its weight is the sum of the significant layers' weights.
CREATE OR REPLACE TEMP TABLE cm_edges AS
SELECT a, b, sum(weight) AS weight, list(DISTINCT layer ORDER BY layer) AS layers
FROM coaction_edges
WHERE qvalue <= $alpha AND a <> b AND weight > 0
GROUP BY a, b;
