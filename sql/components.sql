-- mycc.connected_components: union-find over an edge query, checked
-- against a recursive CTE on hundreds of random graphs.
SET search_path = public, mycc;

-- Two components and an isolated node (a NULL end adds the other alone).
SELECT * FROM mycc.connected_components('SELECT * FROM (VALUES (1, 2), (3, 4), (2, 5), (7, NULL), (NULL, NULL), (5, 1), (4, 4)) AS e(a, b)');
-- Node ids of any integer type, and the extremes of bigint.
SELECT * FROM mycc.connected_components($$SELECT 2::int2, 3::int4 UNION ALL SELECT 3, 1$$);
SELECT * FROM mycc.connected_components($$VALUES (9223372036854775807, -9223372036854775808), (0, 9223372036854775807)$$);
-- No rows: no nodes.
SELECT count(*) FROM mycc.connected_components('SELECT 1::bigint, 2::bigint WHERE false');

-- Bad edge queries.
SELECT * FROM mycc.connected_components('SELECT 1');
SELECT * FROM mycc.connected_components('SELECT 1, 2, 3');
SELECT * FROM mycc.connected_components($$SELECT 'a'::text, 1$$);
SELECT * FROM mycc.connected_components('SELECT 1.5, 2');
SELECT * FROM mycc.connected_components('SELEC 1, 2');
SELECT * FROM mycc.connected_components('SELECT * FROM no_such_table');
SELECT * FROM mycc.connected_components('');
SELECT * FROM mycc.connected_components('CREATE TABLE cc_x (a int)');
SELECT * FROM mycc.connected_components(NULL);
\set VERBOSITY sqlstate
SELECT * FROM mycc.connected_components('SELECT 1');
SELECT * FROM mycc.connected_components('SELEC 1, 2');
\set VERBOSITY default

-- Hundreds of random graphs (self-loops, repeated edges, isolated nodes)
-- against reachability by a recursive CTE: the same nodes, the same
-- smallest node per component.
SELECT setseed(0.42);
CREATE TABLE cc_edges (g int, a bigint, b bigint);
INSERT INTO cc_edges
SELECT g.g, (random() * n.n)::bigint - n.n / 3,
	CASE WHEN random() < 0.05 THEN NULL ELSE (random() * n.n)::bigint - n.n / 3 END
FROM generate_series(1, 300) AS g(g)
CROSS JOIN LATERAL (SELECT 1 + (random() * 30)::int AS n, (random() * 40)::int AS m OFFSET 0) AS n
CROSS JOIN LATERAL generate_series(0, n.m) AS e(e);

CREATE TABLE cc_mycc AS
SELECT g.g, c.node, c.component
FROM generate_series(1, 300) AS g(g)
CROSS JOIN LATERAL mycc.connected_components(format('SELECT a, b FROM cc_edges WHERE g = %s', g.g)) AS c;

CREATE TABLE cc_reference AS
WITH RECURSIVE und AS (
	SELECT g, a, b FROM cc_edges WHERE a IS NOT NULL AND b IS NOT NULL
	UNION SELECT g, b, a FROM cc_edges WHERE a IS NOT NULL AND b IS NOT NULL
	UNION SELECT g, a, a FROM cc_edges WHERE a IS NOT NULL
	UNION SELECT g, b, b FROM cc_edges WHERE b IS NOT NULL
), reach (g, node, other) AS (
	SELECT g, a, a FROM und
	UNION
	SELECT r.g, r.node, u.b FROM reach AS r JOIN und AS u ON u.g = r.g AND u.a = r.other
)
SELECT g, node, min(other) AS component FROM reach GROUP BY g, node;

SELECT count(DISTINCT g) AS graphs, count(*) AS nodes, count(DISTINCT (g, component)) AS components,
	max(n) AS largest_component
