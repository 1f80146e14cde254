-- Hostile schema and catalog hygiene (design.md section 6).
--
-- Trojans in public (operators and functions shadowing the ones mycc's SQL
-- uses, with the same or closer argument types), temporary views named
-- like mycc's tables and temporary domains named like its types record it
-- if they ever run; then the extension is
-- re-created and every mycc function, aggregate, view and table is used
-- with valid arguments under the most hostile search_path (public before
-- pg_catalog, pg_temp first for relations); last, every released version
-- is installed, given rows and updated by ALTER EXTENSION mycc UPDATE
-- among the same trojans.  Nothing may be recorded.
--
-- How objects get called: sec_sample has one valid literal per type; every
-- member function whose argument types all have a sample is called
-- generically (aggregates over two rows, window functions OVER (), input
-- and output functions through a cast, binary receive functions through
-- COPY BINARY).  sec_call holds the statements for the rest (triggers,
-- tables, and functions whose arguments must be meaningful: identifier
-- kinds, ids of existing rows); a function a sec_call row names is not
-- called generically.  A new type joins with one sec_sample row; the
-- coverage query below lists any member function or table that nothing
-- called.
SET client_min_messages = warning;
-- The test's own statements run with pg_catalog only, so that the trojans
-- cannot catch them; the calls under test run with the hostile path
-- (public.sec_run).
SET search_path = pg_catalog, pg_temp;

-- The record: a sequence survives the rollback of a failed call, the table
-- says what ran, the WARNING shows it in the test's output.
CREATE SEQUENCE public.trojan_hits;
CREATE TABLE public.trojan_log (what text);
CREATE FUNCTION public.trojan(what text) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM pg_catalog.nextval('public.trojan_hits');
	INSERT INTO public.trojan_log VALUES (what);
	RAISE WARNING 'trojan executed: %', what;
	RETURN true;
END
$$;

-- A trojan returning NULL of any type once it has recorded its call.
CREATE FUNCTION public.make_trojan(fname text, args text, rettype text, label text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
	EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS %s LANGUAGE sql VOLATILE AS %L',
		fname, args, rettype,
		format('SELECT CASE WHEN public.trojan(%L) THEN NULL::%s END', label, rettype));
EXCEPTION WHEN duplicate_function THEN
	NULL;
END
$$;

-- Operators on core types, before CREATE EXTENSION: every comparison and
-- arithmetic operator on the types mycc's SQL compares, and cross-type
-- ones that are closer than pg_catalog's for mixed arguments.
DO $$
DECLARE
	t text[];
	op text;
	n int := 0;
BEGIN
	FOREACH t SLICE 1 IN ARRAY ARRAY[
		['text', 'text'], ['smallint', 'smallint'], ['integer', 'integer'], ['bigint', 'bigint'],
		['numeric', 'numeric'], ['double precision', 'double precision'], ['oid', 'oid'],
		['"char"', '"char"'], ['name', 'name'], ['boolean', 'boolean'], ['interval', 'interval'],
		['timestamp with time zone', 'timestamp with time zone'], ['regclass', 'regclass'],
		['text[]', 'text[]'], ['"char"[]', '"char"[]'],
		['integer', 'numeric'], ['numeric', 'integer'], ['smallint', 'integer'], ['integer', 'bigint'],
		['double precision', 'integer'], ['integer', 'double precision'], ['numeric', 'double precision'],
		['text', 'name'], ['name', 'text'], ['text', 'text[]'], ['smallint', 'numeric']]
	LOOP
		FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>=', '+', '-', '*', '/', '||']
		LOOP
			n := n + 1;
			PERFORM public.make_trojan(format('trojan_op_%s', n), t[1] || ', ' || t[2], 'boolean',
				format('operator %s(%s, %s)', op, t[1], t[2]));
			EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.%I)',
				op, t[1], t[2], format('trojan_op_%s', n));
		END LOOP;
	END LOOP;
END
$$;

-- Functions shadowing pg_catalog's that mycc's SQL calls, with closer
-- argument types for the literals and variables it passes.
SELECT count(*) AS function_trojans
FROM (VALUES
	('btrim', 'character varying, character varying', 'text'),
	('btrim', 'text, text', 'text'),
	('translate', 'character varying, text, text', 'text'),
	('nextval', 'text', 'bigint'),
	('setval', 'text, integer', 'bigint'),
	('now', '', 'timestamp with time zone'),
	('format', 'text, regclass, name', 'text'),
	('format', 'text, text, text', 'text'),
	('octet_length', 'character varying', 'integer'),
	('cardinality', 'text[]', 'integer'),
	('array_position', 'text[], text', 'integer'),
	('array_prepend', 'text, text[]', 'text[]'),
	('unnest', 'text[]', 'text'),
	('count', 'text', 'bigint'),
	('pg_advisory_xact_lock', 'oid', 'void'),
	('pg_advisory_xact_lock', 'integer', 'void'),
	('sqrt', 'integer', 'double precision'),
	('lower', 'character varying', 'text'),
	('starts_with', 'character varying, text', 'boolean'),
	('to_regnamespace', 'character varying', 'regnamespace'),
	('shobj_description', 'oid, text', 'text'),
	('quote_ident', 'character varying', 'text'),
	('string_agg', 'character varying, text', 'text'),
	('aclexplode', 'text[]', 'record'),
	('pg_extension_config_dump', 'text, text', 'void'),
	-- identity and routing
	('current_setting', 'text', 'text'),
	('set_config', 'text, text, boolean', 'text'),
	('array_remove', 'text[], text', 'text[]'),
	('date_part', 'text, interval', 'double precision'),
	('date_part', 'text, timestamp with time zone', 'double precision'),
	('generate_series', 'bigint, integer', 'bigint'),
	('string_agg', 'text, text', 'text')) AS f(name, args, rettype),
	LATERAL public.make_trojan(f.name, f.args, f.rettype, format('function %s(%s)', f.name, f.args)) AS made;

CREATE FUNCTION public.trojan_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	PERFORM public.trojan(TG_OP || ' on temporary ' || TG_TABLE_NAME);
	RETURN NULL;
END
$$;

-- Re-create the extension among the trojans, with a hostile search_path.
SET search_path = public, pg_catalog;
DROP EXTENSION mycc;
CREATE EXTENSION mycc;
SET search_path = pg_catalog, pg_temp;

-- Trojans on mycc's own types: a copy in public of every mycc operator and
-- function (same name, same arguments), and of every function with all
-- its arguments as text (closer for literals).  A prefix operator (# on
-- tagset) has no left argument: its trojan takes one argument and gets no
-- LEFTARG.  sec_trojan keeps the list, so that the update test at the end
-- plants them again among an older version's objects (this version's too,
-- where their types exist), with that version's own.
CREATE TABLE public.sec_trojan (n serial, kind text NOT NULL, name text NOT NULL, args text NOT NULL,
	l text, r text, res text NOT NULL, UNIQUE (kind, name, args));
