-- mycc.tagset: text and binary I/O, every operator and function, the
-- aggregates (serial, parallel, window), and every error path.
SET search_path = public, mycc;

-- Input folds ASCII letters, sorts bytewise (shorter first), drops
-- duplicates; output quotes what is not letters, digits or _ - : . /
SELECT s, s::tagset AS tagset
FROM unnest(ARRAY[
	'{}', ' { } ', '{VIP, new, vip, New}', '{b, a, ab, a:b, A}',
	'{"sale 2024", 90后, region:北京, "tier:HIGH"}',
	'{"a\"b", "x\\y", "\q", "comma,", "{brace}", "and"}',
	'{"plain", "with space", "tab	in"}',
	E'{\n  a ,\tb\n}', '{😀, 🎉party, "😀 x"}', '{Ärger, ärger, ÄRGER}'
]) AS s ORDER BY s;

-- Output is valid input: text round trip for every value above.
SELECT bool_and(s::tagset::text::tagset = s::tagset AND s::tagset::text = s::tagset::text::tagset::text) AS text_round_trip
FROM unnest(ARRAY['{}', '{VIP, new}', '{"a\"b", "x\\y", "comma,", "{brace}"}', '{90后, 😀, "😀 x", region:北京}']) AS s;

-- Tag lengths: 255 bytes are fine, also in multibyte characters.
SELECT octet_length(t) AS bytes, # ('{' || t || '}')::tagset AS tags
FROM (VALUES (repeat('x', 255)), (repeat('北', 85)), (repeat('😀', 63) || 'abc')) AS v(t) ORDER BY 1, 2;
-- 10000 tags are fine; duplicates do not count.
SELECT # ('{' || string_agg('t' || i, ',') || '}')::tagset AS tags FROM generate_series(1, 10000) AS i;
SELECT # ('{' || string_agg('t' || (i % 10000), ',') || '}')::tagset AS tags FROM generate_series(1, 20000) AS i;
SELECT # tagset(array_agg('t' || i)) AS tags FROM generate_series(1, 10000) AS i;

-- Errors, one a line, with their SQLSTATE.
\set VERBOSITY sqlstate
SELECT ''::tagset;
SELECT 'a'::tagset;
SELECT '{a'::tagset;
SELECT '{a,}'::tagset;
SELECT '{,a}'::tagset;
SELECT '{a b}'::tagset;
SELECT '{a} x'::tagset;
SELECT '{""}'::tagset;
SELECT '{"a}'::tagset;
SELECT '{a=b}'::tagset;
SELECT ('{' || repeat('x', 256) || '}')::tagset;
SELECT ('{' || repeat('北', 86) || '}')::tagset;
SELECT ('{' || string_agg('t' || i, ',') || '}')::tagset FROM generate_series(1, 10001) AS i;
SELECT tagset(array_agg('t' || i)) FROM generate_series(1, 10001) AS i;
SELECT tagset(ARRAY['a', NULL]);
SELECT tagset(ARRAY['a', '']);
SELECT tagset(ARRAY[repeat('x', 256)]);
SELECT '{a}'::tagset ? '';
SELECT '{a}'::tagset || repeat('x', 256);
SELECT tagset_agg(t) FROM (VALUES ('a'), ('')) AS v(t);
SELECT '{a}'::tagset || '{b' ::tagset;
SELECT ('{a}'::tagset || '{b}'::tagset) || 'c';
SELECT convert_from('\x7bff7d', 'UTF8')::tagset;
\set VERBOSITY default
-- The message names the input and the byte where the parser stopped.
SELECT '{ok, "not closed}'::tagset;
SELECT '{ok, bad tag}'::tagset;
SELECT ('{' || repeat('x', 300) || '}')::tagset;
-- It shows at most 100 bytes of the input, cut between characters (a cut
-- inside one made the message invalid UTF-8, which a client in another
-- encoding got as a conversion error instead of this one).
SELECT repeat('中', 40)::tagset;
SET client_encoding = 'GBK';
\set VERBOSITY sqlstate
SELECT repeat(U&'\4E2D', 40)::tagset;
\set VERBOSITY default
RESET client_encoding;
SELECT tagset(ARRAY['a', 'b', NULL]);

