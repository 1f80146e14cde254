-- The identity graph: resolve, link with its guards, the merge log,
-- unmerge, and the lookups.  Starts from empty tables and leaves them empty.
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';
-- PL/pgSQL line numbers in error contexts are not part of the interface.
\set SHOW_CONTEXT never
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;

-- The seeded guards.
SELECT kind, max_per_customer, seeded FROM mycc.identity_limit ORDER BY kind;
SELECT kind, value, reason, seeded FROM mycc.identity_block ORDER BY kind, value;
SHOW mycc.identity_max_per_customer;

-- resolve: one number written five ways is one customer, created once.
SELECT v AS written, mycc.resolve('phone', v, 'ivr') AS customer
FROM unnest(ARRAY['138 0013 8000', '+86 138-0013-8000', '0086 13800138000', '(138) 0013 8000', '13800138000']) AS v;
SELECT id, tier, lifetime_value, merged_into, root_id FROM mycc.customer ORDER BY id;
SELECT kind, value, customer_id, source FROM mycc.identity ORDER BY kind, value;
SELECT mycc.resolve('email', ' Li.Lei@Example.com ', 'web signup') AS email_customer;
SELECT mycc.resolve('sms', '13800138000');
SELECT mycc.resolve('phone', 'call me');
SELECT mycc.resolve(NULL, 'x') IS NULL AS null_kind, mycc.resolve('phone', NULL) IS NULL AS null_value;

-- lookup finds without creating.
SELECT mycc.lookup('phone', '138 0013 8000') AS phone, mycc.lookup('qq', '10001') AS unknown_qq;
SELECT count(*) AS customers FROM mycc.customer;
SELECT mycc.lookup('qq', '1');

-- Stored identifiers are normalised: the table refuses anything else.
INSERT INTO mycc.identity (kind, value, customer_id, created_at) VALUES ('email', 'Li.Lei@Example.com', 2, '2026-11-01');
INSERT INTO mycc.identity (kind, value, customer_id) VALUES ('fax', '1', 2);
INSERT INTO mycc.identity (kind, value, customer_id) VALUES ('email', 'li.lei@example.com', 1);

-- Contacts recorded under the customers resolve gave (before any merge).
INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, started_at, topic) VALUES
	(1, 'phone', 'phone', '+8613800138000', '2026-11-02 09:00+00', 'booking'),
	(2, 'email', 'email', 'li.lei@example.com', '2026-11-02 09:40+00', 'booking');

-- link, both identifiers new: one new customer owns both.
SELECT mycc.link('qq', '10001', 'wechat', 'o6_LiLei', 'qq bind') AS both_new;
-- One new: it joins the other's customer.
SELECT mycc.link('phone', '13800138000', 'web', 'lilei88', 'web login') AS one_new;
-- Already one customer: nothing to do.
SELECT mycc.link('web', 'lilei88', 'phone', '+86 13800138000') AS same;
SELECT count(*) AS merges FROM mycc.customer_merge;

-- Two customers: the older survives; values add, the higher tier wins,
-- tags unite.
UPDATE mycc.customer SET lifetime_value = 1500, tier = 'mid', tags = '{literary, region:北京}' WHERE id = 1;
UPDATE mycc.customer SET lifetime_value = 2500, tier = 'high', tags = '{vip}' WHERE id = 2;
SELECT mycc.link('email', 'li.lei@example.com', 'phone', '13800138000', 'agent verified') AS survivor;
SELECT id, survivor_id, absorbed_id, source, kind_a, value_a, kind_b, value_b, absorbed_value, survivor_tier, merged_tier, undone_at
FROM mycc.customer_merge ORDER BY id;
SELECT id, tier, lifetime_value, merged_into, root_id, merged_at IS NOT NULL AS merged FROM mycc.customer ORDER BY id;
SELECT id, tags FROM mycc.customer WHERE id <= 2 ORDER BY id;
SELECT survivor_tags, merged_tags FROM mycc.customer_merge ORDER BY id;
-- Identity and contact rows keep their customer id; lookups answer with the survivor.
SELECT kind, value, customer_id, mycc.customer_root(customer_id) AS answers_as FROM mycc.identity ORDER BY kind, value;
SELECT mycc.resolve('email', 'li.lei@example.com') AS resolve_email, mycc.lookup('phone', '13800138000') AS lookup_phone,
	mycc.customer_root(2) AS root_of_2, mycc.customer_root(1) AS root_of_1, mycc.customer_root(999) AS no_such;
SELECT kind, value, customer_id FROM mycc.customer_identities(2);

-- A younger customer merged into the tree joins its root; an older one survives it.
UPDATE mycc.customer SET created_at = '2020-01-01' WHERE id = 3;
SELECT mycc.link('wechat', 'o6_LiLei', 'email', 'li.lei@example.com', 'wechat bind') AS survivor;
SELECT id, merged_into, root_id FROM mycc.customer ORDER BY id;
SELECT survivor_id, absorbed_id FROM mycc.customer_merge ORDER BY id;
SELECT count(*) AS identities, count(DISTINCT customer_id) AS came_with FROM mycc.customer_identities(1);
SELECT customer_id, conversation, channels, contacts FROM mycc.conversation ORDER BY 1, 2;
SELECT conversation, contact_id, channel, customer_id FROM mycc.timeline(2);
SELECT tier, customers, value FROM mycc.tier_pyramid WHERE customers > 0 ORDER BY rank DESC;

