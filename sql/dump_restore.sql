-- pg_dump and restore keep mycc's data: a customised tier table (a
-- renamed seeded tier, a new tier), the customer_tier values that use
-- them, stored NPS and CSAT states, customers (with their tags) and
-- surveys, tagset and tagquery columns, treatment rules, the tombstones of
-- deleted tiers (a deleted seeded tier stays deleted), routing (queues,
-- rules, agents, an account manager, contacts waiting with their place in
-- the queue, one taken and finished, the decisions), and the sequences;
-- the waiting contacts' table (mycc.contact_queue) is rebuilt in queue
-- order.
--
-- Users' tables with a column of every mycc type live in schemas that sort
-- before mycc (app) and after it (zz, public), with indexes on their tier
-- columns: pg_dump writes table data in schema-name order and pg_restore
-- -j loads tables and builds indexes in parallel, so their rows are read
-- before mycc.tier's.  They come back all the same, with no manual step:
-- the tiers are published in the schema (mycc.tier_definitions(), written
-- by the tier_publish trigger), which every restore creates before any
-- data; so are the values added to mycc.channel (channel_definitions(),
-- written by the channel_publish event trigger, which also adds them
-- back when a restore creates that function).  Formats: plain (psql),
-- custom, directory and tar; custom and directory with -j 4; and the
-- custom dump restored section by section.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mycc_dump_src;
DROP DATABASE IF EXISTS mycc_dump_plain;
DROP DATABASE IF EXISTS mycc_dump_custom;
DROP DATABASE IF EXISTS mycc_dump_directory;
DROP DATABASE IF EXISTS mycc_dump_tar;
DROP DATABASE IF EXISTS mycc_dump_custom_j4;
DROP DATABASE IF EXISTS mycc_dump_directory_j4;
DROP DATABASE IF EXISTS mycc_dump_sections;
CREATE DATABASE mycc_dump_src;
\c mycc_dump_src
SET client_min_messages = warning;
CREATE EXTENSION mycc;
UPDATE mycc.tier SET name = 'vip', aliases = '{高付费,high}', queue_priority = 90 WHERE name = 'high';
-- A user's row that claims to be seeded is stored as not seeded, so it is dumped.
INSERT INTO mycc.tier (name, aliases, rank, service_mode, queue_priority, first_response_target, min_value, revenue_share, seeded)
VALUES ('gold', '{金牌}', 35, 'instant', 70, '2 minutes', 5000, 0.7, true);
-- Deleted tiers, a user's and a seeded one: their tombstones are dumped.
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('bronze', 15, 'deferred', '8 hours');
DELETE FROM mycc.tier WHERE name IN ('bronze', 'low');
-- A channel added after install (an enum value PostgreSQL does not dump).
ALTER TYPE mycc.channel ADD VALUE 'tiktok' BEFORE 'sms';
-- Users' tables, before and after mycc in schema order, of every mycc type.
CREATE SCHEMA app;
CREATE SCHEMA zz;
CREATE TABLE app.account (id int PRIMARY KEY, tier mycc.customer_tier, score mycc.nps_score,
	class mycc.nps_class, answers mycc.nps_state, ratings mycc.csat_state, tags mycc.tagset,
	rule mycc.tagquery, channel mycc.channel, mode mycc.service_mode, status mycc.contact_status,
	agent mycc.agent_status);
CREATE INDEX account_tier_idx ON app.account (tier);
INSERT INTO app.account
SELECT g, (ARRAY['gold', 'vip', 'mid', 'free', NULL])[g % 5 + 1]::mycc.customer_tier, (g % 11)::mycc.nps_score,
	mycc.nps_class((g % 11)::mycc.nps_score), format('(%s,%s,%s)', g % 7, g % 3, g % 5)::mycc.nps_state,
	format('(%s,%s,5)', g % 4, g % 4 + g % 6)::mycc.csat_state,
	format('{region:北京, "sale %s", 😀}', g % 9)::mycc.tagset, format('vip & !"sale %s"', g % 9)::mycc.tagquery,
	(ARRAY['phone', 'wechat', 'tiktok'])[g % 3 + 1]::mycc.channel, (ARRAY['dedicated', 'instant'])[g % 2 + 1]::mycc.service_mode,
	(ARRAY['queued', 'finished'])[g % 2 + 1]::mycc.contact_status, (ARRAY['busy', 'away'])[g % 2 + 1]::mycc.agent_status