CREATE FUNCTION public.sec_plant_trojans() RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	f record;
BEGIN
	INSERT INTO public.sec_trojan (kind, name, args, l, r, res)
	SELECT 'operator', o.oprname, concat_ws(', ', nullif(o.oprleft, 0)::regtype, o.oprright::regtype),
		nullif(o.oprleft, 0)::regtype::text, o.oprright::regtype::text, o.oprresult::regtype::text
	FROM pg_depend AS d JOIN pg_operator AS o ON d.classid = 'pg_operator'::regclass AND o.oid = d.objid
	WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	ORDER BY 2, 3
	ON CONFLICT DO NOTHING;
	INSERT INTO public.sec_trojan (kind, name, args, res)
	SELECT 'function', p.proname, a.args, p.prorettype::regtype::text
	FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid,
		LATERAL (VALUES (1, pg_get_function_identity_arguments(p.oid)),
			(2, (SELECT string_agg('text', ', ') FROM unnest(p.proargtypes) AS t))) AS a(n, args)
	WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
		AND p.prokind = 'f'
		AND NOT p.proargtypes::oid[] && ARRAY['internal', 'cstring']::regtype[]::oid[]
		AND p.prorettype NOT IN ('trigger'::regtype, 'event_trigger'::regtype, 'cstring'::regtype, 'record'::regtype)
		AND a.args IS NOT NULL
	ORDER BY 2, a.n, 3
	ON CONFLICT DO NOTHING;
	FOR f IN SELECT * FROM public.sec_trojan ORDER BY n LOOP
		BEGIN
			IF f.kind = 'function' THEN
				PERFORM public.make_trojan(f.name, f.args, f.res, format('function %s(%s)', f.name, f.args));
			ELSE
				PERFORM public.make_trojan(format('trojan_myop_%s', f.n), f.args, f.res,
					format('operator %s(%s, %s)', f.name, coalesce(f.l, 'NONE'), f.r));
				EXECUTE format('CREATE OPERATOR public.%s (%s RIGHTARG = %s, FUNCTION = public.%I)',
					f.name, 'LEFTARG = ' || f.l || ',', f.r, format('trojan_myop_%s', f.n));
			END IF;
		EXCEPTION WHEN undefined_object OR duplicate_function OR duplicate_object THEN
			NULL;	-- a type this version does not have, or planted already
		END;
	END LOOP;
END
$$;
DO $$ BEGIN PERFORM public.sec_plant_trojans(); END $$;

-- Temporary domains named like mycc's types: a cast to one records it.
DO $$
DECLARE
	t record;
BEGIN
	FOR t IN
		SELECT ty.typname FROM pg_depend AS d JOIN pg_type AS ty ON d.classid = 'pg_type'::regclass AND ty.oid = d.objid
		WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
			AND ty.typtype IN ('b', 'e', 'd', 'r', 'm')
		ORDER BY 1
	LOOP
		EXECUTE format('CREATE DOMAIN pg_temp.%I AS text CHECK (public.trojan(%L))', t.typname, 'temp type ' || t.typname);
	END LOOP;
END
$$;

