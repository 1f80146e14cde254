-- The stored form of mycc.tagset as bytes, for the tests of that form
-- (tagset, upgrade): each includes this file with \i from PG_ABS_SRCDIR.
-- The casts between bytea and tagset relabel a value's bytes (the two
-- types have the same varlena representation and alignment), so a test
-- can show what is stored and store bytes that today's code would not
-- write: values in 0.2.0's form, damaged values.  They are not temporary:
-- the including test drops them (DROP CAST) or its database.  The
-- functions are temporary.  Byte order: little-endian, as on the
-- machines mycc is tested on (the stored form is the machine's).
CREATE CAST (bytea AS mycc.tagset) WITHOUT FUNCTION;
CREATE CAST (mycc.tagset AS bytea) WITHOUT FUNCTION;

-- The unsigned value v as n little-endian bytes.
CREATE FUNCTION pg_temp.le(v bigint, n integer) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT string_agg(set_byte('\x00'::bytea, 0, ((v >> (8 * i)) & 255)::integer), '' ORDER BY i)
	FROM generate_series(0, n - 1) AS i
$$;

-- mycc 0.2.0's stored form (version 1) of the tags as given (already
-- folded, sorted and distinct): version, flags, uint16 count, uint32 end
-- of each tag, the tags' bytes.
CREATE FUNCTION pg_temp.tagset_v1(tags text[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
	SELECT '\x0100'::bytea || pg_temp.le(cardinality(tags), 2)
		|| coalesce((SELECT string_agg(pg_temp.le(e, 4), '' ORDER BY n)
			FROM (SELECT n, sum(octet_length(convert_to(t, 'UTF8'))) OVER (ORDER BY n) AS e
				  FROM unnest(tags) WITH ORDINALITY AS u(t, n)) AS s), '')
		|| coalesce((SELECT string_agg(convert_to(t, 'UTF8'), '' ORDER BY n)
			FROM unnest(tags) WITH ORDINALITY AS u(t, n)), '')
$$;