FROM generate_series(1, 2000) AS g;
-- Schema objects naming an added tier: created before any data on restore.
ALTER TABLE app.account ALTER COLUMN tier SET DEFAULT 'gold';
CREATE VIEW app.gold_accounts AS SELECT id FROM app.account WHERE tier OPERATOR(mycc.=) 'gold';
CREATE TABLE zz.account (LIKE app.account INCLUDING ALL);
INSERT INTO zz.account SELECT * FROM app.account;
CREATE TABLE public.member (id int PRIMARY KEY, tier mycc.customer_tier, answers mycc.nps_state, ratings mycc.csat_state);
INSERT INTO public.member VALUES (1, 'gold', '(5,2,1)', '(3,4,5)'), (2, 'vip', '(0,0,0)', '(0,0,0)'), (3, 'free', NULL, NULL);
INSERT INTO mycc.customer (name, tier, lifetime_value, tags) VALUES ('王芳', 'gold', 6000, '{literary, region:北京, "sale 2024"}'), ('李雷', 'vip', 20000, '{vip, 😀}');
CREATE TABLE public.segment (id int PRIMARY KEY, tags mycc.tagset, rule mycc.tagquery);
INSERT INTO public.segment VALUES (1, '{vip, "a\"b", 90后}', '(vip | region:*) & !"sale 2024"'), (2, '{}', '!complainer'), (3, NULL, NULL);
INSERT INTO mycc.treatment_rule (condition, treatment, priority, enabled)
VALUES ('vip', 'kraft-paper packaging', 10, true), ('literary & !complainer', 'lavender bookmark', 5, true), ('region:*', 'retired', 1, false);
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat, answered_at)
VALUES (1, 'wechat', 'gold', 9, 5, '2026-10-01 10:00+00'), (2, 'phone', 'vip', 3, 2, '2026-10-01 11:00+00');
INSERT INTO mycc.queue (id, name, required_skills, target_answer, aging_weight, is_default)
VALUES (1, 'general', '{}', '5 minutes', 10, true), (2, 'vip', '{vip_care}', '1 minute', 20, false);
INSERT INTO mycc.routing_rule (priority, condition, queue_id) VALUES (10, 'vip', 2);
INSERT INTO mycc.agent (id, name, skills, capacity, status)
VALUES (1, 'Sun', '{vip_care, account_manager}', 2, 'available'), (2, 'Zhou', '{}', 1, 'available');
UPDATE mycc.customer SET account_manager = 1 WHERE name = '李雷';
INSERT INTO mycc.contact (customer_id, id, channel, topic, started_at, enqueued_at, tags)
SELECT c.id, k.id, k.channel::mycc.channel, k.topic, k.at, k.at, k.tags::mycc.tagset
FROM (VALUES ('王芳', 1, 'wechat', 'refund', '2026-10-01 09:00+00'::timestamptz, '{order:late}'),
	('李雷', 2, 'phone', 'delivery', '2026-10-01 09:05+00', '{}'),
	('王芳', 3, 'app', 'payment', '2026-10-01 09:10+00', '{}')) AS k(name, id, channel, topic, at, tags)