FROM (SELECT g, component, count(*) OVER (PARTITION BY g, component) AS n FROM cc_reference) AS r;
SELECT count(*) AS differences FROM (
	(SELECT * FROM cc_mycc EXCEPT ALL SELECT * FROM cc_reference)
	UNION ALL
	(SELECT * FROM cc_reference EXCEPT ALL SELECT * FROM cc_mycc)
) AS d;
-- Every node once, in the order of first appearance.
SELECT count(*) = count(DISTINCT (g, node)) AS each_node_once FROM cc_mycc;
SELECT array_agg(node) AS first_seen_order FROM mycc.connected_components('VALUES (5, 3), (3, 9), (1, 5)');

-- Growth past the initial table: a chain of 100,000 nodes and 50,000 pairs.
SELECT count(*) AS nodes, count(DISTINCT component) AS components, min(component), max(component)
FROM mycc.connected_components('SELECT i, i + 1 FROM generate_series(1, 99999) AS i');
SELECT count(*) AS nodes, count(DISTINCT component) AS components,
	bool_and(component = CASE WHEN node % 2 = 0 THEN node - 1 ELSE node END) AS pairs
FROM mycc.connected_components('SELECT 2 * i - 1, 2 * i FROM generate_series(1, 50000) AS i');

-- It can be cancelled.
SET statement_timeout = '100ms';
SELECT count(*) FROM mycc.connected_components('SELECT i, i + 1 FROM generate_series(1, 100000000) AS i');
RESET statement_timeout;

-- Re-entrant: a call nested in another's edge query, and a nested call
-- that fails inside a caught exception, leave the outer call intact (each
-- call keeps its union-find in memory of its own; there was one shared
-- static context, which the inner call deleted under the outer, or left
-- pointing at freed memory when it failed).  The outer graphs are larger
-- than the union-find's first allocation (1,024 nodes), so the outer call
-- allocates after the inner ones have finished.
SELECT count(*) AS nodes, count(DISTINCT component) AS components, min(component), max(component)
FROM mycc.connected_components($$
	SELECT c.node, c.node + 5000 FROM mycc.connected_components('SELECT i, i + 1 FROM generate_series(1, 2999) AS i') AS c
$$);
SELECT count(*) AS nodes, bool_and(component = node % 1000) AS components_right
FROM mycc.connected_components($$
	SELECT i % 1000, i FROM generate_series(1, 3000) AS i
	CROSS JOIN LATERAL (SELECT count(*) FROM mycc.connected_components(
		format('SELECT %s, %s', i, i + 1)) WHERE i % 500 = 0) AS inner_call
$$) WHERE node >= 1000;
CREATE FUNCTION cc_try_inner(i int) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	-- Fails after the inner call has set up its union-find.
	PERFORM count(*) FROM mycc.connected_components(format('SELECT %s::bigint, %s / 0', i, i));
	RETURN -1;
EXCEPTION WHEN division_by_zero THEN
	RETURN i;
END;
$$;
SELECT count(*) AS nodes, count(DISTINCT component) AS components, min(component), max(component)
FROM mycc.connected_components($$
	SELECT i, CASE WHEN i % 1000 = 0 THEN cc_try_inner(i + 1) ELSE i + 1 END
	FROM generate_series(1, 99999) AS i
$$);
-- A failed inner call that is not caught fails the outer statement only.
SELECT count(*) FROM mycc.connected_components($$
	SELECT i, c.node FROM generate_series(1, 3) AS i, mycc.connected_components('SELECT 1') AS c
$$);
-- Normal calls afterwards are unaffected.
SELECT count(*) AS nodes, count(DISTINCT component) AS components, min(component), max(component)
FROM mycc.connected_components('SELECT i, i + 1 FROM generate_series(1, 4999) AS i');
SELECT * FROM mycc.connected_components('VALUES (10, 11), (11, 12), (20, 21)');
DROP FUNCTION cc_try_inner(int);

DROP TABLE cc_edges, cc_mycc, cc_reference;
RESET search_path;