-- Invalid UTF-8 cannot reach the parser in a UTF8 database (PostgreSQL
-- checks every text first, as above); in a SQL_ASCII database it can, and
-- the parser refuses it.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mycc_tagset_ascii;
CREATE DATABASE mycc_tagset_ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c mycc_tagset_ascii
SET client_min_messages = warning;
CREATE EXTENSION mycc;
\set VERBOSITY sqlstate
SELECT E'{ok, \xff}'::mycc.tagset;
SELECT E'{"\xc3\x28"}'::mycc.tagset;
SELECT E'{\xed\xa0\x80}'::mycc.tagset;
SELECT E'{\xc0\xaf}'::mycc.tagset;
SELECT E'{\xf4\x90\x80\x80}'::mycc.tagset;
SELECT mycc.tagset(ARRAY[E'\xe4\xb8']);
SELECT '{a}'::mycc.tagset OPERATOR(mycc.?) E'\xff';
SELECT E'a & \xff'::mycc.tagquery;
\set VERBOSITY default
SELECT E'{\xe4\xb8\xad}'::mycc.tagset::text = convert_from('\x7be4b8ad7d', 'SQL_ASCII') AS valid_utf8_accepted;
\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE mycc_tagset_ascii;
RESET client_min_messages;
SET search_path = public, mycc;

-- Set operators.
SELECT a, b, a @> b AS contains, a <@ b AS contained, a && b AS overlaps,
	a = b AS eq, a <> b AS ne, a || b AS "union", a - b AS minus, a & b AS intersect
FROM (VALUES
	('{a,b,c}'::tagset, '{a,b}'::tagset), ('{a,b}', '{a,b,c}'), ('{a,b}', '{b,a}'),
	('{a,b}', '{c,d}'), ('{a}', '{}'), ('{}', '{a}'), ('{}', '{}'),
	('{region:北京, vip}', '{region:北京}'), ('{😀}', '{😀, 🎉}')
) AS v(a, b) ORDER BY a, b;
-- Tags given as text: ?, || and - with a text operand.  A bare literal
-- next to a tagset is read as a tagset (PostgreSQL's rule for unknown
-- literals), so a single tag is written as text.
SELECT '{a, b}'::tagset ? 'A' AS has_a, '{a, b}'::tagset ? 'c' AS has_c, '{北京}'::tagset ? '北京' AS has_beijing,
	'{a}'::tagset || 'B'::text AS add, '{a}'::tagset || 'a'::text AS add_again,
	'{a, b}'::tagset - 'B'::text AS remove, '{a}'::tagset - 'z'::text AS remove_absent,
	# '{a, b, c}'::tagset AS count3, # '{}'::tagset AS count0;
-- The btree order: tag by tag (bytewise), a set before the longer sets it
-- starts; sorting, min/max through ORDER BY, DISTINCT and hashing agree.
SELECT t FROM unnest('{"{b}", "{a, c}", "{a}", "{}", "{a, b}", "{B, A}", "{ab}", "{北}", "{z}"}'::tagset[]) AS t ORDER BY t;
SELECT a, b, a < b AS lt, a <= b AS le, a > b AS gt, a >= b AS ge, tagset_cmp(a, b) AS cmp
FROM (VALUES ('{a}'::tagset, '{a,b}'::tagset), ('{a,b}', '{a,b}'), ('{b}', '{a,z}'), ('{}', '{a}')) AS v(a, b)
ORDER BY a, b;
SELECT tagset_hash('{a, b}') = tagset_hash('{B, A, b}') AS hash_equal,
	tagset_hash('{a, b}') <> tagset_hash('{a, c}') AS hash_differs,
	tagset_hash_extended('{a, b}', 7) = tagset_hash_extended('{b, a}', 7) AS hash_extended_equal,
	tagset_hash_extended('{a, b}', 0) <> tagset_hash_extended('{a, b}', 1) AS seed_matters;