-- Temporary views named like mycc's tables, views and sequences: reading
-- one or writing to one records it (their row types shadow mycc's too).
DO $$
DECLARE
	rel record;
BEGIN
	FOR rel IN
		SELECT c.relname FROM pg_depend AS d JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
		WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
		ORDER BY 1
	LOOP
		EXECUTE format('CREATE TEMP VIEW %I AS SELECT public.trojan(%L) AS trojan', rel.relname, 'temp view ' || rel.relname);
		EXECUTE format('CREATE TRIGGER trojan INSTEAD OF INSERT OR UPDATE OR DELETE ON pg_temp.%I FOR EACH ROW EXECUTE FUNCTION public.trojan_trigger()',
			rel.relname);
	END LOOP;
END
$$ ;

-- One valid literal per argument type.  A new type joins with one row.
CREATE TABLE public.sec_sample (type regtype PRIMARY KEY, literal text NOT NULL);
INSERT INTO public.sec_sample VALUES
	('mycc.nps_score', '9'),
	('mycc.nps_state', '(200,120,80)'),
	('mycc.csat_state', '(4,5,5)'),
	('mycc.customer_tier', 'mid'),
	('mycc.nps_class', 'promoter'),
	('mycc.service_mode', 'instant'),
	('mycc.channel', 'wechat'),
	('smallint', '5'),
	('integer', '5'),
	('bigint', '5'),
	('numeric', '9'),
	('double precision', '0.9'),
	('text', 'High'),
	('text[]', '{VIP, 北京}'),
	('mycc.tagset', '{vip, "sale 2024", region:北京}'),
	('mycc.tagquery', '(vip | region:*) & !churned'),
	('timestamp with time zone', '2026-11-02 09:00+00'),
	('interval', '2 hours');

-- Statements for what the generic calls cannot reach, and the objects each
-- one uses; expected is the SQLSTATE of a statement that must fail.  They
-- run under the hostile search_path too, so their own operators are
-- qualified (a user's unqualified "=" would find public's trojan first,
-- which is the user's affair, not mycc's; so would IS DISTINCT FROM, which
-- looks "=" up by name).
CREATE TABLE public.sec_call (n serial, objects text[] NOT NULL, sql text NOT NULL, expected text);
INSERT INTO public.sec_call (objects, sql, expected) VALUES
	('{table mycc.customer}',
	 $$INSERT INTO mycc.customer (name, lifetime_value) VALUES ('王芳', 300), ('李雷', 0)$$, NULL),
	('{table mycc.customer}',
	 $$UPDATE mycc.customer SET tier = mycc.tier_for_value(lifetime_value), lifetime_value = lifetime_value OPERATOR(pg_catalog.+) 1$$, NULL),
	('{table mycc.survey}',
	 $$INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat) SELECT id, 'wechat', tier, 9, 4 FROM mycc.customer$$, NULL),
	('{table mycc.tier,function mycc.tier_before_write(),function mycc.tier_invalidate(),function mycc.tier_publish(),"function mycc.publish_definitions(text,text,text,text)","function mycc.depend_on_extension(regprocedure,text)"}',
	 $$INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES (' silver ', '{银牌, argent}', 25, 'instant', '3 minutes')$$, NULL),
	('{function mycc.tier_before_write()}',
	 $$UPDATE mycc.tier SET queue_priority = queue_priority OPERATOR(pg_catalog.+) 1, aliases = aliases OPERATOR(pg_catalog.||) 'SILVER2'::text WHERE name OPERATOR(pg_catalog.=) 'silver'$$, NULL),
	('{function mycc.tier_before_write()}',
	 $$UPDATE mycc.tier SET rank = 26 WHERE name OPERATOR(pg_catalog.=) 'silver'$$, '55000'),
	('{function mycc.tier_before_write()}',
	 $$INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('ARGENT', 27, 'instant', '3 minutes')$$, '23505'),
	('{function mycc.channel_publish()}',
	 $$ALTER TYPE mycc.channel ADD VALUE 'sec_line' BEFORE 'sms'$$, NULL),
	('{function mycc.tier_before_delete()}',
	 $$DELETE FROM mycc.tier WHERE name OPERATOR(pg_catalog.=) 'mid'$$, '2BP01'),
	-- The JSON forms read back (docs/clients.md).
	('{"function mycc.tagset(jsonb)","function mycc.nps_state(jsonb)","function mycc.csat_state(jsonb)","function mycc.json_count(jsonb,text,text)"}',
	 $sql$DO $do$ BEGIN IF pg_catalog.concat('["vip", "sale 2024"]'::jsonb::mycc.tagset, mycc.nps_state(mycc.nps_jsonb('(1,2,3)')), mycc.csat_state(mycc.csat_jsonb('(1,2,5)'))) OPERATOR(pg_catalog.<>) '{"sale 2024", vip}(1,2,3)(1,2,5)' THEN RAISE EXCEPTION 'JSON forms'; END IF; END $do$$sql$, NULL),
	('{function mycc.tier_before_delete(),function mycc.tier_after_delete(),function mycc.tier_retired_before_insert()}',
	 $$DELETE FROM mycc.tier WHERE name OPERATOR(pg_catalog.=) 'silver'$$, NULL),
	('{function mycc.tier_retired_before_change()}',
	 $$UPDATE mycc.tier_retired SET name = 'x'$$, '0A000'),
	('{function mycc.tier_before_truncate()}',
	 $$TRUNCATE mycc.tier, mycc.customer, mycc.survey$$, '0A000'),
	-- Treatment rules: every write fires policy_invalidate, and the next
	-- treatments() reads the table again (its query runs with the caller's
	-- search_path).  Rows are left for the generic calls below.
	('{table mycc.treatment_rule,function mycc.policy_invalidate()}',
	 $$INSERT INTO mycc.treatment_rule (condition, treatment, priority) VALUES ('vip & !churned', 'kraft-paper packaging', 5), ('region:*', 'local courier', 1), ('!vip', 'standard', 0)$$, NULL),
	('{function mycc.treatments(mycc.tagset),function mycc.treatment_candidates(mycc.tagset)}',
	 $sql$DO $do$ BEGIN IF pg_catalog.concat((SELECT pg_catalog.string_agg(treatment, ',') FROM mycc.treatments('{vip, region:x}')), ' ', (SELECT matched FROM mycc.treatment_candidates('{vip, region:x}'))) OPERATOR(pg_catalog.<>) 'kraft-paper packaging,local courier 2' THEN RAISE EXCEPTION 'treatments'; END IF; END $do$$sql$, NULL),
	('{function mycc.policy_invalidate()}',
	 $$UPDATE mycc.treatment_rule SET priority = 6 WHERE treatment OPERATOR(pg_catalog.=) 'standard'; DELETE FROM mycc.treatment_rule WHERE treatment OPERATOR(pg_catalog.=) 'local courier'$$, NULL),
	('{function mycc.policy_invalidate()}',
	 $$TRUNCATE mycc.treatment_rule; INSERT INTO mycc.treatment_rule (condition, treatment) VALUES ('vip', 'kraft-paper packaging'), ('!vip', 'standard')$$, NULL),
	('{function mycc.treatments(mycc.tagset)}',
	 $sql$DO $do$ BEGIN IF pg_catalog.concat((SELECT pg_catalog.string_agg(treatment, ',') FROM mycc.treatments('{vip}'))) OPERATOR(pg_catalog.<>) 'kraft-paper packaging' THEN RAISE EXCEPTION 'treatments after TRUNCATE'; END IF; END $do$$sql$, NULL),
	-- A GIN index: the rows present at CREATE INDEX are searched with
	-- triConsistent, the rows inserted after it (in the pending list, as
	-- fastupdate is on) with consistent; a prefix term uses comparePartial.
	-- Every strategy, through the index only.
	('{"function mycc.tagset_gin_extract_value(mycc.tagset,internal,internal)"}',
	 $$CREATE TABLE public.sec_tags (id int, tags mycc.tagset); INSERT INTO public.sec_tags SELECT i, pg_catalog.format('{t%s, vip, region:r%s}', i, i OPERATOR(pg_catalog.%) 7)::mycc.tagset FROM pg_catalog.generate_series(1, 500) AS i; CREATE INDEX sec_tags_gin ON public.sec_tags USING gin (tags mycc.tagset_ops); INSERT INTO public.sec_tags SELECT i, pg_catalog.format('{t%s, region:r%s}', i, i OPERATOR(pg_catalog.%) 7)::mycc.tagset FROM pg_catalog.generate_series(501, 600) AS i$$, NULL),
	('{"function mycc.tagset_gin_extract_query(mycc.tagset,internal,smallint,internal,internal,internal,internal)","function mycc.tagset_gin_consistent(internal,smallint,mycc.tagset,integer,internal,internal,internal,internal)","function mycc.tagset_gin_tri_consistent(internal,smallint,mycc.tagset,integer,internal,internal,internal)","function mycc.tagset_gin_compare_partial(text,text,smallint,internal)"}',
	 $sql$DO $do$
	 DECLARE
		n bigint[];
	 BEGIN
		PERFORM pg_catalog.set_config('enable_seqscan', 'off', true);
		n := ARRAY[(SELECT pg_catalog.count(*) FROM public.sec_tags WHERE tags OPERATOR(mycc.&&) '{t1, t501}'),
			(SELECT pg_catalog.count(*) FROM public.sec_tags WHERE tags OPERATOR(mycc.@>) '{t2, vip}'),
			(SELECT pg_catalog.count(*) FROM public.sec_tags WHERE tags OPERATOR(mycc.<@) '{t3, vip, region:r3, t502, region:r5}'),
			(SELECT pg_catalog.count(*) FROM public.sec_tags WHERE tags OPERATOR(mycc.=) '{t502, region:r5}'),
			(SELECT pg_catalog.count(*) FROM public.sec_tags WHERE tags OPERATOR(mycc.@@) 'region:r1* & !vip'),
			(SELECT pg_catalog.count(*) FROM public.sec_tags WHERE tags OPERATOR(mycc.@@) 't4 | t503 | t7*')];
		PERFORM pg_catalog.set_config('enable_seqscan', 'on', true);
		IF n::text OPERATOR(pg_catalog.<>) '{2,1,2,1,14,13}' THEN
			RAISE EXCEPTION 'GIN counts %', n;
		END IF;
	 END $do$$sql$, NULL),
	('{function mycc.tagset_typanalyze(internal)}',
	 $$ANALYZE public.sec_tags$$, NULL),
	-- Identity: the guards (their trigger), normalisation of every kind of
	-- form, resolve and lookup, link with each guard refusing once, the
	-- contacts of merged customers as conversations and a timeline,
	-- connected components of the identity graph, unmerge.
	('{table mycc.identity_limit,table mycc.identity_block,function mycc.identity_guard_before_write()}',
	 $$INSERT INTO mycc.identity_block (kind, value, reason) VALUES ('phone', '+861088888888', 'front desk'); UPDATE mycc.identity_limit SET max_per_customer = 2 WHERE kind OPERATOR(pg_catalog.=) 'phone'; INSERT INTO mycc.identity_limit (kind, max_per_customer) VALUES ('weibo', 2)$$, NULL),
	('{"function mycc.normalize_identity(text,text)","function mycc.normalize_identity(text,text,text)"}',
	 $sql$DO $do$ BEGIN IF pg_catalog.concat_ws(' ', mycc.normalize_identity('phone', '138 0013 8000'), mycc.normalize_identity('email', ' Li.Lei@Example.COM '), mycc.normalize_identity('qq', '10001'), mycc.normalize_identity('wechat', ' o6_x '), mycc.normalize_identity('phone', '010 8888 8888', '86'), mycc.normalize_identity('phone', '+1 212 555 0100', '')) OPERATOR(pg_catalog.<>) '+8613800138000 li.lei@example.com 10001 o6_x +861088888888 +12125550100' THEN RAISE EXCEPTION 'normalize_identity'; END IF; END $do$$sql$, NULL),
	('{"function mycc.normalize_identity(text,text)"}',
	 $$SELECT mycc.normalize_identity('fax', '1')$$, '22023'),
	('{"function mycc.resolve(text,text,text)","function mycc.lookup(text,text)",table mycc.identity}',
	 $sql$DO $do$ DECLARE a bigint := mycc.resolve('phone', '138 0013 8000', 'ivr'); b bigint := mycc.resolve('email', 'Li.Lei@Example.com'); BEGIN IF a IS NULL OR b IS NULL OR a OPERATOR(pg_catalog.=) b OR mycc.resolve('phone', '+86 138-0013-8000') OPERATOR(pg_catalog.<>) a OR mycc.lookup('email', 'li.lei@example.com') OPERATOR(pg_catalog.<>) b OR mycc.lookup('qq', '99999') IS NOT NULL THEN RAISE EXCEPTION 'resolve'; END IF; END $do$$sql$, NULL),
	('{"function mycc.resolve(text,text,text)"}',
	 $$SELECT mycc.resolve('phone', 'call me')$$, '22023'),
	('{"function mycc.link(text,text,text,text,text)",table mycc.customer_merge,table mycc.identity_conflict}',
	 $sql$DO $do$ BEGIN
		IF (mycc.link('email', 'li.lei@example.com', 'phone', '13800138000', 'agent verified') OPERATOR(pg_catalog.=) mycc.lookup('phone', '13800138000')) IS NOT TRUE THEN RAISE EXCEPTION 'merge'; END IF;
		PERFORM mycc.link('qq', '10001', 'wechat', 'o6_LiLei', 'both new'), mycc.link('web', 'lilei88', 'qq', '10001', 'one new');
		IF mycc.link('phone', '010 8888 8888', 'email', 'guest@example.com') IS NOT NULL
			OR mycc.link('wechat_unionid', 'oU_1', 'wechat_unionid', 'oU_2') IS NOT NULL THEN RAISE EXCEPTION 'blocked or limit'; END IF;
		PERFORM pg_catalog.set_config('mycc.identity_max_per_customer', '3', true);
		IF mycc.link('store', 'card-77', 'qq', '10001') IS NOT NULL THEN RAISE EXCEPTION 'size'; END IF;
		PERFORM pg_catalog.set_config('mycc.identity_max_per_customer', '100', true);
		IF (SELECT pg_catalog.string_agg(x.reason, ',' ORDER BY x.id) FROM mycc.identity_conflict AS x) OPERATOR(pg_catalog.<>) 'blocked,limit,size' THEN RAISE EXCEPTION 'conflicts'; END IF;
		IF (mycc.link('qq', '10001', 'phone', '13800138000', 'same person') OPERATOR(pg_catalog.=) mycc.lookup('email', 'li.lei@example.com')) IS NOT TRUE THEN RAISE EXCEPTION 'second merge'; END IF;
	 END $do$$sql$, NULL),
	('{"function mycc.link(text,text,text,text,text)"}',
	 $$SELECT mycc.link('phone', '13800138000', 'email', NULL)$$, '22023'),
	('{table mycc.contact}',
	 $$INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, started_at, topic, case_ref, tags) SELECT i.customer_id, v.channel, i.kind, i.value, v.started, v.topic, v.case_ref, v.tags FROM mycc.identity AS i, (VALUES ('phone'::mycc.channel, '2026-11-02 09:00+00'::timestamptz, 'booking', 'B1', '{topic:booking}'::mycc.tagset), ('wechat', '2026-11-02 15:00+00', 'booking', 'B1', '{}'), ('email', '2026-11-03 09:00+00', 'refund', NULL, '{lang:en}')) AS v(channel, started, topic, case_ref, tags) WHERE i.value OPERATOR(pg_catalog.=) '+8613800138000' OR i.value OPERATOR(pg_catalog.=) '10001'$$, NULL),
	('{view mycc.conversation,"function mycc.timeline(bigint)","function mycc.session_id(timestamp with time zone,interval,text)","function mycc.conversation_gap()"}',
	 $sql$DO $do$ DECLARE c bigint := mycc.lookup('qq', '10001'); BEGIN IF ARRAY[(SELECT pg_catalog.count(*) FROM mycc.timeline(c)), (SELECT pg_catalog.max(t.conversation) FROM mycc.timeline(c) AS t), (SELECT pg_catalog.count(*) FROM mycc.conversation AS v WHERE v.customer_id OPERATOR(pg_catalog.=) c)] OPERATOR(pg_catalog.<>) '{6,2,2}'::bigint[] THEN RAISE EXCEPTION 'conversations'; END IF; END $do$$sql$, NULL),
	('{"function mycc.connected_components(text)"}',
	 $sql$DO $do$ BEGIN IF (SELECT pg_catalog.count(DISTINCT g.component) FROM mycc.connected_components('SELECT i.customer_id, mycc.customer_root(i.customer_id) FROM mycc.identity AS i') AS g) OPERATOR(pg_catalog.<>) (SELECT pg_catalog.count(*) FROM mycc.customer AS c WHERE c.merged_into IS NULL AND EXISTS (SELECT FROM mycc.identity AS i WHERE mycc.customer_root(i.customer_id) OPERATOR(pg_catalog.=) c.id)) THEN RAISE EXCEPTION 'components'; END IF; END $do$$sql$, NULL),
	('{"function mycc.connected_components(text)"}',
	 $$SELECT mycc.connected_components('SELECT 1')$$, '42804'),
	('{"function mycc.unmerge(bigint)"}',
	 $sql$DO $do$ DECLARE back bigint := mycc.unmerge((SELECT pg_catalog.max(m.id) FROM mycc.customer_merge AS m)); BEGIN IF back OPERATOR(pg_catalog.<>) mycc.lookup('qq', '10001') THEN RAISE EXCEPTION 'unmerge'; END IF; END $do$$sql$, NULL),
	('{"function mycc.unmerge(bigint)"}',
	 $$SELECT mycc.unmerge((SELECT pg_catalog.max(m.id) FROM mycc.customer_merge AS m))$$, '55000'),
	('{"function mycc.unmerge(bigint)"}',
	 $$SELECT mycc.unmerge(-1)$$, '42704'),
	-- The repair of identifiers stored under earlier rules, on a row as
	-- 0.2.0 wrote it (the check constraint set aside meanwhile).
	('{"function mycc.renormalize_identity(text,text)"}',
	 $sql$DO $do$ BEGIN IF pg_catalog.concat_ws(' ', mycc.renormalize_identity('phone', '+868613800138000'), mycc.renormalize_identity('email', 'a@MÜnchen.de')) OPERATOR(pg_catalog.<>) '+8613800138000 a@xn--mnchen-3ya.de' THEN RAISE EXCEPTION 'renormalize_identity'; END IF; END $do$$sql$, NULL),
	('{"function mycc.renormalize_identity(text,text)"}',
	 $$SELECT mycc.renormalize_identity('fax', '1')$$, '22023'),
	('{"function mycc.renormalize_identities(boolean)","function mycc.renormalize_apply()","function mycc.renormalize_merge(text,text,text,bigint)",table mycc.identity_repair}',
	 $sql$DO $do$ BEGIN
		ALTER TABLE mycc.identity DROP CONSTRAINT identity_normalized;
		INSERT INTO mycc.customer (name) VALUES ('86 13800138000');
		INSERT INTO mycc.identity (kind, value, customer_id) SELECT 'phone', '+868613800138000', pg_catalog.max(c.id) FROM mycc.customer AS c;
		IF (SELECT pg_catalog.count(*) FROM mycc.renormalize_identities()) OPERATOR(pg_catalog.<>) 1 THEN RAISE EXCEPTION 'preview'; END IF;
		IF NOT (SELECT pg_catalog.string_agg(r.action, ',') FROM mycc.renormalize_identities(true) AS r) OPERATOR(pg_catalog.=) ANY ('{merged,conflict}'::text[]) THEN RAISE EXCEPTION 'repair'; END IF;
		ALTER TABLE mycc.identity ADD CONSTRAINT identity_normalized CHECK (mycc.normalize_identity(kind, value, '') OPERATOR(pg_catalog.=) value);
		IF (SELECT r.new_value FROM mycc.identity_repair AS r) OPERATOR(pg_catalog.<>) '+8613800138000' THEN RAISE EXCEPTION 'repair log'; END IF;
	 END $do$$sql$, NULL),
	('{"function mycc.merge_take_back(bigint,bigint,numeric,mycc.tagset,mycc.customer_tier)"}',
	 $$SELECT mycc.merge_take_back(-1, -1, 0, '{}', 'free')$$, '42704'),
	-- Routing: queues, a rule, agents; route, enqueue, re-routing when the
	-- customer's tier and tags change, account managers, claiming and
	-- finishing, the service level, and a replay after a rule change.
	('{table mycc.queue,table mycc.routing_rule,table mycc.agent,function mycc.policy_invalidate()}',
	 $$INSERT INTO mycc.queue (name, required_skills, target_answer, is_default) VALUES ('general', '{}', '5 minutes', true), ('vip', '{vip}', '1 minute', false); INSERT INTO mycc.routing_rule (priority, condition, queue_id, note) SELECT 10, 'tier:high | vip', q.id, 'VIPs' FROM mycc.queue AS q WHERE q.name OPERATOR(pg_catalog.=) 'vip'; INSERT INTO mycc.agent (name, skills, capacity, status) VALUES ('小王', '{vip, account_manager}', 2, 'available'), ('Ann', '{}', 1, 'away')$$, NULL),
	('{"function mycc.route(mycc.tagset)"}',
	 $sql$DO $do$ BEGIN IF ((mycc.route('{vip, channel:phone}')).queue OPERATOR(pg_catalog.=) (SELECT q.id FROM mycc.queue AS q WHERE q.name OPERATOR(pg_catalog.=) 'vip')) IS NOT TRUE OR (mycc.route('{channel:phone}')).rule IS NOT NULL OR (mycc.route('{channel:phone}')).queue IS NULL THEN RAISE EXCEPTION 'route'; END IF; END $do$$sql$, NULL),
	('{"function mycc.enqueue(bigint)","function mycc.lock_contact(bigint)","function mycc.route_contact(mycc.contact,text)","function mycc.contact_facts(bigint,bigint)",table mycc.routing_decision,function mycc.contact_queue_sync()}',
	 $sql$DO $do$ BEGIN PERFORM mycc.enqueue(c.id) FROM mycc.contact AS c; IF EXISTS (SELECT FROM mycc.contact AS c WHERE c.status OPERATOR(pg_catalog.<>) 'queued' OR (c.queue_id OPERATOR(pg_catalog.=) (SELECT q.id FROM mycc.queue AS q WHERE q.is_default)) IS NOT TRUE) OR (SELECT pg_catalog.count(*) FROM mycc.routing_decision) OPERATOR(pg_catalog.<>) 6 THEN RAISE EXCEPTION 'enqueue'; END IF; END $do$$sql$, NULL),
	('{function mycc.contact_queue_drop(),function mycc.customer_queue_holds()}',
	 $sql$DO $do$ BEGIN BEGIN DELETE FROM mycc.customer AS c WHERE c.id OPERATOR(pg_catalog.=) (SELECT pg_catalog.max(x.id) FROM mycc.customer AS x); DELETE FROM mycc.contact AS c WHERE c.status OPERATOR(pg_catalog.=) 'queued'; IF EXISTS (SELECT FROM mycc.contact_queue) THEN RAISE EXCEPTION 'drop'; END IF; RAISE EXCEPTION USING ERRCODE = 'P0004'; EXCEPTION WHEN assert_failure THEN NULL; END; END $do$$sql$, NULL),
	('{"function mycc.enqueue(bigint)"}',
	 $$SELECT mycc.enqueue((SELECT pg_catalog.min(c.id) FROM mycc.contact AS c))$$, '55000'),
	('{"function mycc.enqueue(bigint)"}',
	 $$SELECT mycc.enqueue(-1)$$, '42704'),
	('{function mycc.queue_rekey()}',
	 $$UPDATE mycc.queue SET aging_weight = aging_weight OPERATOR(pg_catalog.+) 1$$, NULL),
	('{function mycc.queue_before_delete()}',
	 $$DELETE FROM mycc.queue AS q WHERE q.is_default$$, '2BP01'),
	('{function mycc.customer_reroute()}',
	 $sql$UPDATE mycc.customer SET tier = 'high', tags = tags OPERATOR(mycc.||) 'vip'::text WHERE id OPERATOR(pg_catalog.=) mycc.lookup('phone', '13800138000'); DO $do$ BEGIN IF (SELECT pg_catalog.count(*) FROM mycc.routing_decision AS d JOIN mycc.queue AS q ON q.id OPERATOR(pg_catalog.=) d.queue_id WHERE d.reason OPERATOR(pg_catalog.=) 'reroute' AND q.name OPERATOR(pg_catalog.=) 'vip') OPERATOR(pg_catalog.<>) 3 THEN RAISE EXCEPTION 'reroute'; END IF; END $do$$sql$, NULL),
	('{"function mycc.assign_account_managers(mycc.customer_tier,integer)"}',
	 $sql$DO $do$ BEGIN IF mycc.assign_account_managers('high', 10) OPERATOR(pg_catalog.<>) 1 THEN RAISE EXCEPTION 'account managers'; END IF; END $do$$sql$, NULL),
	('{function mycc.reference_check()}',
	 $$UPDATE mycc.customer SET account_manager = -1 WHERE id OPERATOR(pg_catalog.=) mycc.lookup('phone', '13800138000')$$, '23503'),
	('{function mycc.reference_release()}',
	 $$UPDATE mycc.agent SET id = -1 WHERE id OPERATOR(pg_catalog.=) ANY (ARRAY(SELECT c.account_manager FROM mycc.customer AS c))$$, '23503'),
	('{"function mycc.next_contact(bigint)","function mycc.finish(bigint,text)",view mycc.queue_service_level}',
	 $sql$DO $do$ DECLARE a bigint := (SELECT g.id FROM mycc.agent AS g WHERE g.name OPERATOR(pg_catalog.=) '小王'); k1 bigint; k2 bigint; BEGIN
		k1 := mycc.next_contact(a);
		k2 := mycc.next_contact(a);
		IF k1 IS NULL OR k2 IS NULL OR mycc.next_contact(a) IS NOT NULL THEN RAISE EXCEPTION 'next_contact'; END IF;
		PERFORM mycc.finish(k1, 'resolved'), mycc.finish(k2, 'callback');
		IF (SELECT pg_catalog.sum(s.answered) FROM mycc.queue_service_level AS s) OPERATOR(pg_catalog.<>) 2
			OR (SELECT g.active_contacts FROM mycc.agent AS g WHERE g.id OPERATOR(pg_catalog.=) a) OPERATOR(pg_catalog.<>) 0 THEN RAISE EXCEPTION 'finish'; END IF;
	 END $do$$sql$, NULL),
	('{"function mycc.next_contact(bigint)"}',
	 $$SELECT mycc.next_contact((SELECT g.id FROM mycc.agent AS g WHERE g.name OPERATOR(pg_catalog.=) 'Ann'))$$, '55000'),
	('{"function mycc.next_contact(bigint)"}',
	 $$SELECT mycc.next_contact(-1)$$, '42704'),
	('{"function mycc.distribute()"}',
	 $$SELECT mycc.distribute()$$, '55000'),
	('{"function mycc.distribute_published(regprocedure)"}',
	 $$SELECT mycc.distribute_published('mycc.nps_count(mycc.nps_state)'::pg_catalog.regprocedure)$$, NULL),
	('{"function mycc.finish(bigint,text)"}',
	 $$SELECT mycc.finish((SELECT pg_catalog.min(c.id) FROM mycc.contact AS c WHERE c.status OPERATOR(pg_catalog.=) 'finished'), 'again')$$, '55000'),
	('{"function mycc.route_replay(timestamp with time zone)"}',
	 $sql$UPDATE mycc.routing_rule SET enabled = false; DO $do$ BEGIN IF (SELECT pg_catalog.count(*) FROM mycc.route_replay('-infinity') AS r WHERE r.new_rule IS NULL AND r.old_rule IS NOT NULL) OPERATOR(pg_catalog.<>) 3 THEN RAISE EXCEPTION 'route_replay'; END IF; END $do$; UPDATE mycc.routing_rule SET enabled = true$sql$, NULL),
	('{"function mycc.tagset_sel(internal,oid,internal,integer)"}',
	 $$EXPLAIN SELECT FROM public.sec_tags WHERE tags OPERATOR(mycc.@>) '{vip}' AND tags OPERATOR(mycc.&&) '{t1}' AND '{t2}' OPERATOR(mycc.<@) tags AND tags OPERATOR(mycc.@@) 'vip & !region:*' AND 'vip'::mycc.tagquery OPERATOR(mycc.@@) tags$$, NULL);

