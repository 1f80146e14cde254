-- Catalog snapshot: every member object of mycc with its markings, so that
-- any change to the installed surface shows in review.
SELECT pg_describe_object(d.classid, d.objid, 0) AS object,
	p.prokind AS kind, p.provolatile AS vol, p.proisstrict AS strict,
	p.proparallel AS par,
	obj_description(d.objid, c.relname) IS NOT NULL AS commented
FROM pg_depend AS d
JOIN pg_class AS c ON c.oid = d.classid
LEFT JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.refclassid = 'pg_extension'::regclass
	AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc')
	AND d.deptype = 'e'
ORDER BY 1;

-- Nothing is left without a comment.
SELECT pg_describe_object(d.classid, d.objid, 0) AS uncommented
FROM pg_depend AS d JOIN pg_class AS c ON c.oid = d.classid
WHERE d.refclassid = 'pg_extension'::regclass
	AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc')
	AND d.deptype = 'e'
	AND obj_description(d.objid, c.relname) IS NULL;

-- Every operator class passes its access method's validator.
SELECT opc.opcname, am.amname, amvalidate(opc.oid) AS valid
FROM pg_opclass AS opc JOIN pg_am AS am ON am.oid = opc.opcmethod
WHERE opc.opcnamespace = 'mycc'::regnamespace
ORDER BY 1, 2;

-- The extension lives in mycc and nowhere else; it is not relocatable.
SELECT extname, extnamespace::regnamespace, extrelocatable, extversion
FROM pg_extension WHERE extname = 'mycc';
SELECT count(*) AS objects_in_public
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc')
	AND p.pronamespace <> 'mycc'::regnamespace;

-- Aggregates: all parallel safe, all with a combine function and a real
-- (not internal) state type, moving-aggregate support for windows.
SELECT a.aggfnoid::regprocedure AS aggregate, a.aggtranstype::regtype AS state,
	a.aggcombinefn <> 0 AS combine, a.aggminvtransfn <> 0 AS moving,
	p.proparallel AS par
FROM pg_aggregate AS a JOIN pg_proc AS p ON p.oid = a.aggfnoid
WHERE p.pronamespace = 'mycc'::regnamespace
ORDER BY a.aggfnoid::regprocedure::text;

-- Tables users fill are dumped by pg_dump.
SELECT dumped FROM (SELECT unnest(extconfig)::regclass AS dumped FROM pg_extension WHERE extname = 'mycc') AS d
ORDER BY dumped::text;

-- Dropping and re-creating the extension works.
DROP EXTENSION mycc;
-- The schema stays, empty (docs/operations.md#removing).
SELECT n.nspname, (SELECT count(*) FROM pg_class WHERE relnamespace = n.oid) + (SELECT count(*) FROM pg_proc WHERE pronamespace = n.oid)
	+ (SELECT count(*) FROM pg_type WHERE typnamespace = n.oid) AS objects
FROM pg_namespace AS n WHERE n.nspname = 'mycc';
CREATE EXTENSION mycc;
SELECT extversion FROM pg_extension WHERE extname = 'mycc';
