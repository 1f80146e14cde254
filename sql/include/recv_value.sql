-- pg_temp.recv_value(type, bytes): loads one value of the type from its
-- binary form (the type's recv function) through COPY (FORMAT binary), from
-- a file it writes, and shows the value as text or the error with its
-- SQLSTATE and detail.  Shared by the tests of binary input: each includes
-- this file with \i from PG_ABS_SRCDIR; the function is temporary, so that
-- every test also runs alone.
CREATE FUNCTION pg_temp.recv_value(type regtype, value bytea) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
	path text := current_setting('data_directory') || '/mycc_recv.bin';
	lo oid;
	result text;
	detail text;
BEGIN
	lo := lo_from_bytea(0, '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
		|| '\x0001'::bytea || int4send(length(value)) || value || '\xffff'::bytea);
	PERFORM lo_export(lo, path);
	PERFORM lo_unlink(lo);
	EXECUTE format('CREATE TEMP TABLE recv_one (v %s)', type);
	BEGIN
		EXECUTE format('COPY recv_one FROM %L WITH (FORMAT binary)', path);
		SELECT v::text INTO result FROM recv_one;
	EXCEPTION WHEN OTHERS THEN
		GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
		result := 'ERROR ' || SQLSTATE || ': ' || SQLERRM || coalesce(' (' || nullif(detail, '') || ')', '');
	END;
	DROP TABLE recv_one;
	RETURN result;
END
$$;