-- Runs statements, returning NULL or the SQLSTATE and message of the error.
-- The statements run with the most hostile search_path: public before
-- pg_catalog, pg_temp (implicitly) first for relations.
CREATE FUNCTION public.sec_run(stmt text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	state text;
	msg text;
BEGIN
	PERFORM set_config('search_path', 'public, pg_catalog', true);
	EXECUTE stmt;
	RETURN NULL;
EXCEPTION WHEN OTHERS THEN
	GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
	RETURN state || ': ' || msg;
END
$$;

-- The generic statement that exercises a member function, or NULL.
CREATE FUNCTION public.sec_generic_call(fn regprocedure) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	p pg_proc;
	t record;
	args text[];
	cols text[];
	nargs int;
	file text := current_setting('data_directory') || '/mycc_security.bin';
BEGIN
	SELECT * INTO p FROM pg_proc WHERE oid = fn;
	-- Input, output and binary I/O of a type with a sample.
	SELECT ty.oid::regtype AS type, s.literal,
		ty.typinput = fn OR ty.typoutput = fn AS textio, ty.typreceive = fn AS recv
	INTO t
	FROM pg_type AS ty JOIN public.sec_sample AS s ON s.type = ty.oid
	WHERE fn IN (ty.typinput, ty.typoutput, ty.typreceive);
	IF FOUND AND t.textio THEN
		RETURN format('SELECT %L::%s::text', t.literal, t.type);
	ELSIF FOUND AND t.recv THEN
		RETURN format('DROP TABLE IF EXISTS public.sec_bin; CREATE TABLE public.sec_bin (v %1$s); '
			'COPY (SELECT %2$L::%1$s) TO %3$L (FORMAT binary); COPY public.sec_bin FROM %3$L (FORMAT binary); '
			'DO $do$ BEGIN IF NOT EXISTS (SELECT FROM public.sec_bin WHERE v::text OPERATOR(pg_catalog.=) %2$L::%1$s::text) '
			'THEN RAISE EXCEPTION ''binary round trip''; END IF; END $do$',
			t.type, t.literal, file);
	END IF;
	-- Any other function whose required arguments all have samples.
	nargs := p.pronargs - p.pronargdefaults;
	FOR i IN 0 .. nargs - 1 LOOP
		args := args || (SELECT format('%L::%s', s.literal, s.type) FROM public.sec_sample AS s WHERE s.type = p.proargtypes[i]);
		IF args[i + 1] IS NULL THEN
			RETURN NULL;
		END IF;
		cols := cols || ('a' || i);
	END LOOP;
	IF p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype) THEN
		RETURN NULL;
	ELSIF p.prokind = 'a' THEN
		RETURN format('SELECT %1$s(%2$s) FROM (VALUES (%3$s), (%3$s)) AS v(%2$s)', fn::regproc,
			array_to_string(cols, ', '), array_to_string(args, ', '));
	ELSIF p.prokind = 'w' THEN
		RETURN format('SELECT %1$s(%2$s) OVER () FROM (VALUES (%3$s), (%3$s)) AS v(%2$s)', fn::regproc,
			array_to_string(cols, ', '), array_to_string(args, ', '));
	END IF;
	RETURN format('SELECT %s(%s)', fn::regproc, array_to_string(args, ', '));