JOIN mycc.customer AS c ON c.name = k.name;
SELECT count(mycc.enqueue(id)) AS enqueued FROM mycc.contact;
SELECT mycc.finish(mycc.next_contact(2), 'resolved');
-- One checksum over every row the dump must keep, the same query in each database.
\set fingerprint 'SELECT md5(string_agg(x, ''|'' ORDER BY x)) FROM ( SELECT format(''tier %s %s %s %s %s %s'', id, name, aliases, rank, queue_priority, seeded) AS x FROM mycc.tier UNION ALL SELECT format(''member %s %s %s %s'', id, tier, answers, ratings) FROM public.member UNION ALL SELECT format(''customer %s %s %s %s %s'', id, name, tier, lifetime_value, tags) FROM mycc.customer UNION ALL SELECT format(''segment %s %s %s'', id, tags, rule) FROM public.segment UNION ALL SELECT format(''rule %s %s %s %s %s'', id, condition, treatment, priority, enabled) FROM mycc.treatment_rule UNION ALL SELECT format(''survey %s %s %s %s %s %s'', customer_id, id, channel, tier, nps, csat) FROM mycc.survey UNION ALL SELECT format(''retired %s %s %s'', id, rank, name) FROM mycc.tier_retired UNION ALL SELECT format(''manager %s %s'', id, account_manager) FROM mycc.customer UNION ALL SELECT format(''queue %s %s %s %s %s %s'', id, name, required_skills, target_answer, aging_weight, is_default) FROM mycc.queue UNION ALL SELECT format(''routing rule %s %s %s %s %s'', id, priority, condition, queue_id, enabled) FROM mycc.routing_rule UNION ALL SELECT format(''agent %s %s %s %s %s %s %s'', id, name, skills, capacity, status, active_contacts, last_assigned_at) FROM mycc.agent UNION ALL SELECT format(''contact %s %s %s %s %s %s %s %s %s %s %s %s'', customer_id, id, channel, topic, tags, status, queue_id, agent_id, priority, enqueued_at, assigned_at, outcome) FROM mycc.contact UNION ALL SELECT format(''decision %s %s %s %s %s %s %s'', contact_id, facts, rule_id, queue_id, priority, reason, decided_at) FROM mycc.routing_decision UNION ALL SELECT format(''app %s'', a) FROM app.account AS a UNION ALL SELECT format(''zz %s'', z) FROM zz.account AS z ) AS rows'
SELECT (:fingerprint) AS src_fingerprint \gset
-- Routing (issue 14), apart from the fingerprint above: mycc.contact_queue
-- is not dumped but rebuilt from the waiting contacts as pg_restore loads
-- them (before mycc.queue and mycc.customer, in name order); each queue's
-- waiting contacts in the order agents take them, with their keys and the
-- account manager they are held for, must come back, and so must the
-- per-table settings the install sets (reloptions of extension tables are
-- not dumped: CREATE EXTENSION sets them again).
\set waiting 'SELECT string_agg(format(''%s:%s key %s held for %s'', w.queue_id, w.contact_id, w.queue_key, w.manager_id), '' '' ORDER BY w.queue_id, w.queue_key, w.contact_id) FROM mycc.contact_queue AS w'
\set settings 'SELECT string_agg(format(''%s %s'', c.relname, c.reloptions), '' '' ORDER BY c.relname) FROM pg_class AS c WHERE c.oid IN (''mycc.contact_queue''::regclass, ''mycc.contact''::regclass)'
SELECT (:waiting) AS src_waiting, (:settings) AS src_settings \gset
SELECT :'src_waiting' AS waiting;
SELECT :'src_settings' AS settings;
\! pg_dump -Fp -f results/dump_restore.sql mycc_dump_src
\! pg_dump -Fc -f results/dump_restore.custom mycc_dump_src
\! pg_dump -Ft -f results/dump_restore.tar mycc_dump_src
\! rm -rf results/dump_restore.dir && pg_dump -Fd -f results/dump_restore.dir mycc_dump_src
\c contrib_regression
CREATE DATABASE mycc_dump_plain;
CREATE DATABASE mycc_dump_custom;
CREATE DATABASE mycc_dump_directory;
CREATE DATABASE mycc_dump_tar;
CREATE DATABASE mycc_dump_custom_j4;
CREATE DATABASE mycc_dump_directory_j4;
CREATE DATABASE mycc_dump_sections;
\! psql -X -q -v ON_ERROR_STOP=1 -o /dev/null -f results/dump_restore.sql mycc_dump_plain
\! pg_restore --exit-on-error -d mycc_dump_custom results/dump_restore.custom
\! pg_restore --exit-on-error -d mycc_dump_directory results/dump_restore.dir
\! pg_restore --exit-on-error -d mycc_dump_tar results/dump_restore.tar
\! pg_restore --exit-on-error -j 4 -d mycc_dump_custom_j4 results/dump_restore.custom
\! pg_restore --exit-on-error -j 4 -d mycc_dump_directory_j4 results/dump_restore.dir
\! pg_restore --exit-on-error --section=pre-data -d mycc_dump_sections results/dump_restore.custom
\! pg_restore --exit-on-error --section=data -d mycc_dump_sections results/dump_restore.custom
\! pg_restore --exit-on-error --section=post-data -d mycc_dump_sections results/dump_restore.custom