CREATE TABLE sets (id int, tags tagset);
INSERT INTO sets VALUES (1, '{a, b}'), (2, '{B, A}'), (3, '{c}'), (4, '{}'), (5, NULL), (6, '{c}');
CREATE INDEX sets_btree ON sets (tags);
CREATE INDEX sets_hash ON sets USING hash (tags);
SET enable_seqscan = off;
SELECT id FROM sets WHERE tags = '{a, b}' ORDER BY id;
SELECT tags, count(*) FROM sets GROUP BY tags ORDER BY tags;
RESET enable_seqscan;
SET enable_sort = off;
SELECT tags, count(*) FROM sets GROUP BY tags ORDER BY count(*) DESC, tags;
RESET enable_sort;

-- tagset(text[]) and the cast: each element one tag, no quoting needed.
SELECT tagset(ARRAY['VIP', 'sale 2024', 'a"b', 'vip', '北京']) AS tagset,
	ARRAY['b', 'A']::tagset AS cast, tagset('{}'::text[]) AS empty,
	tagset(ARRAY[['a', 'b'], ['c', 'a']]) AS two_dimensional;
-- tags(): one row per tag, in order, unquoted.
SELECT tags('{b, "sale 2024", a, 北京}') AS tag;
SELECT count(*) AS no_rows FROM tags('{}');
SELECT s.id, t FROM sets AS s, tags(s.tags) AS t ORDER BY 1, 2;

-- Aggregates: tagset_agg(text) builds a set, tag_union(tagset) merges sets;
-- NULLs are skipped, an empty group gives '{}'.
SELECT tagset_agg(t) AS agg FROM (VALUES ('b'), ('A'), (NULL), ('a'), ('北京')) AS v(t);
SELECT tag_union(tags) AS "union" FROM sets;
SELECT tagset_agg(t) AS agg_none, tag_union(NULL::tagset) AS union_none FROM (SELECT 'x' WHERE false) AS v(t);
SELECT id % 2 AS odd, tag_union(tags) AS "union", tagset_agg('n' || id) FILTER (WHERE tags IS NOT NULL) AS ids
FROM sets GROUP BY 1 ORDER BY 1;
-- In a window: running and moving frames.
SELECT id, tags, tag_union(tags) OVER (ORDER BY id) AS running,
	tag_union(tags) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS moving
FROM sets ORDER BY id;
DROP TABLE sets;

-- Parallel aggregation: Partial Aggregate in the plan, result equal to serial.
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql
CREATE TABLE many (id int, grp int, tags tagset);
INSERT INTO many
SELECT i, i % 7, tagset(ARRAY['t' || (i % 997), 'u' || (i * 31 % 113), 'v' || (i % 5)])
FROM generate_series(1, 100000) AS i;
ANALYZE many;
CREATE TABLE serial AS
SELECT tag_union(tags) AS u, tagset_agg('t' || (id % 1013)) AS a FROM many;
CREATE TABLE serial_groups AS SELECT grp, tag_union(tags) AS u FROM many GROUP BY grp;
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET parallel_leader_participation = off;
SELECT pg_temp.plan_has('SELECT tag_union(tags) FROM many', 'Partial Aggregate') AS union_partial,
	pg_temp.plan_has($$SELECT tagset_agg('t' || (id % 1013)) FROM many$$, 'Partial Aggregate') AS agg_partial,
	pg_temp.plan_has('SELECT grp, tag_union(tags) FROM many GROUP BY grp', 'Partial') AS grouped_partial;
SELECT s.u = p.u AS union_equal, s.a = p.a AS agg_equal, # p.u AS union_tags, # p.a AS agg_tags
FROM serial AS s, (SELECT tag_union(tags) AS u, tagset_agg('t' || (id % 1013)) AS a FROM many) AS p;
SELECT count(*) AS groups, bool_and(s.u = p.u) AS groups_equal
FROM serial_groups AS s JOIN (SELECT grp, tag_union(tags) AS u FROM many GROUP BY grp) AS p USING (grp);
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;
DROP TABLE many, serial, serial_groups;