END
$$;

-- Every member function and table, what exercised it, and how it went.
CREATE TABLE public.sec_done (object text, sql text, error text);
DO $$
DECLARE
	c record;
	err text;
	stmt text;
BEGIN
	FOR c IN SELECT * FROM public.sec_call ORDER BY n LOOP
		err := public.sec_run(c.sql);
		IF c.expected IS NOT NULL AND err LIKE c.expected || ':%' THEN
			err := NULL;
		ELSIF c.expected IS NOT NULL AND err IS NULL THEN
			err := 'succeeded, expected ' || c.expected;
		END IF;
		INSERT INTO public.sec_done SELECT o, c.sql, err FROM unnest(c.objects) AS o;
	END LOOP;
	FOR c IN
		SELECT d.objid::regprocedure AS fn, pg_describe_object(d.classid, d.objid, 0) AS object
		FROM pg_depend AS d
		WHERE d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
			AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc')
		ORDER BY 2
	LOOP
		stmt := public.sec_generic_call(c.fn);
		IF stmt IS NOT NULL AND NOT EXISTS (SELECT FROM public.sec_done AS d WHERE d.object = c.object) THEN
			INSERT INTO public.sec_done VALUES (c.object, stmt, public.sec_run(stmt));
		END IF;
	END LOOP;
	FOR c IN
		SELECT d.objid::regclass AS rel, pg_describe_object(d.classid, d.objid, 0) AS object
		FROM pg_depend AS d JOIN pg_class AS r ON d.classid = 'pg_class'::regclass AND r.oid = d.objid
		WHERE d.deptype = 'e' AND r.relkind IN ('r', 'v', 'm', 'p')
			AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc')
		ORDER BY 2
	LOOP
		INSERT INTO public.sec_done
		VALUES (c.object, 'SELECT * FROM ' || c.rel, public.sec_run(format('SELECT count(*) FROM (SELECT * FROM %s) AS r', c.rel)));
	END LOOP;
