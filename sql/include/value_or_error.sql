-- Helpers of the tests that show a value or the error reading it, shared
-- through \i from PG_ABS_SRCDIR; the functions are temporary, so that
-- every test also runs alone.
--
-- pg_temp.value_or_error(setup, query): runs setup (a statement, or NULL),
-- then query, which gives one text value; returns that value, or the
-- error of either as "ERROR <SQLSTATE>: <message> (<detail>)".
CREATE FUNCTION pg_temp.value_or_error(setup text, query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	result text;
	detail text;
BEGIN
	IF setup IS NOT NULL THEN
		EXECUTE setup;
	END IF;
	EXECUTE query INTO result;
	RETURN result;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
	RETURN 'ERROR ' || SQLSTATE || ': ' || SQLERRM || coalesce(' (' || nullif(detail, '') || ')', '');
END
$$;

-- pg_temp.recv_value(type, bytes): loads one value of the type from its
-- binary form (the type's recv function) through COPY (FORMAT binary),
-- from a file it writes, and shows it as value_or_error does.
CREATE FUNCTION pg_temp.recv_value(type regtype, value bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/mycc_recv.bin';
	lo oid;
	result text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
		|| '\x0001'::bytea || int4send(length(value)) || value || '\xffff'::bytea);
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	EXECUTE format('CREATE TEMP TABLE recv_one (v %s)', type);
	result := pg_temp.value_or_error(format('COPY recv_one FROM %L WITH (FORMAT binary)', path),
		'SELECT v::text FROM recv_one');
	DROP TABLE recv_one;
	RETURN result;
END
$$;
