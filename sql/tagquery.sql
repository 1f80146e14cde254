-- mycc.tagquery: the grammar, the canonical output, text and binary round
-- trips, the limits, syntax errors with their position, and @@.
SET search_path = public, mycc;

-- Input and canonical output: n-ary & and |, ! binds tightest, then &,
-- then |; parentheses only where precedence needs them; words AND OR NOT
-- (any case) are the operators, quoted they are tags; tags fold and quote
-- as in a tagset.
SELECT q AS input, q::tagquery AS canonical
FROM unnest(ARRAY[
	'vip', 'VIP', 'a & b', 'a|b', '!a', 'a & b & c', '(a & b) & c', 'a & (b & c)',
	'a | b & c', '(a | b) & c', 'a & (b | c)', '((a))', '!(a)', '!!a', '!(a & b)', '!(a | b)',
	'!a & !b', 'a & !(b | !c)', '(a | (b | (c | d)))', 'a | b & (c | d & (e | f))',
	'a AND b', 'a and not b', 'a OR b AND NOT c', 'Not a Or b', '"and" & "or" & "not"',
	'"AND" | x', 'andy & orange & notice', 'region:*', 'region:* & !region:北京', 'Tier:*',
	'"sale 2024" | 90后', '"a\"b" | "x\\y"', '😀 & !🎉*', 'a&b|c', '  a  &  b  ',
	'(bought:fridge_500l | device:iphone) & !complainer'
]) WITH ORDINALITY AS u(q, n) ORDER BY n;

-- The canonical form reads back to itself, as text and through binary.
CREATE TABLE queries (id int, q tagquery);
INSERT INTO queries
SELECT n, q::tagquery FROM unnest(ARRAY[
	'vip', 'a & b | !c', '!(a | b) & (c | d)', 'region:* | "sale 2024"', '"and" & "not"',
	'😀 & !(x | y* | z)', '(((a & b) | c) & d) | e'
]) WITH ORDINALITY AS u(q, n);
SELECT bool_and(q::text::tagquery::text = q::text) AS text_round_trip FROM queries;
SELECT tagquery_send('a & !"sale 2024"') AS send;
SELECT current_setting('data_directory') || '/mycc_tagquery.bin' AS bin_file \gset
COPY queries TO :'bin_file' WITH (FORMAT binary);
CREATE TABLE queries_copy (LIKE queries);
COPY queries_copy FROM :'bin_file' WITH (FORMAT binary);
SELECT count(*) AS rows, bool_and(a.q::text = b.q::text) AS binary_round_trip
FROM queries AS a JOIN queries_copy AS b USING (id);
DROP TABLE queries, queries_copy;
-- Text and binary I/O (COPY FORMAT binary included) go through these:
SELECT typinput = 'mycc.tagquery_in'::regproc AND typoutput = 'mycc.tagquery_out'::regproc
	AND typreceive = 'mycc.tagquery_recv'::regproc AND typsend = 'mycc.tagquery_send'::regproc AS io_functions
FROM pg_type WHERE oid = 'mycc.tagquery'::regtype;
-- recv parses the text after the version byte as text input does: any
-- spelling is accepted and stored canonical, and the errors are the same.
-- pg_temp.recv_value shows the value or the error with its SQLSTATE.
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/value_or_error.sql
SELECT what, pg_temp.recv_value('mycc.tagquery', value) AS received
FROM (VALUES
	(1, 'send output', tagquery_send('a & !(b | c*)')),
	(2, 'words', '\x01'::bytea || convert_to('VIP AND NOT (x OR y)', 'UTF8')),
	(3, 'version 2', '\x02'::bytea || convert_to('a', 'UTF8')),
	(4, 'no text', '\x01'::bytea),
	(5, 'syntax error', '\x01'::bytea || convert_to('a &', 'UTF8')),
	(6, 'too deep', '\x01'::bytea || convert_to(repeat('!', 65) || 'a', 'UTF8')),
	(7, 'bad UTF-8', '\x0161ff'::bytea),
	(8, 'no version byte', ''::bytea)
) AS v(n, what, value) ORDER BY n;

-- Limits: parentheses and NOT nest at most 64 deep (54001); a query has
-- at most 10000 terms and operators (54000); a tag at most 255 bytes.
SELECT length((repeat('(', 64) || 'a' || repeat(')', 64))::tagquery::text) AS parens_64,
	length((repeat('!', 64) || 'a')::tagquery::text) AS nots_64,
	length((repeat('!(', 32) || 'a' || repeat(')', 32))::tagquery::text) AS not_parens_64,
	length((repeat('a | b & (', 64) || 'z' || repeat(')', 64))::tagquery::text) AS alternating_64,
	(SELECT length(string_agg('t' || i, ' & ')::tagquery::text) FROM generate_series(1, 9999) AS i) AS items_10000,
	length(('"' || repeat('x', 255) || '"')::tagquery::text) AS tag_255;