-- Guards.  Placeholders never link (the check ignores case): NULL, a NOTICE, a conflict row.
SELECT mycc.link('phone', '13800138000', 'app', 'Anonymous', 'app login') AS placeholder;
SELECT mycc.link('wechat', 'NULL', 'qq', '10001') AS placeholder;
-- A front-desk phone a DBA blocked resolves, but never links.
INSERT INTO mycc.identity_block (kind, value, reason) VALUES ('phone', mycc.normalize_identity('phone', '010 8888 8888'), 'hotel front desk');
SELECT mycc.resolve('phone', '010-8888-8888') AS front_desk;
SELECT mycc.link('phone', '010 8888 8888', 'email', 'guest1@example.com', 'front desk') AS guest1;
SELECT mycc.link('email', 'guest2@example.com', 'phone', '+86 10 8888 8888', 'front desk') AS guest2;
-- A unique kind (limit 1): two unionids never merge, and a customer gets no second one.
SELECT mycc.resolve('wechat_unionid', 'oU_1') AS u1, mycc.resolve('wechat_unionid', 'oU_2') AS u2;
SELECT mycc.link('wechat_unionid', 'oU_1', 'wechat_unionid', 'oU_2', 'bad sync') AS unionids;
SELECT mycc.link('app', 'user-1', 'app', 'user-2', 'bad sync') AS app_ids;
SELECT mycc.link('wechat_unionid', 'oU_1', 'wechat', 'o6_LiLei', 'bind') AS unionid_to_lilei;
SELECT mycc.link('wechat_unionid', 'oU_2', 'wechat', 'o6_LiLei', 'bind') AS second_unionid;
-- Limits are per kind and editable: phones.
UPDATE mycc.identity_limit SET max_per_customer = 2 WHERE kind = 'phone';
SELECT mycc.link('phone', '139 0000 0001', 'phone', '13800138000', 'family') AS second_phone;
SELECT mycc.link('phone', '139 0000 0002', 'phone', '13800138000', 'family') AS third_phone;
-- A limit lowered below what a customer has refuses more of that kind, not other kinds.
UPDATE mycc.identity_limit SET max_per_customer = 1 WHERE kind = 'phone';
SELECT mycc.link('weibo', 'lilei_weibo', 'phone', '13800138000', 'weibo bind') AS other_kind_still_links;
SELECT mycc.link('phone', '139 0000 0003', 'weibo', 'lilei_weibo', 'family') AS more_phones_refused;
UPDATE mycc.identity_limit SET max_per_customer = 2 WHERE kind = 'phone';
-- The size breaker: no customer grows past mycc.identity_max_per_customer.
SELECT count(*) AS lilei_identities FROM mycc.customer_identities(1);
SET mycc.identity_max_per_customer = 9;
SELECT mycc.link('store', 'card-77', 'email', 'li.lei@example.com', 'store') AS ninth;
SELECT mycc.link('store', 'card-78', 'email', 'li.lei@example.com', 'store') AS tenth;
RESET mycc.identity_max_per_customer;
SET mycc.identity_max_per_customer = 0;
SELECT id, kind_a, value_a, kind_b, value_b, customer_a, customer_b, reason, detail, source
FROM mycc.identity_conflict ORDER BY id;
-- Nothing refused was merged: the log holds the accepted merges only.
SELECT id, survivor_id, absorbed_id, source FROM mycc.customer_merge ORDER BY id;

-- Bad arguments.
SELECT mycc.link('phone', '13800138000', 'email', NULL);
SELECT mycc.link(NULL, '13800138000', 'email', 'x@example.com');
SELECT mycc.link('phone', '12', 'email', 'x@example.com');
SELECT mycc.link('phone', '13800138000', 'fax', '1');
\set VERBOSITY sqlstate
SELECT mycc.link('phone', '13800138000', 'email', NULL);
\set VERBOSITY default
-- The same identifier twice is just resolve.
SELECT mycc.link('qq', '20002', 'qq', ' 20002 ') AS same_identifier;
SELECT mycc.lookup('qq', '20002') AS qq_20002;