-- Binary I/O through COPY (FORMAT binary): the round trip keeps every value.
CREATE TABLE bin_src (id int, tags tagset);
INSERT INTO bin_src VALUES (1, '{}'), (2, '{vip, "sale 2024", 90后}'), (3, '{"a\"b", "x\\y", 😀}'),
	(4, NULL), (5, ('{' || repeat('x', 255) || '}')::tagset);
INSERT INTO bin_src SELECT 6, tagset(array_agg('t' || i)) FROM generate_series(1, 10000) AS i;
SELECT current_setting('data_directory') || '/mycc_tagset.bin' AS bin_file \gset
COPY bin_src TO :'bin_file' WITH (FORMAT binary);
CREATE TABLE bin_dst (LIKE bin_src);
COPY bin_dst FROM :'bin_file' WITH (FORMAT binary);
SELECT count(*) AS rows, bool_and(s.tags IS NOT DISTINCT FROM d.tags AND s.tags::text IS NOT DISTINCT FROM d.tags::text) AS same
FROM bin_src AS s JOIN bin_dst AS d USING (id);
-- The wire format: version byte 1, int4 count, then int4 length and bytes
-- per tag.
SELECT tagset_send('{b, a, 北}') AS send, tagset_send('{}') AS send_empty;

-- Text and binary I/O (COPY FORMAT binary included) go through these:
SELECT typinput = 'mycc.tagset_in'::regproc AND typoutput = 'mycc.tagset_out'::regproc
	AND typreceive = 'mycc.tagset_recv'::regproc AND typsend = 'mycc.tagset_send'::regproc AS io_functions
FROM pg_type WHERE oid = 'mycc.tagset'::regtype;
-- recv accepts only the canonical form (pg_temp.recv_value shows the value
-- or the error with its SQLSTATE).
\i :abs_srcdir/sql/include/value_or_error.sql
-- Builds the bytes of a set from its tags as given (no folding, no sort).
CREATE FUNCTION tagset_bytes(tags bytea[], version int DEFAULT 1, count int DEFAULT NULL) RETURNS bytea
LANGUAGE sql AS $$
	SELECT set_byte('\x00'::bytea, 0, version) || int4send(coalesce(count, cardinality(tags)))
		|| coalesce((SELECT string_agg(int4send(length(t)) || t, '' ORDER BY n) FROM unnest(tags) WITH ORDINALITY AS u(t, n)), '')
$$;
SELECT what, pg_temp.recv_value('mycc.tagset', value) AS received
FROM (VALUES
	(1, 'canonical', tagset_bytes(ARRAY['a'::bytea, 'b', convert_to('北京', 'UTF8')])),
	(2, 'empty', tagset_bytes('{}')),
	(3, 'send output', tagset_send('{vip, 😀}')),
	(4, 'unsorted', tagset_bytes(ARRAY['b', 'a']::bytea[])),
	(5, 'duplicate', tagset_bytes(ARRAY['a', 'a']::bytea[])),
	(6, 'longer first', tagset_bytes(ARRAY['ab', 'a']::bytea[])),
	(7, 'upper case', tagset_bytes(ARRAY['A']::bytea[])),
	(8, 'empty tag', tagset_bytes(ARRAY[''::bytea])),
	(9, '256-byte tag', tagset_bytes(ARRAY[convert_to(repeat('x', 256), 'UTF8')])),
	(10, 'bad UTF-8', tagset_bytes(ARRAY['\xff'::bytea])),
	(11, 'truncated UTF-8', tagset_bytes(ARRAY['\xe4b8'::bytea])),
	(12, 'NUL byte', tagset_bytes(ARRAY['\x6100'::bytea])),
	(13, 'version 2', tagset_bytes(ARRAY['a']::bytea[], 2)),
	(14, 'count above 10000', tagset_bytes('{}', 1, 10001)),
	(15, 'negative count', tagset_bytes('{}', 1, -1)),
	(16, 'count beyond data', tagset_bytes(ARRAY['a']::bytea[], 1, 2)),
	(17, 'trailing bytes', tagset_bytes(ARRAY['a']::bytea[]) || '\x00'::bytea),
	(18, 'length beyond data', '\x01000000010000000a61'::bytea),
	(19, 'truncated header', '\x0100'::bytea)
) AS v(n, what, value) ORDER BY n;
DROP FUNCTION tagset_bytes(bytea[], int, int);
DROP TABLE bin_src, bin_dst;