END
$$;

-- Nothing failed, everything was exercised, no trojan ran.
SELECT object, sql, error FROM public.sec_done WHERE error IS NOT NULL ORDER BY 1, 2;
SELECT pg_describe_object(d.classid, d.objid, 0) AS not_exercised
FROM pg_depend AS d LEFT JOIN pg_class AS r ON d.classid = 'pg_class'::regclass AND r.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND (d.classid = 'pg_proc'::regclass OR r.relkind IN ('r', 'v', 'm', 'p'))
	AND pg_describe_object(d.classid, d.objid, 0) NOT IN (SELECT object FROM public.sec_done)
ORDER BY 1;
SELECT count(DISTINCT object) > 50 AS many_exercised FROM public.sec_done;
SELECT is_called AS any_trojan_ran FROM public.trojan_hits;
SELECT what FROM public.trojan_log ORDER BY 1;

-- Catalog hygiene.  Every SQL and PL/pgSQL function pins its search_path,
-- but a SQL function whose body is parsed when it is created (RETURN or
-- BEGIN ATOMIC: prosqlbody) resolves no name when it runs, and goes
-- without: the setting adds no safety there, and keeps the planner from
-- inlining the function.  (The three functions of routing's hot path,
-- contact_by_id, next_contact and finish, are C running SQL through SPI
-- with the caller's search_path, as C functions do: a SET would cost every
-- call a GUC nest level.  Every name of their statements is qualified and
-- they use no construct that looks an operator up by name: they ran above
-- under the hostile search_path, and no trojan caught them.)
SELECT p.oid::regprocedure AS unpinned
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
JOIN pg_language AS l ON l.oid = p.prolang
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND l.lanname NOT IN ('c', 'internal')
	AND NOT coalesce(p.proconfig @> '{"search_path=pg_catalog, pg_temp"}', false)
	AND p.prosqlbody IS NULL
