-- A bounded pgbench stress run of the identity graph: 8 clients resolve,
-- link and unmerge at random over a small pool of identifiers (so they
-- collide constantly) for 250 transactions each.  No client may fail (no
-- deadlock or other error reaches a caller); afterwards the graph's
-- invariants hold.
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/random_unmerge.sql

\! printf '%s\n' '\set p random(1, 60)' '\set e random(1, 60)' '\set w random(1, 30)' '\set r random(1, 10)' "\\if :r <= 3" "SELECT mycc.resolve('phone', '+86138000000' || lpad(:p::text, 2, '0'), 'stress');" "\\elif :r <= 6" "SELECT mycc.link('phone', '+86138000000' || lpad(:p::text, 2, '0'), 'email', 'u' || :e || '@example.com', 'stress');" "\\elif :r <= 9" "SELECT mycc.link('email', 'u' || :e || '@example.com', 'wechat', 'o6_' || :w, 'stress');" '\else' 'SELECT random_unmerge();' '\endif' > results/identity_stress.pgb
\! pgbench -n --verbose-errors -c 8 -j 2 -t 250 --random-seed=42 -f results/identity_stress.pgb contrib_regression > results/identity_stress.log 2>&1 && echo pgbench ok || cat results/identity_stress.log

-- No client failed (else the errors, which pgbench prints with --verbose-errors).
\! grep -q 'number of failed transactions: 0 ' results/identity_stress.log && echo 'no failed transaction' || grep -iE 'error|failed' results/identity_stress.log

-- Something happened: merges, and merges undone.
SELECT count(*) > 0 AS merged, count(*) FILTER (WHERE undone_at IS NOT NULL) > 0 AS undone FROM mycc.customer_merge;

-- Every identifier belongs to an existing customer.
SELECT count(*) AS orphan_identities FROM mycc.identity AS i
WHERE NOT EXISTS (SELECT FROM mycc.customer AS c WHERE c.id = i.customer_id);

-- root_id is the top of the merged_into chain, and a root is not merged.
WITH RECURSIVE chain (id, top, depth) AS (
	SELECT id, id, 0 FROM mycc.customer
	UNION ALL
	SELECT ch.id, c.merged_into, ch.depth + 1
	FROM chain AS ch JOIN mycc.customer AS c ON c.id = ch.top
	WHERE c.merged_into IS NOT NULL AND ch.depth < 1000
), tops AS (
	SELECT DISTINCT ON (id) id, top FROM chain ORDER BY id, depth DESC
)
SELECT count(*) AS wrong_roots FROM tops JOIN mycc.customer AS c ON c.id = tops.id
WHERE COALESCE(c.root_id, c.id) <> tops.top;

-- Every merged customer has exactly one merge in force that made it so,
-- and every merge in force is reflected in the customer.
SELECT count(*) AS merged_without_log FROM mycc.customer AS c
WHERE c.merged_into IS NOT NULL
	AND (SELECT count(*) FROM mycc.customer_merge AS m
		WHERE m.absorbed_id = c.id AND m.survivor_id = c.merged_into AND m.undone_at IS NULL) <> 1;
SELECT count(*) AS log_not_applied FROM mycc.customer_merge AS m
JOIN mycc.customer AS c ON c.id = m.absorbed_id
WHERE m.undone_at IS NULL AND c.merged_into IS DISTINCT FROM m.survivor_id;

-- No customer breaks a limit.
SELECT count(*) AS over_limit FROM (
	SELECT mycc.customer_root(i.customer_id) AS root, i.kind, count(*) AS n
	FROM mycc.identity AS i GROUP BY 1, 2
) AS k JOIN mycc.identity_limit AS l ON l.kind = k.kind
WHERE k.n > l.max_per_customer;

-- Every refused link names a guard.
SELECT count(*) FILTER (WHERE reason NOT IN ('blocked', 'limit', 'size')) AS unexplained FROM mycc.identity_conflict;

DROP FUNCTION random_unmerge();
TRUNCATE mycc.customer, mycc.identity, mycc.contact, mycc.customer_merge, mycc.identity_conflict RESTART IDENTITY;
