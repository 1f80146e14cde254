-- bench/cases/growth.sql: how cost grows with the data (issue 7), for the
-- tag match, the sessionizer and connected components: the queries of
-- bench/cases/tags.sql, sessions.sql and identity.sql, on data from the
-- same generators (bench/gen.sql), at three sizes each.  Not one of
-- design.md's cases: it runs only when named, `bash bench/run.sh --only
-- growth`.  Besides the usual table (one section per case and size), it
-- fills bench.growth, which the driver prints as "How cost grows": per
-- size the medians, the ratio, the cost per row and how each side's time
-- grew against the previous size.
--
-- Sizes (--small: a tenth of each):
--   tags      100,000 / 300,000 / 1,000,000 customers (10M customers take
--             minutes to generate and index three ways on 2 cores);
--   sessions  100,000 / 1,000,000 / 3,000,000 contacts (at 10,000,000
--             each round of the three queries takes about a minute here,
--             8 minutes for the section; sessions.sql times 10M);
--   identity  100,000 / 300,000 / 1,000,000 links; the recursive CTE
--             runs up to 300,000 links (cte_max) and is capped above:
--             mycc alone at 1,000,000.
-- Variables from bench/driver.sh: small (on/off), runs, method.

\if :small
\set tags_sizes '10000 30000 100000'
\set sessions_sizes '10000 100000 300000'
\set identity_sizes '10000 30000 100000'
\set cte_max 30000
\else
\set tags_sizes '100000 300000 1000000'
\set sessions_sizes '100000 1000000 3000000'
\set identity_sizes '100000 300000 1000000'
\set cte_max 300000
\endif

CREATE EXTENSION IF NOT EXISTS intarray;
-- mycc's operators are found through the search_path, as users set it.
SET search_path = public, mycc;
SET max_parallel_workers_per_gather = 0;
\ir ../gen.sql

SELECT split_part(:'tags_sizes', ' ', 1) AS size \gset
\ir ../growth/tags.sql
SELECT split_part(:'tags_sizes', ' ', 2) AS size \gset
\ir ../growth/tags.sql
SELECT split_part(:'tags_sizes', ' ', 3) AS size \gset
\ir ../growth/tags.sql

SELECT split_part(:'sessions_sizes', ' ', 1) AS size \gset
\ir ../growth/sessions.sql
SELECT split_part(:'sessions_sizes', ' ', 2) AS size \gset
\ir ../growth/sessions.sql
SELECT split_part(:'sessions_sizes', ' ', 3) AS size \gset
\ir ../growth/sessions.sql

SELECT split_part(:'identity_sizes', ' ', 1) AS size \gset
\ir ../growth/identity.sql
SELECT split_part(:'identity_sizes', ' ', 2) AS size \gset
\ir ../growth/identity.sql
SELECT split_part(:'identity_sizes', ' ', 3) AS size \gset
\ir ../growth/identity.sql

RESET max_parallel_workers_per_gather;