ORDER BY 1;
-- Those that go without, listed.
SELECT p.oid::regprocedure AS unpinned_sql_body
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND p.prosqlbody IS NOT NULL AND p.proconfig IS NULL
ORDER BY 1;
-- None with such a body pins one.
SELECT p.oid::regprocedure AS pinned_sql_body
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND p.prosqlbody IS NOT NULL AND p.proconfig IS NOT NULL
ORDER BY 1;
-- So the planner can inline them: a call of effective_priority becomes its
-- expression in the caller's plan.  (contact_facts and account_manager_of,
-- whose bodies are scalar subqueries, and queue_key, IMMUTABLE around the
-- STABLE date_part of a timestamptz, are not inlined; without a SET they
-- are spared a save and restore of the setting at every call.)
EXPLAIN (VERBOSE, COSTS OFF)
SELECT mycc.effective_priority(i, pg_catalog.now() - i * interval '1 s', '5 min', 2, pg_catalog.now())
FROM pg_catalog.generate_series(1, 10) AS i;

-- No member object lives outside schema mycc.
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS outside_mycc, o.schema
FROM pg_depend AS d, LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) AS o
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND o.schema IS DISTINCT FROM 'mycc' AND o.schema IS NOT NULL
ORDER BY 1;

-- No SECURITY DEFINER function is executable by PUBLIC; none lacks a pinned
-- search_path (C functions included).
SELECT p.oid::regprocedure AS definer_open_to_public
FROM pg_depend AS d JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND p.prosecdef
	AND (has_function_privilege('public', p.oid, 'EXECUTE')
		OR NOT coalesce(p.proconfig @> '{"search_path=pg_catalog, pg_temp"}', false))
ORDER BY 1;

-- Tables, views and sequences grant nothing to PUBLIC; the schema grants
-- PUBLIC only USAGE, and a superuser owns it.
SELECT c.oid::regclass AS open_to_public, c.relkind
FROM pg_depend AS d JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'mycc') AND d.deptype = 'e'
	AND EXISTS (SELECT FROM aclexplode(c.relacl) AS a WHERE a.grantee = 0)
ORDER BY 1;
SELECT a.privilege_type, r.rolsuper AS owner_is_superuser
FROM pg_namespace AS n JOIN pg_roles AS r ON r.oid = n.nspowner, aclexplode(n.nspacl) AS a
WHERE n.nspname = 'mycc' AND a.grantee = 0;