-- The limit counts stored items: groups merged into their parent do not
-- count ((t1 & u1) & (t2 & u2) & ... is one AND of 9998 terms).
SELECT length(string_agg('(t' || i || ' & u' || i || ')', ' & ')::tagquery::text) AS merged_9999
FROM generate_series(1, 4999) AS i;
-- A group merged at the very end is not counted either: one OR of 9999
-- terms, whichever end the group is at (the parser used to count the group
-- until it merged, and refused the first spelling).
SELECT length((string_agg('t' || i, ' | ') || ' | (x | y)')::tagquery::text) AS group_last_10000,
	length(('(x | y) | ' || string_agg('t' || i, ' | '))::tagquery::text) AS group_first_10000
FROM generate_series(1, 9997) AS i;
-- A query nested as deep as text input allows is stored and read back.
CREATE TABLE deep (q tagquery);
INSERT INTO deep VALUES ((repeat('a | b & (', 64) || 'z' || repeat(')', 64))::tagquery),
	((repeat('!(a | b & ', 32) || 'z' || repeat(')', 32))::tagquery);
SELECT length(q::text) AS length, q::text::tagquery::text = q::text AS round_trip,
	'{b, z}'::tagset @@ q AS matches FROM deep ORDER BY 1;
DROP TABLE deep;
\set VERBOSITY sqlstate
SELECT (repeat('(', 65) || 'a' || repeat(')', 65))::tagquery;
SELECT (repeat('!', 65) || 'a')::tagquery;
SELECT (repeat('!(', 32) || '!a' || repeat(')', 32))::tagquery;
SELECT (repeat('a | b & (', 65) || 'z' || repeat(')', 65))::tagquery;
SELECT string_agg('t' || i, ' & ')::tagquery FROM generate_series(1, 10000) AS i;
SELECT string_agg('t' || i, ' | ')::tagquery FROM generate_series(1, 20000) AS i;
SELECT string_agg('(t' || i || ' & u' || i || ')', ' & ')::tagquery FROM generate_series(1, 5000) AS i;
SELECT ('"' || repeat('x', 256) || '"')::tagquery;
SELECT (repeat('x', 256) || '*')::tagquery;
\set VERBOSITY default
SELECT (repeat('(', 65) || 'a' || repeat(')', 65))::tagquery;
SELECT string_agg('t' || i, ' & ')::tagquery FROM generate_series(1, 10000) AS i;

-- Syntax errors: 42601, the byte where the parser stopped in DETAIL.
\set VERBOSITY sqlstate
SELECT ''::tagquery;
SELECT '   '::tagquery;
SELECT 'a &'::tagquery;
SELECT '& a'::tagquery;
SELECT 'a b'::tagquery;
SELECT '(a'::tagquery;
SELECT 'a)'::tagquery;
SELECT '()'::tagquery;
SELECT '!'::tagquery;
SELECT 'a & & b'::tagquery;
SELECT '""'::tagquery;
SELECT '"a'::tagquery;
SELECT 'a = b'::tagquery;
SELECT 'and'::tagquery;
SELECT 'a and or b'::tagquery;
SELECT '*'::tagquery;
SELECT 'a**'::tagquery;
\set VERBOSITY default
SELECT 'vip & '::tagquery;
SELECT 'vip & (new | old'::tagquery;
SELECT 'vip new'::tagquery;
SELECT 'vip & 北京 = x'::tagquery;
SELECT 'a & "b'::tagquery;
SELECT 'a)'::tagquery;

-- @@ in both orders, with prefixes, negation and the empty set.
SELECT s AS tags, q AS query, s::tagset @@ q::tagquery AS matches, q::tagquery @@ s::tagset AS commuted
FROM (VALUES
	('{vip, new}', 'vip & new'), ('{vip}', 'vip & new'), ('{vip}', 'vip | new'), ('{}', 'vip | new'),
	('{}', '!vip'), ('{vip}', '!vip'), ('{}', '!vip & !new'), ('{new}', '!(vip & new)'),
	('{region:北京}', 'region:*'), ('{region}', 'region:*'), ('{regional}', 'region*'), ('{}', 'region:*'),
	('{region:北京}', 'region:北*'), ('{region:北京}', 'region:北京*'), ('{region:上海}', 'region:* & !region:北京'),
	('{bought:fridge_500l}', '(bought:fridge_500l | device:iphone) & !complainer'),
	('{device:iphone, complainer}', '(bought:fridge_500l | device:iphone) & !complainer'),
	('{and, or}', '"and" & "or"'), ('{😀}', '😀*'), ('{a}', 'a & !a'), ('{}', 'a | !a')
) AS v(s, q);