-- The stored form (version 2, docs/tags.md): header, a 64-bit signature,
-- the end of each tag, a fingerprint byte per tag, the tags.  Signature
-- and fingerprints come from a fixed hash of each tag's bytes: a value
-- means the same on any server and needs no table, and these bytes are an
-- on-disk format that never changes.
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/tagset_stored.sql
SELECT t AS tags, t::tagset::bytea AS stored, tagset_hash(t::tagset) AS hash,
	tagset_hash_extended(t::tagset, 7) AS hash_extended
FROM unnest(ARRAY['{}', '{vip}', '{a, b, 北京}']) AS t ORDER BY t;
-- However a set is built (input, array, operators, aggregates flat and
-- expanded), the same set has the same bytes.
SELECT count(DISTINCT v::bytea) AS distinct_stored_forms
FROM (VALUES ('{b, a, 北京}'::tagset), (tagset(ARRAY['北京', 'B', 'a'])), ('{a}'::tagset || '{b, 北京}'),
	('{a, b, c, 北京}'::tagset - 'c'::text), ('{a, b, c, 北京}'::tagset & '{a, b, 北京, z}'),
	((SELECT tag_union(s) FROM (VALUES ('{a}'::tagset), ('{北京, b}')) AS u(s))),
	((SELECT tagset_agg(t) FROM unnest(ARRAY['b', '北京', 'a']) AS t))) AS s(v);
SELECT (SELECT tagset_agg('t' || i) FROM generate_series(1, 100) AS i)::bytea
	= ('{' || (SELECT string_agg('t' || i, ',') FROM generate_series(1, 100) AS i) || '}')::tagset::bytea
	AS expanded_state_same_bytes;

-- mycc 0.2.0's form (version 1, no signature) is still read: every
-- function sees the same set, it hashes as it did (hash indexes and hash
-- partitions made by 0.2.0 stay valid), and whatever builds a new value
-- writes version 2.
CREATE TEMP TABLE stored_v1 AS
SELECT n, pg_temp.tagset_v1(tags)::tagset AS tags
FROM (VALUES (1, '{}'::text[]), (2, '{vip}'), (3, '{a, b, 北京}'),
	(4, '{complainer, interest:3, region:北京, vip}')) AS v(n, tags);
SELECT n, get_byte(tags::bytea, 0) AS version, tags, # tags AS count,
	tags = tags::text::tagset AS equal_to_new,
	tagset_hash(tags) = tagset_hash(tags::text::tagset) AS same_hash,
	tagset_hash_extended(tags, 7) = tagset_hash_extended(tags::text::tagset, 7) AS same_hash_ext,
	tags @@ 'vip & !complainer' AS vip_query, tags @@ 'region:* | a' AS prefix_query,
	'vip'::tagquery @@ tags AS commuted, tags ? 'vip' AS has_vip, tags @> '{vip}' AS contains,
	get_byte((tags || '{}'::tagset)::bytea, 0) AS rebuilt_version
FROM stored_v1 ORDER BY n;

