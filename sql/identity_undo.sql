-- Exact undo: unmerge gives back exactly what a merge brought (lifetime
-- value, tier, tags), for any order of merges and unmerges, nested or
-- not, and keeps what later changes brought.  The cases of issue 15 first,
-- then a seeded property test: random resolve/link/unmerge sequences and
-- later changes over a few hundred customers, then every merge undone in
-- random order, and every customer is its original again.
SET datestyle = 'ISO, YMD';
SET timezone = 'UTC';
\set SHOW_CONTEXT never
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;

-- The customers of the cases: (name, value, tier, tags) by e-mail address.
CREATE FUNCTION undo_customers(VARIADIC emails text[])
RETURNS TABLE (email text, lifetime_value numeric, tier mycc.customer_tier, tags mycc.tagset, root text)
LANGUAGE sql AS $$
	SELECT e, c.lifetime_value, c.tier, c.tags,
		(SELECT min(r.value) FROM mycc.identity AS r WHERE r.customer_id = mycc.customer_root(c.id) AND r.kind = 'email')
	FROM unnest(emails) AS e
	JOIN mycc.identity AS i ON i.kind = 'email' AND i.value = e
	JOIN mycc.customer AS c ON c.id = i.customer_id
	ORDER BY e
$$;
-- Creates a customer (older first) with an e-mail address and these values.
CREATE FUNCTION undo_customer(email text, v numeric, t text, tg text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	cid bigint := mycc.resolve('email', email, 'undo');
BEGIN
	UPDATE mycc.customer AS c SET lifetime_value = v, tier = t::mycc.customer_tier, tags = tg::mycc.tagset
	WHERE c.id = cid;
	RETURN cid;
END
$$;
-- The merge that absorbed a customer (the one in force).
CREATE FUNCTION undo_merge_of(email text) RETURNS bigint LANGUAGE sql AS $$
	SELECT m.id FROM mycc.customer_merge AS m JOIN mycc.identity AS i ON i.customer_id = m.absorbed_id
	WHERE i.kind = 'email' AND i.value = email AND m.undone_at IS NULL
$$;

-- Links c into b and b into a, then undoes the merge of first (b or c)
-- and then the other one: the three customers after each step.
CREATE FUNCTION undo_nested(a text, b text, c text, first text)
RETURNS TABLE (step text, email text, lifetime_value numeric, tier mycc.customer_tier, tags mycc.tagset, root text)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM mycc.link('email', b, 'email', c, 'undo'), mycc.link('email', a, 'email', b, 'undo');
	RETURN QUERY SELECT 'merged', * FROM undo_customers(a, b, c);
	PERFORM mycc.unmerge(undo_merge_of(first));
	RETURN QUERY SELECT 'undone ' || first, * FROM undo_customers(a, b, c);
	PERFORM mycc.unmerge(undo_merge_of(CASE WHEN first = c THEN b ELSE c END));
	RETURN QUERY SELECT 'both undone', * FROM undo_customers(a, b, c);
END
$$;

-- Nested values: c into b, then b into a; undo the inner merge, then the
-- outer one: a gives c's value back once (it ended at 99, not 100).
SELECT undo_customer('a@undo.test', 100, 'free', '{}'), undo_customer('b@undo.test', 10, 'free', '{}'),
	undo_customer('c@undo.test', 1, 'free', '{}');
SELECT * FROM undo_nested('a@undo.test', 'b@undo.test', 'c@undo.test', 'c@undo.test');

-- Nested tier and tags: c (high, vip) into b, b into a; undoing c's merge
-- takes high and vip from b and from a (a kept them and routed as a VIP).
SELECT undo_customer('d@undo.test', 5, 'free', '{}'), undo_customer('e@undo.test', 5, 'low', '{new}'),
	undo_customer('f@undo.test', 5, 'high', '{vip}');
SELECT * FROM undo_nested('d@undo.test', 'e@undo.test', 'f@undo.test', 'f@undo.test');

-- Two VIPs absorbed: undoing one leaves the survivor a VIP through the
-- other (it became free with no tags); undoing the second takes it back.
SELECT undo_customer('g@undo.test', 1, 'free', '{}'), undo_customer('h@undo.test', 2, 'high', '{vip}'),
	undo_customer('i@undo.test', 4, 'high', '{vip, 90后}');
SELECT mycc.link('email', 'g@undo.test', 'email', 'h@undo.test', 'undo') IS NOT NULL AS g_absorbs_h,
	mycc.link('email', 'g@undo.test', 'email', 'i@undo.test', 'undo') IS NOT NULL AS g_absorbs_i;
SELECT mycc.unmerge(undo_merge_of('h@undo.test')) IS NOT NULL AS h_back;
SELECT * FROM undo_customers('g@undo.test', 'h@undo.test', 'i@undo.test');
SELECT mycc.unmerge(undo_merge_of('i@undo.test')) IS NOT NULL AS i_back;
SELECT * FROM undo_customers('g@undo.test', 'h@undo.test', 'i@undo.test');

-- The outer merge undone first, then the inner one: each gives back what
-- it brought.
SELECT * FROM undo_nested('a@undo.test', 'b@undo.test', 'c@undo.test', 'b@undo.test');

-- What later changes brought stays: value, a tag and a tier set on the
-- survivor after the merge, and a later merge.
SELECT mycc.link('email', 'g@undo.test', 'email', 'h@undo.test', 'undo') IS NOT NULL AS g_absorbs_h;
UPDATE mycc.customer SET lifetime_value = lifetime_value + 1000, tags = tags OPERATOR(mycc.||) '{literary}'
WHERE id = mycc.lookup('email', 'g@undo.test');
SELECT mycc.link('email', 'g@undo.test', 'email', 'a@undo.test', 'undo') IS NOT NULL AS a_older_survives;
SELECT * FROM undo_customers('a@undo.test', 'g@undo.test', 'h@undo.test');
SELECT mycc.unmerge(undo_merge_of('h@undo.test')) IS NOT NULL AS h_back;
SELECT * FROM undo_customers('a@undo.test', 'g@undo.test', 'h@undo.test');
SELECT mycc.unmerge(undo_merge_of('g@undo.test')) IS NOT NULL AS g_back;
SELECT * FROM undo_customers('a@undo.test', 'g@undo.test', 'h@undo.test');
-- A tier chosen by hand after the merge stays.
SELECT mycc.link('email', 'd@undo.test', 'email', 'f@undo.test', 'undo') IS NOT NULL AS d_absorbs_f;
UPDATE mycc.customer SET tier = 'mid' WHERE id = mycc.lookup('email', 'd@undo.test');
SELECT mycc.unmerge(undo_merge_of('f@undo.test')) IS NOT NULL AS f_back;
SELECT * FROM undo_customers('d@undo.test', 'f@undo.test');
-- A tier lowered by hand below what a merge brings stays lowered: undoing
-- a later merge that raised it again never raises it higher than it is.
SELECT undo_customer('j@undo.test', 0, 'free', '{}'), undo_customer('k@undo.test', 0, 'high', '{}'),
	undo_customer('l@undo.test', 0, 'mid', '{}');
SELECT mycc.link('email', 'j@undo.test', 'email', 'k@undo.test', 'undo') IS NOT NULL AS j_absorbs_k;
UPDATE mycc.customer SET tier = 'low' WHERE id = mycc.lookup('email', 'j@undo.test');
SELECT mycc.link('email', 'j@undo.test', 'email', 'l@undo.test', 'undo') IS NOT NULL AS j_absorbs_l;
SELECT * FROM undo_customers('j@undo.test');
SELECT mycc.unmerge(undo_merge_of('l@undo.test')) IS NOT NULL AS l_back;
SELECT * FROM undo_customers('j@undo.test');
SELECT mycc.unmerge(undo_merge_of('k@undo.test')) IS NOT NULL AS k_back;
SELECT * FROM undo_customers('j@undo.test', 'k@undo.test', 'l@undo.test');

-- The property, in one session: 300 customers with random values, tiers
-- and tags (some with a second identifier), then 1,500 random steps:
-- links of known identifiers (merges, nested ones included), links that
-- add a new identifier, resolves of known and new identifiers, unmerges of
-- a random merge in force, and later changes to a customer (value added, a
-- new tag, another tier).  Then every merge in force is undone in random order, and
-- every customer must be its original plus its later changes.
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
UPDATE mycc.identity_limit SET max_per_customer = 1000 WHERE kind = 'email';
SET mycc.identity_max_per_customer = 1000;
-- Refused links (the qq limit) are counted below, not shown one by one.
SET client_min_messages = warning;
SELECT setseed(0.15);
-- A random tier and random tags.
CREATE FUNCTION undo_random_tier() RETURNS mycc.customer_tier LANGUAGE sql AS $$
	SELECT (ARRAY['high', 'mid', 'low', 'free'])[1 + floor(random() * 4)::int]::mycc.customer_tier
$$;
CREATE FUNCTION undo_random_tags() RETURNS mycc.tagset LANGUAGE sql AS $$
	SELECT mycc.tagset(ARRAY(SELECT t FROM unnest('{vip, literary, 90后, complainer, region:北京, new}'::text[]) AS t
		WHERE random() < 0.3))
$$;
-- Customers p1..pn@undo.test with random values, tiers and tags (a share
-- of them with a WeChat id too), recorded as the expectation.
CREATE TABLE undo_expected (id bigint, lifetime_value numeric, tier mycc.customer_tier, tags mycc.tagset);
CREATE TABLE undo_identity (kind text, value text, customer_id bigint);
CREATE FUNCTION undo_populate(n int, wechat_share float8) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	cid bigint;
BEGIN
	FOR i IN 1..n LOOP
		cid := mycc.resolve('email', 'p' || i || '@undo.test', 'undo');
		UPDATE mycc.customer SET lifetime_value = floor(random() * 1000), tier = undo_random_tier(),
			tags = undo_random_tags()
		WHERE id = cid;
		IF random() < wechat_share THEN
			PERFORM mycc.link('email', 'p' || i || '@undo.test', 'wechat', 'o6_p' || i, 'undo');
		END IF;
	END LOOP;
	INSERT INTO undo_expected SELECT c.id, c.lifetime_value, c.tier, c.tags FROM mycc.customer AS c;
	INSERT INTO undo_identity SELECT i.kind, i.value, i.customer_id FROM mycc.identity AS i;
END
$$;
SELECT undo_populate(300, 0.3);
CREATE SEQUENCE undo_tag_seq;
-- A later change: value and a new tag to a customer (the one an
-- identifier answers as), recorded in the expectation.
-- Every third change also sets a tier by hand: one that the customer
-- does not have, and that no merge in force into it brings (such a tier
-- cannot be told from the merge's and goes with it, docs/identity.md).
-- The customer's row is locked first: no merge into it can start.
CREATE FUNCTION undo_change(email text, d int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	cid bigint := mycc.lookup('email', email);
	tag text := 'later:' || nextval('undo_tag_seq');
	t mycc.customer_tier;
	hand mycc.customer_tier;
BEGIN
	SELECT c.tier INTO t FROM mycc.customer AS c WHERE c.id = cid FOR UPDATE;
	IF random() < 0.3 THEN
		SELECT x.tier INTO hand FROM unnest('{high, mid, low, free}'::text[]) AS x(tier)
		WHERE x.tier <> t::text
			AND x.tier NOT IN (SELECT m.absorbed_tier::text FROM mycc.customer_merge AS m
				WHERE m.survivor_id = cid AND m.undone_at IS NULL)
		ORDER BY random() LIMIT 1;
		IF hand IS NOT NULL THEN
			t := hand;
			UPDATE undo_expected SET tier = hand WHERE id = cid;
		END IF;
	END IF;
	UPDATE mycc.customer SET lifetime_value = lifetime_value + d, tags = tags OPERATOR(mycc.||) tag, tier = t WHERE id = cid;
	UPDATE undo_expected SET lifetime_value = lifetime_value + d, tags = tags OPERATOR(mycc.||) tag WHERE id = cid;
END
$$;
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/random_unmerge.sql
-- Undoes every merge in force, in random order; returns how many.
CREATE FUNCTION undo_all() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
	n integer := 0;
BEGIN
	WHILE random_unmerge() IS NOT NULL LOOP
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
-- The checks: each customer is its expectation (customers created on the
-- way: default values), no value is negative, nobody is merged, every
-- identifier kept its customer and answers as it.
CREATE FUNCTION undo_differences() RETURNS TABLE (wrong_customers bigint, negative_values bigint,
	still_merged bigint, moved_identifiers bigint, identifiers_answering_elsewhere bigint)
LANGUAGE sql SET search_path = public, mycc AS $$
	SELECT
		(SELECT count(*) FROM mycc.customer AS c LEFT JOIN undo_expected AS e USING (id)
			WHERE (c.lifetime_value, c.tier, c.tags) IS DISTINCT FROM
				(COALESCE(e.lifetime_value, 0), COALESCE(e.tier, mycc.tier_for_value(0)), COALESCE(e.tags, '{}'))),
		(SELECT count(*) FROM mycc.customer WHERE lifetime_value < 0),
		(SELECT count(*) FROM mycc.customer WHERE merged_into IS NOT NULL OR root_id IS NOT NULL),
		(SELECT count(*) FROM undo_identity AS o LEFT JOIN mycc.identity AS i USING (kind, value)
			WHERE i.customer_id IS DISTINCT FROM o.customer_id),
		(SELECT count(*) FROM mycc.identity AS i WHERE mycc.lookup(i.kind, i.value) IS DISTINCT FROM i.customer_id)
$$;

DO $$
DECLARE
	r float8;
	a int;
	b int;
BEGIN
	FOR step IN 1..1500 LOOP
		r := random();
		a := 1 + floor(random() * 300)::int;
		b := 1 + floor(random() * 300)::int;
		IF r < 0.45 THEN
			PERFORM mycc.link('email', 'p' || a || '@undo.test', 'email', 'p' || b || '@undo.test', 'undo');
		ELSIF r < 0.5 THEN
			PERFORM mycc.link('email', 'p' || a || '@undo.test', 'wechat', 'o6_p' || b, 'undo');
		ELSIF r < 0.55 THEN
			PERFORM mycc.link('email', 'p' || a || '@undo.test', 'qq', (10000 + step)::text, 'undo');
		ELSIF r < 0.6 THEN
			PERFORM mycc.resolve('qq', (20000 + a)::text, 'undo');
		ELSIF r < 0.85 THEN
			PERFORM random_unmerge();
		ELSE
			PERFORM undo_change('p' || a || '@undo.test', 1 + floor(random() * 50)::int);
		END IF;
	END LOOP;
END
$$;
-- What the steps did: merges (and how many were undone on the way), the
-- deepest tree, refused links, later changes.
SELECT count(*) AS merges, count(*) FILTER (WHERE undone_at IS NOT NULL) AS undone_on_the_way FROM mycc.customer_merge;
WITH RECURSIVE depth (id, d) AS (
	SELECT id, 0 FROM mycc.customer WHERE merged_into IS NULL
	UNION ALL
	SELECT c.id, depth.d + 1 FROM mycc.customer AS c JOIN depth ON c.merged_into = depth.id
)
SELECT max(d) AS deepest_tree, count(*) FILTER (WHERE d > 0) AS merged_now FROM depth;
SELECT count(*) AS refused FROM mycc.identity_conflict;
SELECT last_value AS later_changes FROM undo_tag_seq;
SELECT count(*) AS negative_values FROM mycc.customer WHERE lifetime_value < 0;
SELECT undo_all() > 0 AS undone_all;
SELECT * FROM undo_differences();

-- The same after a concurrent mix: 8 pgbench clients link, unmerge and
-- change customers at random over 200 customers (so that they collide),
-- 200 transactions each; no client may fail.  Then: no negative value,
-- and after every merge in force is undone, every customer is its
-- original plus its later changes.
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
TRUNCATE undo_expected, undo_identity;
ALTER SEQUENCE undo_tag_seq RESTART;
SELECT undo_populate(200, 0);
ALTER DATABASE contrib_regression SET mycc.identity_max_per_customer = 1000;
\! printf '%s\n' '\set a random(1, 200)' '\set b random(1, 200)' '\set d random(1, 50)' '\set r random(1, 20)' "\\if :r <= 11" "SELECT mycc.link('email', 'p' || :a || '@undo.test', 'email', 'p' || :b || '@undo.test', 'undo');" "\\elif :r <= 17" 'SELECT random_unmerge();' '\else' "SELECT undo_change('p' || :a || '@undo.test', :d);" '\endif' > results/identity_undo.pgb
\! pgbench -n --verbose-errors -c 8 -j 2 -t 200 --random-seed=15 -f results/identity_undo.pgb contrib_regression > results/identity_undo.log 2>&1 && echo pgbench ok || cat results/identity_undo.log
\! grep -q 'number of failed transactions: 0 ' results/identity_undo.log && echo 'no failed transaction' || grep -iE 'error|failed' results/identity_undo.log
ALTER DATABASE contrib_regression RESET mycc.identity_max_per_customer;
SELECT count(*) > 100 AS merged, count(*) FILTER (WHERE undone_at IS NOT NULL) > 50 AS undone_on_the_way FROM mycc.customer_merge;
SELECT last_value > 50 AS changed FROM undo_tag_seq;
SELECT count(*) AS negative_values FROM mycc.customer WHERE lifetime_value < 0;
SELECT undo_all() > 0 AS undone_all;
SELECT * FROM undo_differences();

DROP FUNCTION undo_customers(text[]), undo_customer(text, numeric, text, text), undo_merge_of(text),
	undo_nested(text, text, text, text), undo_populate(int, float8),
	undo_random_tier(), undo_random_tags(), undo_change(text, int), random_unmerge(), undo_all(),
	undo_differences();
DROP TABLE undo_expected, undo_identity;
DROP SEQUENCE undo_tag_seq;
RESET mycc.identity_max_per_customer;
RESET client_min_messages;
UPDATE mycc.identity_limit SET max_per_customer = 5 WHERE kind = 'email';
UPDATE mycc.identity_limit SET seeded = true;
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