-- unmerge: the absorbed customer comes back with what it brought.
SELECT mycc.unmerge(1) AS back;
SELECT id, tier, lifetime_value, tags, merged_into, root_id FROM mycc.customer WHERE id <= 3 ORDER BY id;
SELECT survivor_id, absorbed_id, undone_at IS NOT NULL AS undone FROM mycc.customer_merge ORDER BY id;
SELECT kind, value, customer_id FROM mycc.customer_identities(2);
SELECT conversation, contact_id, channel, customer_id FROM mycc.timeline(2);
SELECT conversation, contact_id, channel, customer_id FROM mycc.timeline(3);
SELECT mycc.lookup('email', 'li.lei@example.com') AS email_back_to_2, mycc.lookup('web', 'lilei88') AS web_stays_with_1;
SELECT mycc.unmerge(1);
SELECT mycc.unmerge(99);
SELECT mycc.unmerge(NULL) IS NULL AS null_merge;
\set VERBOSITY sqlstate
SELECT mycc.unmerge(1);
SELECT mycc.unmerge(99);
\set VERBOSITY default
-- Linking again is a new merge, undone on its own.
SELECT mycc.link('email', 'li.lei@example.com', 'web', 'lilei88', 'agent verified again') AS relinked;
SELECT id, survivor_id, absorbed_id, undone_at IS NOT NULL AS undone FROM mycc.customer_merge ORDER BY id;

-- A subtree comes back whole: z into y, then y into x; undoing y's merge
-- brings y back with z under it.
SELECT mycc.resolve('email', 'x@example.com') AS x, mycc.resolve('email', 'y@example.com') AS y, mycc.resolve('email', 'z@example.com') AS z;
SELECT mycc.link('email', 'y@example.com', 'email', 'z@example.com', 'test') AS y_absorbs_z;
SELECT mycc.link('email', 'x@example.com', 'email', 'y@example.com', 'test') AS x_absorbs_y;
SELECT c.id, c.merged_into, c.root_id FROM mycc.customer AS c JOIN mycc.identity AS i ON i.customer_id = c.id
WHERE i.value LIKE '_@example.com' ORDER BY c.id;
SELECT mycc.unmerge(m.id) AS y_back FROM mycc.customer_merge AS m WHERE m.source = 'test' ORDER BY m.id DESC LIMIT 1;
SELECT mycc.lookup('email', 'x@example.com') AS x, mycc.lookup('email', 'y@example.com') AS y, mycc.lookup('email', 'z@example.com') AS z_with_y;
-- The older merge (z into y) is undone on its own.
SELECT mycc.unmerge(m.id) AS z_back FROM mycc.customer_merge AS m WHERE m.source = 'test' ORDER BY m.id LIMIT 1;
SELECT mycc.lookup('email', 'y@example.com') AS y, mycc.lookup('email', 'z@example.com') AS z;
-- Values go back up the whole chain: y absorbs z, x absorbs y; undoing
-- z's merge takes z's value back from y and from x.
UPDATE mycc.customer AS c SET lifetime_value = v.value
FROM mycc.identity AS i, (VALUES ('x@example.com', 1), ('y@example.com', 10), ('z@example.com', 100)) AS v(email, value)
WHERE i.customer_id = c.id AND i.value = v.email;
SELECT mycc.link('email', 'y@example.com', 'email', 'z@example.com', 'test2') AS y_absorbs_z_again;
SELECT mycc.link('email', 'x@example.com', 'email', 'y@example.com', 'test2') AS x_absorbs_y_again;
SELECT i.value, c.lifetime_value FROM mycc.customer AS c JOIN mycc.identity AS i ON i.customer_id = c.id
WHERE i.value LIKE '_@example.com' ORDER BY i.value;
SELECT mycc.unmerge(m.id) AS z_back FROM mycc.customer_merge AS m WHERE m.source = 'test2' ORDER BY m.id LIMIT 1;
SELECT i.value, c.lifetime_value, mycc.customer_root(c.id) AS root FROM mycc.customer AS c JOIN mycc.identity AS i ON i.customer_id = c.id
WHERE i.value LIKE '_@example.com' ORDER BY i.value;

-- Guard tables: a changed seeded row is no longer seeded, so pg_dump keeps
-- it; restoring it replaces the seeded row of its key.
SELECT kind, max_per_customer, seeded FROM mycc.identity_limit WHERE kind = 'phone';
INSERT INTO mycc.identity_limit (kind, max_per_customer, seeded) VALUES ('email', 5, true) ON CONFLICT DO NOTHING;
INSERT INTO mycc.identity_limit (kind, max_per_customer) VALUES ('email', 7);
SELECT kind, max_per_customer, seeded FROM mycc.identity_limit WHERE kind = 'email';
INSERT INTO mycc.identity_limit (kind, max_per_customer) VALUES ('email', 8);
INSERT INTO mycc.identity_limit (kind, max_per_customer) VALUES ('fax', 1);
INSERT INTO mycc.identity_limit (kind, max_per_customer) VALUES ('weibo', 0);
INSERT INTO mycc.identity_block (kind, value) VALUES ('fax', '1');
UPDATE mycc.identity_limit SET max_per_customer = 5 WHERE kind = 'phone';
UPDATE mycc.identity_limit SET max_per_customer = 5 WHERE kind = 'email';
SELECT count(*) FILTER (WHERE seeded) AS still_seeded, count(*) AS limits FROM mycc.identity_limit;

RESET mycc.identity_max_per_customer;
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
DELETE FROM mycc.identity_block WHERE NOT seeded;
UPDATE mycc.identity_limit SET seeded = true;