-- A damaged stored value is an error (XX001), also for @@, which reads a
-- value in place: it checks the header, and each tag it compares (the
-- one whose fingerprint the query's tag has).  A tag the signature rules
-- out is not looked for, so a damaged tag elsewhere is not seen: 'zzz'.
-- '{a, b}': version 0, flags 1, count 2-3, signature 4-11, ends 12-19,
-- fingerprints 20-21, tags 22-23 (byte offsets after the length word).
SELECT what, pg_temp.value_or_error(NULL, format('SELECT %L::bytea::tagset::text', v)) AS text,
	pg_temp.value_or_error(NULL, format('SELECT %L::bytea::tagset @@ ''b''', v)) AS has_b,
	pg_temp.value_or_error(NULL, format('SELECT %L::bytea::tagset @@ ''zzz''', v)) AS has_zzz,
	pg_temp.value_or_error(NULL, format('SELECT %L::bytea::tagset @@ ''b*''', v)) AS prefix_b
FROM (SELECT n, what, v FROM (VALUES
	(1, 'intact', '{a, b}'::tagset::bytea),
	(2, 'version 3', set_byte('{a, b}'::tagset::bytea, 0, 3)),
	(3, 'flags set', set_byte('{a, b}'::tagset::bytea, 1, 1)),
	(4, 'header cut', substr('{a, b}'::tagset::bytea, 1, 10)),
	(5, 'count beyond the value', set_byte('{a, b}'::tagset::bytea, 2, 9)),
	(6, 'end beyond the value', overlay('{a, b}'::tagset::bytea placing pg_temp.le(200, 4) from 17)),
	(7, 'empty tag', overlay('{a, b}'::tagset::bytea placing pg_temp.le(1, 4) from 17)),
	(8, 'version 1, end beyond', overlay(pg_temp.tagset_v1('{a, b}') placing pg_temp.le(200, 4) from 9))
) AS c(n, what, v)) AS d ORDER BY n;
DROP TABLE stored_v1;
DROP CAST (bytea AS tagset);
DROP CAST (tagset AS bytea);

-- The functions behind the operators, called by name: their answers, and
-- the operators' the same.
SET search_path = public, mycc;
SELECT a, b, tagset_eq(a, b) AS eq, tagset_ne(a, b) AS ne, tagset_lt(a, b) AS lt, tagset_le(a, b) AS le,
	tagset_gt(a, b) AS gt, tagset_ge(a, b) AS ge, tagset_contains(a, b) AS contains, tagset_contained(a, b) AS contained,
	tagset_overlap(a, b) AS overlap, tagset_union(a, b) AS "union", tagset_intersect(a, b) AS intersect, tagset_minus(a, b) AS minus,
	(tagset_eq(a, b), tagset_ne(a, b), tagset_lt(a, b), tagset_le(a, b), tagset_gt(a, b), tagset_ge(a, b),
		tagset_contains(a, b), tagset_contained(a, b), tagset_overlap(a, b))
	= (a = b, a <> b, a < b, a <= b, a > b, a >= b, a @> b, a <@ b, a && b)
	AND (tagset_union(a, b), tagset_intersect(a, b), tagset_minus(a, b)) = (a || b, a & b, a - b) AS same_as_operators
FROM (VALUES ('{a, b}'::tagset, '{b}'::tagset), ('{b}', '{a, b}'), ('{a}', '{c}'), ('{北京}', '{北京}')) AS v(a, b);
SELECT tagset_has('{vip, 北京}', '北京') AS has, tagset_has('{vip}', 'VIP') AS has_folded, tagset_has('{vip}', 'x') AS has_not,
	tagset_minus_tag('{vip, 北京}', 'VIP') AS minus_tag,
	tagset_matches('{vip, region:北京}', 'vip & region:*') AS matches, tagquery_matched('vip & !complainer', '{vip}') AS matched,
	tagset_matches('{vip}', 'complainer') AS not_matches,
	tagset_matches('{vip, region:北京}', 'vip & region:*') = ('{vip, region:北京}'::tagset @@ 'vip & region:*'::tagquery)
	AND tagquery_matched('vip & !complainer', '{vip}') = ('vip & !complainer'::tagquery @@ '{vip}'::tagset) AS same_as_operators;
RESET search_path;
