-- Repair of identifiers stored under earlier normalisation rules (issue
-- 15): mycc.renormalize_identity reads a stored value, and
-- mycc.renormalize_identities previews and applies the repair.  The
-- update from 0.2.0 runs it (the upgrade test shows that on 0.2.0's
-- duplicates); here, rows as earlier rules wrote them are inserted with
-- the check constraint set aside, inside a transaction rolled back at the
-- end.
SET search_path = public, mycc;

-- Today's normal form of a stored value: normal forms stay; 0.2.0's "+86"
-- and national digits read as a national number of the default region;
-- NULL for a value with no normal form (never 22023 for the value).
SELECT k AS kind, v AS stored, mycc.renormalize_identity(k, v) AS today
FROM (VALUES ('phone', '+8613800138000'), ('phone', '+868613800138000'), ('phone', '+86013800138000'),
	('phone', '+8601087654321'), ('phone', '+861087654321123'), ('phone', '+8610086'), ('phone', '+8612345'),
	('phone', '+442079460958'), ('email', 'user@mÜnchen.de'), ('email', '王芳@例子.中国'), ('email', 'nobody'),
	('wechat', E'\u3000o6_wang\u3000'), ('wechat', E'o6\u0085'), ('wechat', E'o6\u0085wang'), ('qq', '１０００１')) AS t(k, v);
-- The legacy reading follows the default region: with GB, "+44" and
-- national digits.
SET mycc.default_region = 'GB';
SELECT mycc.renormalize_identity('phone', '+4402079460958') AS gb_trunk_kept, mycc.renormalize_identity('phone', '+8686138001380000') AS not_gb;
SET mycc.default_region = '';
SELECT mycc.renormalize_identity('phone', '+868613800138000') AS no_region_no_legacy;
RESET mycc.default_region;
SELECT mycc.renormalize_identity('fax', '1');
SELECT mycc.renormalize_identity(NULL, '1') IS NULL AS null_kind, mycc.renormalize_identity('phone', NULL) IS NULL AS null_value;

BEGIN;
SET LOCAL client_min_messages = warning;
ALTER TABLE mycc.identity DROP CONSTRAINT identity_normalized;
INSERT INTO mycc.customer (id, name, lifetime_value, created_at)
SELECT 900000 + n, 'repair ' || n, n, '2026-01-01'::timestamptz + n * interval '1 day' FROM generate_series(1, 6) AS n;
INSERT INTO mycc.identity (kind, value, customer_id, source) VALUES
	('phone', '+8613900139000', 900001, 'repair'),
	('phone', '+868613900139000', 900002, 'repair'),
	('phone', '+8613900139001', 900003, 'repair'),
	('phone', '+86013900139001', 900003, 'repair'),
	('phone', '+861088886666', 900004, 'repair'),
	('phone', '+86861088886666', 900005, 'repair'),
	('wechat', E'\u3000o6_repair\u3000', 900006, 'repair'),
	('wechat', E'o6\u0085repair', 900006, 'repair'),
	('phone', '+8610086', 900006, 'repair'),
	('email', 'repair@exÄmple.com', 900006, 'repair');
-- A guard: the front desk's number never merges anything.
INSERT INTO mycc.identity_block (kind, value, reason) VALUES ('phone', '+861088886666', 'repair: front desk');
RESET client_min_messages;

-- The preview shows what would be done and changes nothing.
SELECT kind, value, new_value, customer_id, action, merge_id, conflict_id
FROM mycc.renormalize_identities() WHERE customer_id >= 900000;
SELECT count(*) AS repair_log, (SELECT count(*) FROM mycc.identity WHERE source = 'repair') AS rows_unchanged,
	(SELECT count(*) FROM mycc.customer_merge WHERE source LIKE 'mycc.renormalize%') AS merges
FROM mycc.identity_repair;

-- Applied: rewritten, duplicate (same customer), merged through link,
-- refused by a guard (in identity_conflict, naming the stored value),
-- invalid (removed); all logged in mycc.identity_repair.
SELECT kind, value, new_value, customer_id, action, merge_id IS NOT NULL AS merged, conflict_id IS NOT NULL AS refused
FROM mycc.renormalize_identities(true) WHERE customer_id >= 900000;
SELECT kind, value, customer_id FROM mycc.identity WHERE customer_id >= 900000 ORDER BY kind, value;
SELECT r.value, r.action, m.survivor_id, m.absorbed_id, m.kind_b, m.value_b, m.source
FROM mycc.identity_repair AS r JOIN mycc.customer_merge AS m ON m.id = r.merge_id ORDER BY r.id;
SELECT r.value, c.reason, c.value_a, c.kind_b, c.value_b, c.customer_a, c.source
FROM mycc.identity_repair AS r JOIN mycc.identity_conflict AS c ON c.id = r.conflict_id ORDER BY r.id;
SELECT count(*) AS temporary_identifiers_left FROM mycc.identity WHERE value LIKE 'mycc.renormalize_identities:%';
-- Everything is normal now (the constraint validates); nothing is left.
ALTER TABLE mycc.identity ADD CONSTRAINT identity_normalized
	CHECK (mycc.normalize_identity(kind, value, '') OPERATOR(pg_catalog.=) value);
SELECT count(*) AS left_to_repair FROM mycc.renormalize_identities(true);
-- The repair's merge is undone by unmerge.
SELECT mycc.unmerge(merge_id) = 900002 AS unmerged FROM mycc.identity_repair WHERE action = 'merged' AND customer_id >= 900000;
SELECT id, lifetime_value, mycc.customer_root(id) AS root FROM mycc.customer WHERE id >= 900000 ORDER BY id;
ROLLBACK;

-- Only the extension's owner repairs: no mycc role may run it; the admin
-- reads the log.
SET ROLE mycc_admin;
SELECT count(*) FROM mycc.renormalize_identities();
SELECT count(*) AS repairs_readable FROM mycc.identity_repair WHERE false;
RESET ROLE;
SET ROLE mycc_agent;
SELECT count(*) FROM mycc.identity_repair;
RESET ROLE;
SELECT count(*) AS no_rows_for_null FROM mycc.renormalize_identities(NULL);
RESET search_path;
