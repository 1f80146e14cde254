-- Damaged values (docs/operations.md, "Damaged values"): a stored value of a
-- mycc type that this build would never have written is damaged data,
-- XX001 (data_corrupted), as PostgreSQL reports its own; the same faults in
-- binary input from a client (recv) are 22P03 (invalid_binary_representation).
--
-- Each row damages the stored bytes of a good value (the row "intact" reads
-- back unchanged), stores them in a table, and reads the value back.
-- pg_temp.bytes_of_TYPE and pg_temp.as_TYPE copy the bytes of a value as
-- they are stored, in either direction (byteasend, which copies any varlena).
SET client_min_messages = warning;
CREATE FUNCTION pg_temp.bytes_of_nps_state(mycc.nps_state) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.as_nps_state(bytea) RETURNS mycc.nps_state LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.bytes_of_csat_state(mycc.csat_state) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.as_csat_state(bytea) RETURNS mycc.csat_state LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.bytes_of_tagset(mycc.tagset) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.as_tagset(bytea) RETURNS mycc.tagset LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.bytes_of_tagquery(mycc.tagquery) RETURNS bytea LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';
CREATE FUNCTION pg_temp.as_tagquery(bytea) RETURNS mycc.tagquery LANGUAGE internal IMMUTABLE STRICT AS 'byteasend';

\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/value_or_error.sql

-- Stores good::type with its bytes b changed by damage (an expression in
-- b; offset 0 is the version byte, 1 the flags), then reads it back as text.
CREATE FUNCTION pg_temp.read_damaged(type text, good text, damage text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
BEGIN
	EXECUTE format('CREATE TEMP TABLE stored AS SELECT pg_temp.as_%1$s(%3$s) AS v
		FROM (SELECT pg_temp.bytes_of_%1$s(%2$L) AS b) AS good', type, good, damage);
	result := pg_temp.value_or_error(NULL, 'SELECT v::text FROM stored');
	DROP TABLE stored;
	RETURN result;
END
$$;

-- Damage every type can have, then each type's own.  (A byte more at the
-- end of a tagquery lies in its byte area, where no term reads it: the
-- query reads back unchanged.)
WITH types(t, type, good) AS (VALUES
	(1, 'nps_state', '(200,120,80)'), (2, 'csat_state', '(45,60,5)'), (3, 'tagset', '{a, bc}'), (4, 'tagquery', 'a & !bc')),
damages(t, d, what, damage) AS (
	SELECT t.t, c.d, c.what, c.damage
	FROM types AS t CROSS JOIN (VALUES
		(1, 'intact', 'b'),
		(2, 'version 99', 'set_byte(b, 0, 99)'),
		(3, 'flags', 'set_byte(b, 1, 1)'),
		(4, 'a byte short', 'substr(b, 1, length(b) - 1)'),
		(5, 'a byte more', 'b || ''\x00''::bytea')) AS c(d, what, damage)
	UNION ALL VALUES
	(1, 6, 'reserved', 'set_byte(b, 2, 1)'),
	(1, 7, 'negative count', 'overlay(b placing ''\xffffffffffffffff'' from 5 for 8)'),
	(2, 6, 'scale -1', 'overlay(b placing ''\xffff'' from 3 for 2)'),
	(2, 7, 'negative satisfied', 'overlay(b placing ''\xffffffffffffffff'' from 5 for 8)'),
	(3, 6, 'tag end past 255', 'overlay(b placing ''\xffffffff'' from 13 for 4)'),
	(4, 6, 'reserved', 'set_byte(b, 2, 1)'),
	(4, 7, 'item count -1', 'overlay(b placing ''\xffffffff'' from 5 for 4)'))
SELECT type, what, pg_temp.read_damaged(type, good, damage) AS read_back
FROM types JOIN damages USING (t)
ORDER BY t, d;

-- Binary input with the same faults is 22P03: a version byte and counts
-- that break the state's rules (the length is checked first; the tests of
-- tagset and tagquery give their recv faults).
SELECT type, what, pg_temp.recv_value(type, value) AS received
FROM (VALUES
	('mycc.nps_state'::regtype, 'good', '\x01000000000000000100000000000000020000000000000003'::bytea),
	('mycc.nps_state', 'version 2', '\x02000000000000000100000000000000020000000000000003'),
	('mycc.nps_state', 'negative count', '\x01ffffffffffffffff00000000000000020000000000000003'),
	('mycc.csat_state', 'good', '\x01000000000000000300000000000000040000000000000005'),
	('mycc.csat_state', 'version 2', '\x02000000000000000300000000000000040000000000000005'),
	('mycc.csat_state', 'satisfied above total', '\x01000000000000000500000000000000040000000000000005')
) AS v(type, what, value);