\c mycc_dump_plain
SELECT (:fingerprint) = :'src_fingerprint' AS plain_same, count(*) AS tiers FROM mycc.tier;
SELECT name, aliases, seeded FROM mycc.tier ORDER BY rank DESC;
SELECT id, tier, tier OPERATOR(mycc.>) 'mid' AS above_mid FROM public.member ORDER BY id;
INSERT INTO mycc.customer (name) VALUES ('next') RETURNING id;
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('silver', 25, 'instant', '3 minutes') RETURNING id;
SELECT id, rank, name FROM mycc.tier_retired ORDER BY id;
SELECT 'low'::mycc.customer_tier;
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('copper', 15, 'deferred', '8 hours');
SELECT id, tags, rule, tags OPERATOR(mycc.@@) rule AS matches FROM public.segment ORDER BY id;
SELECT c.name, t.treatment, t.rule FROM mycc.customer AS c, mycc.treatments(c.tags) AS t ORDER BY c.id, t.rule;
-- The waiting contacts keep their place: the VIP's first for Sun.
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;
SELECT mycc.next_contact(1) AS sun_takes;
INSERT INTO mycc.treatment_rule (condition, treatment) VALUES ('new', 'welcome coupon') RETURNING id;

-- The users' tables: every row, in both schemas, and their indexes.
SELECT (SELECT count(*) FROM app.account) AS app_rows, (SELECT count(*) FROM zz.account) AS zz_rows;
SELECT tier, count(*) FROM app.account GROUP BY tier ORDER BY tier;
SET enable_seqscan = off;
SELECT count(*) AS gold_by_index FROM zz.account WHERE tier OPERATOR(mycc.=) 'gold';
RESET enable_seqscan;
SELECT count(*) AS gold_in_view FROM app.gold_accounts;
SELECT enum_range(NULL::mycc.channel) AS channels;
INSERT INTO zz.account (id) VALUES (0) RETURNING tier;

\c mycc_dump_custom
SELECT (:fingerprint) = :'src_fingerprint' AS custom_same, count(*) AS tiers FROM mycc.tier;
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;

\c mycc_dump_directory
SELECT (:fingerprint) = :'src_fingerprint' AS directory_same, count(*) AS tiers FROM mycc.tier;
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;

\c mycc_dump_tar
SELECT (:fingerprint) = :'src_fingerprint' AS tar_same, count(*) AS tiers FROM mycc.tier;
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;

\c mycc_dump_custom_j4
SELECT (:fingerprint) = :'src_fingerprint' AS custom_j4_same, count(*) AS tiers FROM mycc.tier;
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;
SELECT bool_and(indisvalid) AS indexes_valid, count(*) AS user_indexes
FROM pg_index WHERE indrelid IN ('app.account'::regclass, 'zz.account'::regclass);

\c mycc_dump_directory_j4
SELECT (:fingerprint) = :'src_fingerprint' AS directory_j4_same, count(*) AS tiers FROM mycc.tier;
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;

\c mycc_dump_sections
SELECT (:fingerprint) = :'src_fingerprint' AS sections_same, count(*) AS tiers FROM mycc.tier;
SELECT (:waiting) = :'src_waiting' AS waiting_same, (:settings) = :'src_settings' AS settings_same;

-- The published tiers and channels are not members of the extension, and
-- go with it (DROP EXTENSION needs no CASCADE for them).
SELECT objid::regprocedure AS published, deptype FROM pg_depend
WHERE objid IN ('mycc.tier_definitions()'::regprocedure, 'mycc.channel_definitions()'::regprocedure)
	AND refclassid = 'pg_extension'::regclass ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA app, zz CASCADE;
DROP TABLE public.member, public.segment;
DROP EXTENSION mycc;
SELECT to_regprocedure('mycc.tier_definitions()') AS tiers_left_behind,
	to_regprocedure('mycc.channel_definitions()') AS channels_left_behind;

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE mycc_dump_src;
DROP DATABASE mycc_dump_plain;
DROP DATABASE mycc_dump_custom;
DROP DATABASE mycc_dump_directory;
DROP DATABASE mycc_dump_tar;
DROP DATABASE mycc_dump_custom_j4;
DROP DATABASE mycc_dump_directory_j4;
DROP DATABASE mycc_dump_sections;