-- ALTER EXTENSION mycc UPDATE among the trojans, from every released
-- version (the upgrade test lists them): the version is installed with the
-- safe search_path (its script is frozen), the trojans on mycc's types are
-- planted again (its objects' and this version's where their types
-- exist; the others and the temporary views and domains are still there),
-- a few rows go into its tables, and the update runs under the hostile
-- search_path.  Nothing may be recorded.
CREATE TABLE public.sec_update_call (n serial, sql text NOT NULL);
INSERT INTO public.sec_update_call (sql) VALUES
	($$INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target) VALUES ('silver', '{银牌}', 25, 'instant', '3 minutes')$$),
	($$SELECT mycc.resolve('phone', '138 0013 8000', 'ivr'), mycc.resolve('email', 'li.lei@example.com', 'web'), mycc.resolve('qq', '10001')$$),
	($$SELECT mycc.link('phone', '13800138000', 'email', 'li.lei@example.com', 'agent verified')$$),
	($$UPDATE mycc.customer SET tier = 'silver', tags = '{vip, region:北京}', lifetime_value = 600$$),
	($$INSERT INTO mycc.treatment_rule (condition, treatment) VALUES ('vip & !churned', 'kraft-paper packaging')$$),
	($$INSERT INTO mycc.queue (name, is_default) VALUES ('general', true); INSERT INTO mycc.routing_rule (condition, queue_id) SELECT 'vip', q.id FROM mycc.queue AS q; INSERT INTO mycc.agent (name, skills, capacity, status) VALUES ('小王', '{vip}', 2, 'available')$$),
	($$INSERT INTO mycc.contact (customer_id, channel, topic) SELECT c.id, 'phone', 'booking' FROM mycc.customer AS c; SELECT mycc.enqueue(k.id) FROM mycc.contact AS k$$),
	($$UPDATE mycc.contact SET status = 'assigned', agent_id = (SELECT g.id FROM mycc.agent AS g), assigned_at = pg_catalog.now() WHERE id OPERATOR(pg_catalog.=) (SELECT pg_catalog.min(k.id) FROM mycc.contact AS k)$$),
	($$INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat) SELECT c.id, 'phone', c.tier, 9, 5 FROM mycc.customer AS c$$);
CREATE TABLE public.sec_update (version text, step text, error text);
CREATE FUNCTION public.sec_fill(version text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	c record;
BEGIN
	FOR c IN SELECT * FROM public.sec_update_call ORDER BY n LOOP
		INSERT INTO public.sec_update VALUES (version, c.sql, public.sec_run(c.sql));
	END LOOP;
END
$$;
SELECT s.sql
FROM pg_available_extension_versions AS v,
	LATERAL (VALUES (1, 'DROP EXTENSION mycc CASCADE'),
		(2, format('CREATE EXTENSION mycc VERSION %L', v.version)),
		(3, 'DO $do$ BEGIN PERFORM public.sec_plant_trojans(); END $do$'),
		(4, format('DO $do$ BEGIN PERFORM public.sec_fill(%L); END $do$', v.version)),
		(5, format($f$INSERT INTO public.sec_update SELECT %L, 'trojans on mycc types', count(*) FILTER (WHERE p.proargtypes::oid[] && t.types) || ' functions' FROM pg_proc AS p, (SELECT array_agg(oid) FROM pg_type WHERE typnamespace = 'mycc'::regnamespace) AS t(types) WHERE p.pronamespace = 'public'::regnamespace AND p.prosrc LIKE '%%public.trojan(%%'$f$, v.version)),
		(6, format($f$INSERT INTO public.sec_update VALUES (%L, 'ALTER EXTENSION mycc UPDATE', public.sec_run('ALTER EXTENSION mycc UPDATE'))$f$, v.version)),
		(7, format($f$INSERT INTO public.sec_update SELECT %L, 'version', extversion FROM pg_extension WHERE extname = 'mycc'$f$, v.version))) AS s(n, sql)
WHERE v.name = 'mycc' AND v.version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc')
ORDER BY string_to_array(v.version, '.')::int[], s.n
\gexec
-- No statement failed; the trojans were in place; the update reached
-- the current version; no trojan ran.
SELECT version, step, error FROM public.sec_update
WHERE error IS NOT NULL AND step NOT IN ('trojans on mycc types', 'version') ORDER BY 1, 2;
SELECT version, error ~ '^[1-9][0-9]{2,} functions$' AS many_trojans_on_mycc_types FROM public.sec_update
WHERE step = 'trojans on mycc types' ORDER BY 1;
SELECT version, error = (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc') AS updated
FROM public.sec_update WHERE step = 'version' ORDER BY 1;
SELECT is_called AS any_trojan_ran FROM public.trojan_hits;
SELECT what FROM public.trojan_log ORDER BY 1;

-- Trojans out of the way before the schema tests.
DO $$
DECLARE
	f regprocedure;
BEGIN
	FOR f IN SELECT p.oid FROM pg_proc AS p
		WHERE p.pronamespace = 'public'::regnamespace AND p.prosrc LIKE '%public.trojan(%'
	LOOP
		EXECUTE format('DROP FUNCTION %s CASCADE', f);
	END LOOP;
END
$$;
DROP FUNCTION public.trojan(text) CASCADE;
DROP FUNCTION public.sec_run(text), public.sec_generic_call(regprocedure), public.sec_plant_trojans(), public.sec_fill(text);
DROP TABLE IF EXISTS public.trojan_log, public.sec_sample, public.sec_call, public.sec_done, public.sec_bin, public.sec_tags,
	public.sec_trojan, public.sec_update_call, public.sec_update;
DROP SEQUENCE public.trojan_hits;
SELECT count(*) AS left_in_public FROM pg_proc WHERE pronamespace = 'public'::regnamespace;
SELECT count(*) AS operators_left_in_public FROM pg_operator WHERE oprnamespace = 'public'::regnamespace;
RESET search_path;

-- A schema mycc that exists before CREATE EXTENSION is used only if a
-- superuser owns it, it is empty and nobody else may create objects in it:
-- otherwise its owner could plant a closer overload (here tier_for_value
-- (integer), which mycc.customer's column default would bind to).
SET client_min_messages = error;
CREATE ROLE regress_mycc_evil;
DROP EXTENSION mycc;
DROP SCHEMA mycc;
CREATE SCHEMA mycc AUTHORIZATION regress_mycc_evil;
SET ROLE regress_mycc_evil;
CREATE FUNCTION mycc.tier_for_value(integer) RETURNS integer LANGUAGE sql AS 'SELECT 1';
RESET ROLE;
\set VERBOSITY terse
CREATE EXTENSION mycc;
ALTER SCHEMA mycc OWNER TO CURRENT_USER;
CREATE EXTENSION mycc;
DROP FUNCTION mycc.tier_for_value(integer);
GRANT CREATE ON SCHEMA mycc TO regress_mycc_evil;
CREATE EXTENSION mycc;
REVOKE CREATE ON SCHEMA mycc FROM regress_mycc_evil;
CREATE EXTENSION mycc;
\set VERBOSITY default
SELECT extname FROM pg_extension WHERE extname = 'mycc';
DROP ROLE regress_mycc_evil;
