-- pg_dump and restore keep the identity graph: customers with their merge
-- columns, identities, contacts, the merge log, refused links, changed and
-- added guard rows, and the sequences.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mycc_identity_src;
DROP DATABASE IF EXISTS mycc_identity_plain;
DROP DATABASE IF EXISTS mycc_identity_custom;
CREATE DATABASE mycc_identity_src;
\c mycc_identity_src
SET client_min_messages = warning;
CREATE EXTENSION mycc;
-- A tier of our own, so that restoring the merge log needs mycc.tier's rows first.
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('gold', 35, 'instant', '2 minutes');
SELECT mycc.link('phone', '138 0013 8000', 'email', 'li.lei@example.com', 'crm') AS li_lei;
UPDATE mycc.customer SET tier = 'gold' WHERE id = 1;
SELECT mycc.resolve('wechat', 'o6_LiLei') AS wechat_customer;
SELECT mycc.link('wechat', 'o6_LiLei', 'phone', '13800138000', 'bind') AS merged;
SELECT mycc.resolve('email', 'x@example.com') AS x, mycc.resolve('email', 'y@example.com') AS y;
SELECT mycc.link('email', 'x@example.com', 'email', 'y@example.com', 'wrong') AS wrong;
SELECT mycc.unmerge(2) AS undone;
UPDATE mycc.identity_limit SET max_per_customer = 2 WHERE kind = 'phone';
INSERT INTO mycc.identity_limit (kind, max_per_customer) VALUES ('weibo', 1);
INSERT INTO mycc.identity_block (kind, value, reason) VALUES ('phone', '+861088888888', 'front desk');
SELECT mycc.link('app', 'anonymous', 'phone', '13800138000', 'app') AS refused;
INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, started_at, case_ref)
VALUES (1, 'phone', 'phone', '+8613800138000', '2026-11-02 09:00+00', 'BK-1'),
	(2, 'wechat', 'wechat', 'o6_LiLei', '2026-11-02 09:30+00', NULL);
\set fingerprint 'SELECT md5(string_agg(x, ''|'' ORDER BY x)) FROM ( SELECT format(''customer %s %s %s %s %s %s'', id, tier, lifetime_value, merged_into, root_id, merged_at IS NOT NULL) AS x FROM mycc.customer UNION ALL SELECT format(''mergetiers %s %s %s'', id, survivor_tier, merged_tier) FROM mycc.customer_merge UNION ALL SELECT format(''identity %s %s %s %s'', kind, value, customer_id, source) FROM mycc.identity UNION ALL SELECT format(''contact %s %s %s %s %s'', customer_id, id, channel, started_at, case_ref) FROM mycc.contact UNION ALL SELECT format(''merge %s %s %s %s %s'', id, survivor_id, absorbed_id, source, undone_at IS NOT NULL) FROM mycc.customer_merge UNION ALL SELECT format(''conflict %s %s %s %s'', id, kind_a, value_a, reason) FROM mycc.identity_conflict UNION ALL SELECT format(''limit %s %s %s'', kind, max_per_customer, seeded) FROM mycc.identity_limit UNION ALL SELECT format(''block %s %s %s %s'', kind, value, reason, seeded) FROM mycc.identity_block ) AS rows'
SELECT (:fingerprint) AS src_fingerprint \gset
\! pg_dump -Fp -f results/identity_dump.sql mycc_identity_src
\! pg_dump -Fc -f results/identity_dump.custom mycc_identity_src
\c contrib_regression
CREATE DATABASE mycc_identity_plain;
CREATE DATABASE mycc_identity_custom;
\! psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -f results/identity_dump.sql mycc_identity_plain
\! pg_restore --exit-on-error -d mycc_identity_custom results/identity_dump.custom

\c mycc_identity_plain
SELECT (:fingerprint) = :'src_fingerprint' AS plain_same;
SELECT kind, max_per_customer, seeded FROM mycc.identity_limit ORDER BY kind;
SELECT kind, value, reason, seeded FROM mycc.identity_block WHERE NOT seeded ORDER BY kind, value;
-- The graph works after restore: lookups, new customers, new merges.
SELECT mycc.lookup('email', 'li.lei@example.com') AS li_lei, mycc.lookup('email', 'y@example.com') AS y;
SELECT mycc.resolve('qq', '10001') AS next_customer;
SELECT mycc.link('qq', '10001', 'phone', '13800138000', 'after restore') AS linked;
SELECT id, survivor_id, absorbed_id FROM mycc.customer_merge ORDER BY id;
INSERT INTO mycc.contact (customer_id, channel) VALUES (1, 'sms') RETURNING id;
SELECT customer_id, conversation, channels, contacts FROM mycc.conversation ORDER BY 1, 2;

\c mycc_identity_custom
SELECT (:fingerprint) = :'src_fingerprint' AS custom_same;

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE mycc_identity_src;
DROP DATABASE mycc_identity_plain;
DROP DATABASE mycc_identity_custom;
