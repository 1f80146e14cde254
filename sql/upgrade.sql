-- Upgrades (design.md section 6): ALTER EXTENSION mycc UPDATE works from
-- every released version.  For each one (every install script but the
-- current version's: released/mycc--A.sql, installed beside it), in a
-- database of its own: CREATE EXTENSION mycc VERSION 'A', data in every
-- table through the API and in a user's table of every mycc type, ALTER
-- EXTENSION mycc UPDATE; then the data must be unchanged (a checksum per
-- table and sequence, over the columns version A had), A updated right
-- after its install must hold the rows and sequence positions a fresh
-- install seeds, and the catalog must
-- equal a fresh CREATE EXTENSION mycc of the current version, object by
-- object (upg.catalog below: definitions, columns, defaults, constraints,
-- indexes, triggers, operator classes, casts, privileges, initial
-- privileges, comments, dependencies, pg_dump's table list).  A release
-- adds nothing here: its frozen script joins the list of versions.
SET client_min_messages = warning;
DROP DATABASE IF EXISTS mycc_upgrade;
CREATE DATABASE mycc_upgrade;
\c mycc_upgrade
SET client_min_messages = warning;
-- Type and function names print qualified (mycc.tagset) in the snapshot.
SET search_path = pg_catalog;

-- The versions: the current one, and the released ones with the path
-- ALTER EXTENSION takes from each.
SELECT default_version FROM pg_available_extensions WHERE name = 'mycc';
SELECT v.version AS released, p.path
FROM pg_available_extension_versions AS v
JOIN pg_extension_update_paths('mycc') AS p ON p.source = v.version
	AND p.target = (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc')
WHERE v.name = 'mycc' AND v.version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc')
ORDER BY string_to_array(v.version, '.')::int[];

CREATE SCHEMA upg;

-- An ACL as text: sorted, with the default spelled out (NULL and an equal
-- explicit list are the same rights).
CREATE FUNCTION upg.acl(acl aclitem[], kind "char", owner oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog AS $$
	SELECT string_agg(format('%s>%s:%s%s', a.grantor::regrole,
			CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE a.grantee::regrole::text END,
			a.privilege_type, CASE WHEN a.is_grantable THEN '*' ELSE '' END), ' ' ORDER BY 1)
	FROM aclexplode(CASE WHEN kind = 'c' THEN acl ELSE coalesce(acl, acldefault(kind, owner)) END) AS a
$$;

-- Everything mycc installs, described by name (never by OID) as rows of
-- (object, aspect, detail): the extension's members and what belongs to
-- them (columns, defaults, constraints, indexes, triggers, rules, row and
-- array types, operator class members; toast tables and the triggers of
-- foreign keys aside).
CREATE VIEW upg.catalog AS
WITH RECURSIVE ext AS (
	SELECT e.oid FROM pg_extension AS e WHERE e.extname = 'mycc'
), closure(classid, objid) AS (
	SELECT d.classid, d.objid FROM pg_depend AS d, ext
	WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
	UNION
	SELECT d.classid, d.objid FROM pg_depend AS d JOIN closure AS c ON d.refclassid = c.classid AND d.refobjid = c.objid
	WHERE d.deptype IN ('a', 'i')
), o AS (
	SELECT c.classid, c.objid, pg_describe_object(c.classid, c.objid, 0) AS object
	FROM closure AS c, pg_identify_object(c.classid, c.objid, 0) AS i
	WHERE i.schema IS DISTINCT FROM 'pg_toast'
		AND NOT EXISTS (SELECT FROM pg_trigger AS t
			WHERE c.classid = 'pg_trigger'::regclass AND t.oid = c.objid AND t.tgisinternal)
), rows(object, aspect, detail) AS (
	-- The extension.
	SELECT 'extension mycc', 'version', e.extversion FROM pg_extension AS e, ext WHERE e.oid = ext.oid
	UNION ALL
	SELECT 'extension mycc', 'settings', format('owner %s schema %s relocatable %s', e.extowner::regrole,
		e.extnamespace::regnamespace, e.extrelocatable) FROM pg_extension AS e, ext WHERE e.oid = ext.oid
	UNION ALL
	SELECT 'extension mycc', 'dumped', format('%s %s', t.rel::regclass, t.cond)
	FROM pg_extension AS e, ext, unnest(e.extconfig, e.extcondition) AS t(rel, cond) WHERE e.oid = ext.oid
	UNION ALL
	-- Every object, members marked, and the comment of each (columns too).
	SELECT o.object, 'exists', CASE WHEN EXISTS (SELECT FROM pg_depend AS d, ext
		WHERE d.classid = o.classid AND d.objid = o.objid AND d.refobjid = ext.oid AND d.deptype = 'e')
		THEN 'member' ELSE 'belongs to a member' END
	FROM o
	UNION ALL
	SELECT pg_describe_object(d.classoid, d.objoid, d.objsubid), 'comment', d.description
	FROM pg_description AS d JOIN o ON o.classid = d.classoid AND o.objid = d.objoid
	UNION ALL
	-- What an object depends on (the functions a view calls, the type of
	-- a column, the function of an operator, ...).
	SELECT pg_describe_object(d.classid, d.objid, d.objsubid), 'depends on',
		format('%s (%s)', pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid), d.deptype)
	FROM pg_depend AS d JOIN o ON o.classid = d.classid AND o.objid = d.objid
	UNION ALL
	-- The privileges pg_dump treats as the extension's own.
	SELECT pg_describe_object(p.classoid, p.objoid, p.objsubid), 'initial privileges',
		format('%s %s', p.privtype, upg.acl(p.initprivs, 'c', 0))
	FROM pg_init_privs AS p JOIN o ON o.classid = p.classoid AND o.objid = p.objoid
	UNION ALL
	-- Functions, procedures and aggregates.
	SELECT o.object, 'definition', CASE WHEN p.prokind = 'a' THEN
			format('aggregate (%s) returns %s; %s %s strict %s', pg_get_function_arguments(p.oid),
				pg_get_function_result(p.oid), p.provolatile, p.proparallel, p.proisstrict)
		ELSE pg_get_functiondef(p.oid) END
	FROM o JOIN pg_proc AS p ON o.classid = 'pg_proc'::regclass AND p.oid = o.objid
	UNION ALL
	SELECT o.object, 'privileges', format('owner %s: %s', p.proowner::regrole, upg.acl(p.proacl, 'f', p.proowner))
	FROM o JOIN pg_proc AS p ON o.classid = 'pg_proc'::regclass AND p.oid = o.objid
	UNION ALL
	SELECT o.object, 'aggregate', format('kind %s direct %s trans %s final %s combine %s serial %s deserial %s '
			'mtrans %s minvtrans %s mfinal %s finalextra %s mfinalextra %s finalmodify %s mfinalmodify %s '
			'sortop %s transtype %s transspace %s mtranstype %s mtransspace %s initval %s minitval %s',
		a.aggkind, a.aggnumdirectargs, a.aggtransfn::oid::regprocedure, a.aggfinalfn::oid::regprocedure,
		a.aggcombinefn::oid::regprocedure, a.aggserialfn::oid::regprocedure, a.aggdeserialfn::oid::regprocedure,
		a.aggmtransfn::oid::regprocedure, a.aggminvtransfn::oid::regprocedure, a.aggmfinalfn::oid::regprocedure,
		a.aggfinalextra, a.aggmfinalextra, a.aggfinalmodify, a.aggmfinalmodify, a.aggsortop::regoperator,
		a.aggtranstype::regtype, a.aggtransspace, a.aggmtranstype::regtype, a.aggmtransspace,
		a.agginitval, a.aggminitval)
	FROM o JOIN pg_aggregate AS a ON o.classid = 'pg_proc'::regclass AND a.aggfnoid = o.objid
	UNION ALL
	-- Types: base, enum (labels in order), domain, composite, array.
	SELECT o.object, 'definition', format('type %s len %s byval %s category %s preferred %s delim %s relation %s '
			'element %s array %s in %s out %s recv %s send %s modin %s modout %s analyze %s subscript %s '
			'align %s storage %s notnull %s base %s typmod %s ndims %s collation %s default %s',
		t.typtype, t.typlen, t.typbyval, t.typcategory, t.typispreferred, t.typdelim, t.typrelid::regclass,
		t.typelem::regtype, t.typarray::regtype, t.typinput::oid::regprocedure, t.typoutput::oid::regprocedure,
		t.typreceive::oid::regprocedure, t.typsend::oid::regprocedure, t.typmodin::oid::regprocedure,
		t.typmodout::oid::regprocedure, t.typanalyze::oid::regprocedure, t.typsubscript::oid::regprocedure,
		t.typalign, t.typstorage, t.typnotnull, t.typbasetype::regtype, t.typtypmod, t.typndims,
		(SELECT collname FROM pg_collation WHERE oid = t.typcollation), t.typdefault)
	FROM o JOIN pg_type AS t ON o.classid = 'pg_type'::regclass AND t.oid = o.objid
	UNION ALL
	SELECT o.object, 'privileges', format('owner %s: %s', t.typowner::regrole, upg.acl(t.typacl, 'T', t.typowner))
	FROM o JOIN pg_type AS t ON o.classid = 'pg_type'::regclass AND t.oid = o.objid
	UNION ALL
	SELECT o.object, 'labels', string_agg(e.enumlabel, ', ' ORDER BY e.enumsortorder)
	FROM o JOIN pg_enum AS e ON o.classid = 'pg_type'::regclass AND e.enumtypid = o.objid
	GROUP BY o.object
	UNION ALL
	-- Relations: tables, views, sequences, indexes, composite types.
	SELECT o.object, 'definition', format('kind %s persistence %s am %s options %s rls %s force %s replident %s',
		c.relkind, c.relpersistence, (SELECT amname FROM pg_am WHERE oid = c.relam), c.reloptions,
		c.relrowsecurity, c.relforcerowsecurity, c.relreplident)
	FROM o JOIN pg_class AS c ON o.classid = 'pg_class'::regclass AND c.oid = o.objid
	UNION ALL
	SELECT o.object, 'privileges', format('owner %s: %s', c.relowner::regrole,
		upg.acl(c.relacl, CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
	FROM o JOIN pg_class AS c ON o.classid = 'pg_class'::regclass AND c.oid = o.objid
	UNION ALL
	SELECT o.object, 'view', pg_get_viewdef(c.oid)
	FROM o JOIN pg_class AS c ON o.classid = 'pg_class'::regclass AND c.oid = o.objid AND c.relkind IN ('v', 'm')
	UNION ALL
	SELECT o.object, 'index', format('%s; primary %s replident %s valid %s', pg_get_indexdef(i.indexrelid),
		i.indisprimary, i.indisreplident, i.indisvalid)
	FROM o JOIN pg_index AS i ON o.classid = 'pg_class'::regclass AND i.indexrelid = o.objid
	UNION ALL
	SELECT o.object, 'sequence', format('type %s start %s increment %s max %s min %s cache %s cycle %s',
		s.seqtypid::regtype, s.seqstart, s.seqincrement, s.seqmax, s.seqmin, s.seqcache, s.seqcycle)
	FROM o JOIN pg_sequence AS s ON o.classid = 'pg_class'::regclass AND s.seqrelid = o.objid
	UNION ALL
	-- Columns, in order (an upgrade adds a column at the end; so does the
	-- install script's part).  Recent minor releases keep an internal
	-- counter among a column's options (pg_attver): not a definition.
	SELECT pg_describe_object('pg_class'::regclass, a.attrelid, a.attnum), 'column',
		format('position %s type %s notnull %s identity %s generated %s collation %s storage %s '
				'statistics %s options %s privileges %s',
			row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum), format_type(a.atttypid, a.atttypmod),
			a.attnotnull, a.attidentity, a.attgenerated, (SELECT collname FROM pg_collation WHERE oid = a.attcollation),
			a.attstorage, a.attstattarget,
			ARRAY(SELECT x FROM unnest(a.attoptions) AS x WHERE x NOT LIKE 'pg\_attver=%' ORDER BY x), upg.acl(a.attacl, 'c', 0))
	FROM o JOIN pg_class AS c ON o.classid = 'pg_class'::regclass AND c.oid = o.objid AND c.relkind IN ('r', 'p', 'v', 'm', 'c', 'f')
	JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
	UNION ALL
	SELECT o.object, 'expression', pg_get_expr(d.adbin, d.adrelid)
	FROM o JOIN pg_attrdef AS d ON o.classid = 'pg_attrdef'::regclass AND d.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('%s; type %s deferrable %s deferred %s validated %s local %s noinherit %s',
		pg_get_constraintdef(k.oid), k.contype, k.condeferrable, k.condeferred, k.convalidated, k.conislocal,
		k.connoinherit)
	FROM o JOIN pg_constraint AS k ON o.classid = 'pg_constraint'::regclass AND k.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('%s; enabled %s', pg_get_triggerdef(t.oid), t.tgenabled)
	FROM o JOIN pg_trigger AS t ON o.classid = 'pg_trigger'::regclass AND t.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('%s; enabled %s', pg_get_ruledef(r.oid), r.ev_enabled)
	FROM o JOIN pg_rewrite AS r ON o.classid = 'pg_rewrite'::regclass AND r.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('event %s tags %s function %s enabled %s owner %s', v.evtevent,
		v.evttags, v.evtfoid::regprocedure, v.evtenabled, v.evtowner::regrole)
	FROM o JOIN pg_event_trigger AS v ON o.classid = 'pg_event_trigger'::regclass AND v.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('command %s permissive %s roles %s using %s check %s', p.polcmd,
		p.polpermissive, p.polroles::regrole[], pg_get_expr(p.polqual, p.polrelid), pg_get_expr(p.polwithcheck, p.polrelid))
	FROM o JOIN pg_policy AS p ON o.classid = 'pg_policy'::regclass AND p.oid = o.objid
	UNION ALL
	-- Operators, operator classes and families and their members, casts.
	SELECT o.object, 'definition', format('kind %s result %s commutator %s negator %s function %s restrict %s '
			'join %s merges %s hashes %s owner %s',
		p.oprkind, p.oprresult::regtype, p.oprcom::regoperator, p.oprnegate::regoperator,
		p.oprcode::oid::regprocedure, p.oprrest::oid::regprocedure, p.oprjoin::oid::regprocedure,
		p.oprcanmerge, p.oprcanhash, p.oprowner::regrole)
	FROM o JOIN pg_operator AS p ON o.classid = 'pg_operator'::regclass AND p.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('method %s type %s default %s family %s key %s owner %s',
		(SELECT amname FROM pg_am WHERE oid = c.opcmethod), c.opcintype::regtype, c.opcdefault,
		pg_describe_object('pg_opfamily'::regclass, c.opcfamily, 0), c.opckeytype::regtype, c.opcowner::regrole)
	FROM o JOIN pg_opclass AS c ON o.classid = 'pg_opclass'::regclass AND c.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('method %s owner %s', (SELECT amname FROM pg_am WHERE oid = f.opfmethod),
		f.opfowner::regrole)
	FROM o JOIN pg_opfamily AS f ON o.classid = 'pg_opfamily'::regclass AND f.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('purpose %s sortfamily %s', a.amoppurpose,
		pg_describe_object('pg_opfamily'::regclass, a.amopsortfamily, 0))
	FROM o JOIN pg_amop AS a ON o.classid = 'pg_amop'::regclass AND a.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('function %s', a.amproc::oid::regprocedure)
	FROM o JOIN pg_amproc AS a ON o.classid = 'pg_amproc'::regclass AND a.oid = o.objid
	UNION ALL
	SELECT o.object, 'definition', format('function %s context %s method %s', c.castfunc::regprocedure,
		c.castcontext, c.castmethod)
	FROM o JOIN pg_cast AS c ON o.classid = 'pg_cast'::regclass AND c.oid = o.objid
	UNION ALL
	-- Schemas.
	SELECT o.object, 'privileges', format('owner %s: %s', n.nspowner::regrole, upg.acl(n.nspacl, 'n', n.nspowner))
	FROM o JOIN pg_namespace AS n ON o.classid = 'pg_namespace'::regclass AND n.oid = o.objid
)
SELECT DISTINCT object, aspect, detail FROM rows;

-- The kinds of object upg.catalog describes; a member of any other kind
-- (a text search configuration, a collation, ...) is listed by the
-- unhandled query below until upg.catalog learns it.
CREATE TABLE upg.handled (catalog regclass PRIMARY KEY);
INSERT INTO upg.handled VALUES ('pg_proc'), ('pg_type'), ('pg_class'), ('pg_attrdef'), ('pg_constraint'),
	('pg_trigger'), ('pg_rewrite'), ('pg_policy'), ('pg_operator'), ('pg_opclass'), ('pg_opfamily'),
	('pg_amop'), ('pg_amproc'), ('pg_cast'), ('pg_namespace'), ('pg_event_trigger');

-- The statements that fill a database: every mycc table through the API
-- (tiers added, renamed and deleted; guards; identifiers resolved, linked,
-- refused and unmerged; queues, rules, agents; contacts enqueued, taken
-- and finished; survey answers; treatment rules), and a user's table with
-- a column of every mycc type and indexes on them.  They are written for
-- the oldest released version and run on each.
CREATE TABLE upg.fill (n serial PRIMARY KEY, sql text NOT NULL);
INSERT INTO upg.fill (sql) VALUES
	($$INSERT INTO mycc.tier (name, aliases, rank, service_mode, queue_priority, first_response_target, min_value)
		VALUES ('silver', '{银牌}', 25, 'instant', 40, '3 minutes', 500), ('bronze', '{}', 15, 'deferred', 10, '8 hours', 50)$$),
	($$UPDATE mycc.tier SET aliases = array_append(aliases, 'platinum'), queue_priority = 90 WHERE name = 'high'$$),
	($$DELETE FROM mycc.tier WHERE name = 'bronze'$$),
	($$UPDATE mycc.identity_limit SET max_per_customer = 4 WHERE kind = 'phone'$$),
	($$INSERT INTO mycc.identity_block (kind, value, reason) VALUES ('phone', mycc.normalize_identity('phone', '010 8888 8888'), 'front desk')$$),
	($$SELECT mycc.resolve('phone', '138 0013 8000', 'ivr')$$),
	($$SELECT mycc.resolve('email', ' Li.Lei@Example.com ', 'web')$$),
	($$SELECT mycc.resolve('qq', '10001', 'qq')$$),
	($$SELECT mycc.resolve('wechat', 'o6_wang', 'wechat')$$),
	($$SELECT mycc.resolve('phone', '010-8888-8888', 'front desk')$$),
	($$UPDATE mycc.customer SET name = '李雷', tier = 'high', tags = '{vip, region:北京}', lifetime_value = 5000 WHERE id = 1$$),
	($$UPDATE mycc.customer SET name = 'Li Lei', tier = 'silver', tags = '{literary, 90后}', lifetime_value = 600 WHERE id = 2$$),
	($$UPDATE mycc.customer SET name = '王芳', tier = '低付费', tags = '{complainer}', lifetime_value = 10 WHERE id = 3$$),
	($$SELECT mycc.link('phone', '13800138000', 'email', 'li.lei@example.com', 'agent verified')$$),
	($$SELECT mycc.link('phone', '010 8888 8888', 'qq', '10001', 'front desk')$$),
	($$SELECT mycc.link('qq', '10001', 'wechat', 'o6_wang', 'bad bind')$$),
	($$SELECT mycc.unmerge(max(id)) FROM mycc.customer_merge$$),
	($$INSERT INTO mycc.queue (name, required_skills, service_mode, target_answer, is_default)
		VALUES ('general', '{}', 'instant', '5 minutes', true), ('vip', '{vip_care}', 'dedicated', '1 minute', false)$$),
	($$INSERT INTO mycc.routing_rule (priority, condition, queue_id, note)
		SELECT 100, 'tier:high | vip', id, 'VIPs' FROM mycc.queue WHERE name = 'vip'$$),
	($$INSERT INTO mycc.routing_rule (priority, condition, queue_id, enabled)
		SELECT 5, 'channel:qq', id, false FROM mycc.queue WHERE name = 'general'$$),
	($$INSERT INTO mycc.agent (name, skills, capacity, status)
		VALUES ('Alice', '{vip_care, account_manager}', 2, 'available'), ('Bob', '{}', 1, 'available'), ('Chen', '{}', 1, 'offline')$$),
	($$SELECT mycc.assign_account_managers('high', 10)$$),
	($$INSERT INTO mycc.contact (customer_id, channel, identity_kind, identity_value, started_at, topic, case_ref, tags)
		SELECT i.customer_id, v.channel::mycc.channel, i.kind, i.value, v.started_at::timestamptz, v.topic, v.case_ref, v.tags::mycc.tagset
		FROM (VALUES (1, 'phone', '138 0013 8000', 'phone', '2026-11-02 09:00+00', 'booking', 'C-1', '{lang:zh}'),
			(2, 'email', 'li.lei@example.com', 'email', '2026-11-02 09:40+00', 'booking', 'C-1', '{}'),
			(3, 'qq', '10001', 'qq', '2026-11-02 10:00+00', 'refund', NULL, '{topic:refund}'),
			(4, 'wechat', 'o6_wang', 'wechat', '2026-11-03 10:00+00', NULL, NULL, '{}'),
			(5, 'phone', '010-8888-8888', 'phone', '2026-11-03 11:00+00', 'complaint', NULL, '{}'))
			AS v(n, kind, value, channel, started_at, topic, case_ref, tags)
		JOIN mycc.identity AS i ON i.kind = v.kind AND i.value = mycc.normalize_identity(v.kind, v.value)
		ORDER BY v.n$$),
	($$SELECT mycc.enqueue(id) FROM mycc.contact ORDER BY id$$),
	-- Agents' work written by hand (the C next_contact and finish of
	-- 0.2.0 ask a database not yet updated to update first): Bob took
	-- and finished contact 1, Alice holds contact 2; three wait.
	($$UPDATE mycc.contact SET status = 'finished', agent_id = (SELECT id FROM mycc.agent WHERE name = 'Bob'),
		assigned_at = started_at + interval '1 minute', ended_at = started_at + interval '9 minutes', outcome = 'resolved'
		WHERE id = 1$$),
	($$UPDATE mycc.contact SET status = 'assigned', agent_id = (SELECT id FROM mycc.agent WHERE name = 'Alice'),
		assigned_at = started_at + interval '2 minutes' WHERE id = 2$$),
	($$UPDATE mycc.agent SET active_contacts = 1, last_assigned_at = '2026-11-02 09:42+00' WHERE name = 'Alice'$$),
	($$UPDATE mycc.customer SET tags = mycc.tagset_add_tag(tags, 'detractor') WHERE id = 3$$),
	($$INSERT INTO mycc.survey (customer_id, contact_id, channel, tier, nps, csat, answered_at)
		SELECT k.customer_id, k.id, k.channel, c.tier, (k.id * 3 % 11)::int, (k.id % 5 + 1)::smallint, k.started_at + interval '1 hour'
		FROM mycc.contact AS k JOIN mycc.customer AS c ON c.id = k.customer_id$$),
	($$INSERT INTO mycc.survey (customer_id, channel, tier, nps, answered_at) VALUES (1, 'app', 'high', 10, '2026-11-04 08:00+00')$$),
	($$INSERT INTO mycc.treatment_rule (condition, treatment, priority)
		VALUES ('vip & !complainer', 'kraft-paper packaging', 10), ('literary | region:*', 'lavender bookmark', 5)$$),
	($$CREATE SCHEMA app$$),
	($$CREATE TABLE app.answer (id int PRIMARY KEY, score mycc.nps_score, class mycc.nps_class, answers mycc.nps_state,
		ratings mycc.csat_state, tier mycc.customer_tier, tags mycc.tagset, rule mycc.tagquery, channel mycc.channel,
		mode mycc.service_mode, status mycc.contact_status, agent mycc.agent_status)$$),
	($$INSERT INTO app.answer
		SELECT g, g % 11, mycc.nps_class(g % 11), mycc.nps_state(g, g % 7, g % 3), mycc.csat_state(g % 4, 4),
			(ARRAY['high', 'mid', 'silver', '银牌', 'free', '低付费'])[g % 6 + 1]::mycc.customer_tier,
			mycc.tagset(ARRAY['t' || g % 5, CASE WHEN g % 4 = 0 THEN 'vip' ELSE 'region:北京' END, 'sale ' || g % 3]),
			(ARRAY['vip & !t1', 'region:* | t2', '!(t3 & "sale 1")'])[g % 3 + 1]::mycc.tagquery,
			(enum_range(NULL::mycc.channel))[g % 11 + 1], (enum_range(NULL::mycc.service_mode))[g % 4 + 1],
			(enum_range(NULL::mycc.contact_status))[g % 5 + 1], (enum_range(NULL::mycc.agent_status))[g % 4 + 1]
		FROM generate_series(1, 300) AS g$$),
	($$CREATE INDEX answer_tags_idx ON app.answer USING gin (tags)$$),
	($$CREATE INDEX answer_tier_idx ON app.answer (tier)$$),
	($$CREATE INDEX answer_score_idx ON app.answer USING hash (score)$$),
	($$ANALYZE app.answer$$);

CREATE PROCEDURE upg.fill()
LANGUAGE plpgsql SET search_path = mycc, pg_catalog AS $$
DECLARE
	s record;
BEGIN
	FOR s IN SELECT * FROM upg.fill ORDER BY n LOOP
		EXECUTE s.sql;
	END LOOP;
END
$$;

-- Checksums of every table's rows (over the columns it has before the
-- update) and every sequence's position, mycc's and the user's.
CREATE TABLE upg.data (version text, relation text, columns text, rows bigint, before text, after text,
	PRIMARY KEY (version, relation));
CREATE FUNCTION upg.checksum(relation text, columns text, OUT rows bigint, OUT sum text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF columns IS NULL THEN
		EXECUTE format('SELECT 1, md5(ROW(last_value, is_called)::text) FROM %s', relation) INTO rows, sum;
	ELSE
		EXECUTE format('SELECT count(*), md5(coalesce(string_agg(r, E''\n'' ORDER BY r), '''')) '
			'FROM (SELECT ROW(%s)::text AS r FROM %s) AS s', columns, relation) INTO rows, sum;
	END IF;
END
$$;
-- The tables and sequences to checksum (mycc's, and the user's in app),
-- with their columns (NULL for a sequence).
-- A column the current version no longer has (mycc.contact.queue_key,
-- whose values moved to mycc.contact_queue) is left out: its data is
-- checked where it went (the waiting contacts' order, below).
CREATE FUNCTION upg.relations(OUT relation text, OUT columns text) RETURNS SETOF record
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	RETURN QUERY SELECT c.oid::regclass::text,
		(SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY a.attnum) FROM pg_attribute AS a
		 WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND c.relkind = 'r'
			AND (c.relnamespace = to_regnamespace('app') OR EXISTS (SELECT FROM upg.fresh AS f
				WHERE f.aspect = 'column' AND f.object = pg_describe_object('pg_class'::regclass, c.oid, a.attnum))))
	FROM pg_class AS c
	WHERE c.relkind IN ('r', 'S') AND (c.relnamespace = to_regnamespace('app')
		OR c.oid IN (SELECT d.objid FROM pg_depend AS d JOIN pg_extension AS e ON e.oid = d.refobjid
			WHERE e.extname = 'mycc' AND d.classid = 'pg_class'::regclass AND d.deptype = 'e'));
END
$$;
CREATE PROCEDURE upg.record_data(v text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	INSERT INTO upg.data (version, relation, columns) SELECT v, r.relation, r.columns FROM upg.relations() AS r;
	UPDATE upg.data AS d SET (rows, before) = (SELECT s.rows, s.sum FROM upg.checksum(d.relation, d.columns) AS s)
	WHERE d.version = v;
END
$$;
-- What an install puts in mycc's tables and sequences (seeded policy rows,
-- sequence positions), right after CREATE EXTENSION, or after the update
-- of a version just installed: an update must seed what a fresh install
-- seeds.
CREATE TABLE upg.seed (version text, relation text, rows bigint, sum text, PRIMARY KEY (version, relation));
CREATE PROCEDURE upg.record_seed(v text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	INSERT INTO upg.seed SELECT v, r.relation, s.rows, s.sum
	FROM upg.relations() AS r, upg.checksum(r.relation, r.columns) AS s;
END
$$;
CREATE PROCEDURE upg.check_data(v text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	UPDATE upg.data AS d SET after = (SELECT s.sum FROM upg.checksum(d.relation, d.columns) AS s)
	WHERE d.version = v;
END
$$;

-- The waiting contacts of each queue in the order agents take them,
-- before the update (mycc.contact's queue_key) and after it (the rows of
-- mycc.contact_queue): the update keeps every contact's place.
CREATE TABLE upg.waiting (version text, side text, queue_id bigint, place bigint, contact_id bigint);
CREATE PROCEDURE upg.record_waiting(v text, side text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	IF to_regclass('mycc.contact_queue') IS NULL THEN
		EXECUTE 'INSERT INTO upg.waiting SELECT $1, $2, k.queue_id, row_number() OVER (PARTITION BY k.queue_id ORDER BY k.queue_key, k.id), k.id '
			'FROM mycc.contact AS k WHERE k.status = ''queued''' USING v, side;
	ELSE
		EXECUTE 'INSERT INTO upg.waiting SELECT $1, $2, w.queue_id, row_number() OVER (PARTITION BY w.queue_id ORDER BY w.queue_key, w.contact_id), w.contact_id '
			'FROM mycc.contact_queue AS w' USING v, side;
	END IF;
END
$$;

-- The catalog after the update, against the fresh install's.
CREATE TABLE upg.difference (version text, side text, object text, aspect text, detail text);
CREATE TABLE upg.updated (version text PRIMARY KEY, reached text);
CREATE PROCEDURE upg.compare(v text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
	INSERT INTO upg.updated SELECT v, extversion FROM pg_extension WHERE extname = 'mycc';
	INSERT INTO upg.difference
	SELECT v, 'fresh only', f.* FROM (TABLE upg.fresh EXCEPT TABLE upg.catalog) AS f
	UNION ALL
	SELECT v, 'updated only', u.* FROM (TABLE upg.catalog EXCEPT TABLE upg.fresh) AS u;
END
$$;

-- The fresh install of the current version, described, and its seeded rows.
CREATE EXTENSION mycc;
CREATE TABLE upg.fresh AS TABLE upg.catalog;
CALL upg.record_seed('fresh');
SELECT aspect, count(*) > 0 AS described FROM upg.fresh GROUP BY aspect ORDER BY aspect;
SELECT DISTINCT d.classid::regclass AS unhandled
FROM pg_depend AS d JOIN pg_extension AS e ON e.oid = d.refobjid
WHERE e.extname = 'mycc' AND d.deptype = 'e' AND d.classid NOT IN (SELECT catalog FROM upg.handled);
-- Every member is described.
SELECT pg_describe_object(d.classid, d.objid, 0) AS undescribed
FROM pg_depend AS d JOIN pg_extension AS e ON e.oid = d.refobjid
WHERE e.extname = 'mycc' AND d.deptype = 'e'
	AND NOT EXISTS (SELECT FROM upg.fresh AS f WHERE f.object = pg_describe_object(d.classid, d.objid, 0) AND f.aspect = 'definition')
	AND d.classid <> 'pg_namespace'::regclass;

-- Each released version, oldest first: install and update at once (the
-- seeded rows); install again, fill, update, compare.
SELECT s.sql
FROM pg_available_extension_versions AS v,
	LATERAL (VALUES (1, 'DROP SCHEMA IF EXISTS app CASCADE'),
		(2, 'DROP EXTENSION mycc'),
		(3, format('CREATE EXTENSION mycc VERSION %L', v.version)),
		(4, 'ALTER EXTENSION mycc UPDATE'),
		(5, format('CALL upg.record_seed(%L)', v.version)),
		(6, 'DROP EXTENSION mycc'),
		(7, format('CREATE EXTENSION mycc VERSION %L', v.version)),
		(8, 'CALL upg.fill()'),
		(9, format('CALL upg.record_data(%L)', v.version)),
		(10, format('CALL upg.record_waiting(%L, %L)', v.version, 'before')),
		(11, 'ALTER EXTENSION mycc UPDATE'),
		(12, format('CALL upg.check_data(%L)', v.version)),
		(13, format('CALL upg.record_waiting(%L, %L)', v.version, 'after')),
		(14, format('CALL upg.compare(%L)', v.version))) AS s(n, sql)
WHERE v.name = 'mycc' AND v.version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc')
ORDER BY string_to_array(v.version, '.')::int[], s.n
\gexec

-- Every version reached the current one; its data, every table filled,
-- is unchanged; its catalog is the fresh install's.
SELECT u.version, u.reached = (SELECT default_version FROM pg_available_extensions WHERE name = 'mycc') AS reached_current,
	(SELECT bool_and(d.before = d.after) FROM upg.data AS d WHERE d.version = u.version) AS data_intact,
	(SELECT count(*) FROM upg.difference AS d WHERE d.version = u.version) AS catalog_differences
FROM upg.updated AS u ORDER BY string_to_array(u.version, '.')::int[];
SELECT version, relation, rows, before = after AS same FROM upg.data
WHERE before IS DISTINCT FROM after OR rows = 0 ORDER BY 1, 2;
SELECT version, side, object, aspect, detail FROM upg.difference ORDER BY 1, 3, 4, 2, 5;
-- Waiting contacts kept their places (and there were some).
SELECT version, count(*) FILTER (WHERE side = 'before') AS waiting,
	(SELECT count(*) FROM ((SELECT queue_id, place, contact_id FROM upg.waiting AS b WHERE b.version = w.version AND b.side = 'before'
		EXCEPT SELECT queue_id, place, contact_id FROM upg.waiting AS a WHERE a.version = w.version AND a.side = 'after')
		UNION ALL (SELECT queue_id, place, contact_id FROM upg.waiting AS a WHERE a.version = w.version AND a.side = 'after'
		EXCEPT SELECT queue_id, place, contact_id FROM upg.waiting AS b WHERE b.version = w.version AND b.side = 'before')) AS d) AS moved
FROM upg.waiting AS w GROUP BY version ORDER BY string_to_array(version, '.')::int[];
-- An update seeds what a fresh install seeds (policy rows, sequences).
SELECT count(*) > 0 AS seeds_recorded FROM upg.seed WHERE version = 'fresh';
SELECT v.version, f.relation, u.rows, f.rows AS fresh_rows
FROM (SELECT DISTINCT version FROM upg.seed WHERE version <> 'fresh') AS v
CROSS JOIN (SELECT * FROM upg.seed WHERE version = 'fresh') AS f
LEFT JOIN upg.seed AS u ON u.version = v.version AND u.relation = f.relation
WHERE u.sum IS DISTINCT FROM f.sum
ORDER BY 1, 2;

-- The updated extension at work on the data it kept.
SET search_path = pg_catalog, mycc;
SELECT (route('{vip}')).queue = (SELECT id FROM queue WHERE name = 'vip') AS vip_routed,
	(route('{channel:qq}')).rule IS NULL AS default_queue;
SELECT resolve('email', 'li.lei@example.com') = lookup('phone', '13800138000') AS merged_resolves,
	lookup('qq', '10001') <> lookup('wechat', 'o6_wang') AS unmerged,
	(SELECT count(*) FROM identity_conflict) AS conflicts;
INSERT INTO contact (customer_id, channel, topic) VALUES (3, 'sms', 'billing');
SELECT enqueue(max(id)) IS NOT NULL AS enqueued FROM contact;
SELECT next_contact(id) AS taken FROM agent WHERE name = 'Bob' \gset
SELECT status, agent_id = (SELECT id FROM agent WHERE name = 'Bob') AS by_bob FROM contact WHERE id = :taken;
SELECT finish(:taken, 'resolved');
SELECT status, outcome, (SELECT active_contacts FROM agent WHERE name = 'Bob') AS bob_busy FROM contact WHERE id = :taken;
SELECT nps(nps), nps_agg(nps), csat(csat::int) FROM survey;
SELECT nps(score), nps_merge(answers), csat_merge(ratings), min(tier), max(tier), count(*) FILTER (WHERE tags @@ rule) AS matching
FROM app.answer;
SELECT treatment, rule FROM treatments((SELECT tags FROM customer WHERE id = 1)) ORDER BY rule;
SELECT '银牌'::customer_tier AS alias, tier_for_value(600) AS by_value, name, rank FROM tier WHERE name = 'silver';
SELECT id, rank, name FROM tier_retired ORDER BY id;
-- The user's indexes on mycc types (GIN, btree, hash) are used and answer
-- as the table does.
\getenv abs_srcdir PG_ABS_SRCDIR
\i :abs_srcdir/sql/include/plan_has.sql
SET enable_seqscan = off;
SELECT pg_temp.plan_has($$SELECT FROM app.answer WHERE tags @> '{vip}'$$, 'Index') AS gin_contains,
	pg_temp.plan_has($$SELECT FROM app.answer WHERE tags @@ 'region:* & !t1'$$, 'Index') AS gin_query,
	pg_temp.plan_has($$SELECT FROM app.answer WHERE tier = 'silver'$$, 'Index') AS btree_tier,
	pg_temp.plan_has($$SELECT FROM app.answer WHERE score = '9'$$, 'Index') AS hash_score;
CREATE TEMP TABLE by_index AS
SELECT (SELECT count(*) FROM app.answer WHERE tags @> '{vip}') AS vip,
	(SELECT count(*) FROM app.answer WHERE tags @@ 'region:* & !t1') AS region,
	(SELECT count(*) FROM app.answer WHERE tier = 'silver') AS silver,
	(SELECT count(*) FROM app.answer WHERE score = '9') AS nines;
RESET enable_seqscan;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
SELECT vip, region, silver, nines,
	(SELECT count(*) FROM app.answer WHERE tags @> '{vip}') = vip AND
	(SELECT count(*) FROM app.answer WHERE tags @@ 'region:* & !t1') = region AND
	(SELECT count(*) FROM app.answer WHERE tier = 'silver') = silver AND
	(SELECT count(*) FROM app.answer WHERE score = '9') = nines AS same_without_index
FROM by_index;
RESET enable_indexscan;
RESET enable_bitmapscan;

-- Issue 15: a 0.2.0 database with the duplicate customers its rules made
-- is repaired by the update.  0.2.0's rules lived in its C library, which
-- this build replaces, so its rows are written as 0.2.0 wrote them, with
-- the check constraint (which calls today's code) set aside meanwhile:
-- "86 13800138000" was +868613800138000 beside 13800138000's
-- +8613800138000, "+86 0138 0013 8000" kept its trunk 0, e-mail domains
-- were lower-cased in ASCII only, U+3000 was kept around ids, 10086 was
-- a person's phone.
RESET search_path;
DROP SCHEMA app CASCADE;
DROP EXTENSION mycc;
CREATE EXTENSION mycc VERSION '0.2.0';
ALTER TABLE mycc.identity DROP CONSTRAINT identity_normalized;
INSERT INTO mycc.customer (name, tier, tags, lifetime_value, created_at)
SELECT v.name, v.tier::mycc.customer_tier, v.tags::mycc.tagset, v.value, '2026-01-01'::timestamptz + v.n * interval '1 day'
FROM (VALUES (1, 'Li Lei', 'high', '{vip}', 100), (2, 'Li Lei (86)', 'free', '{}', 7),
	(3, 'Li Lei (trunk 0)', 'mid', '{app}', 20), (4, 'Hans', 'free', '{}', 1), (5, 'Hans (Unicode)', 'free', '{de}', 2),
	(6, 'Wang', 'free', '{}', 3), (7, 'Wang (U+3000)', 'free', '{}', 4), (8, 'China Mobile', 'free', '{}', 0))
	AS v(n, name, tier, tags, value)
ORDER BY v.n;
INSERT INTO mycc.identity (kind, value, customer_id, source) VALUES
	('phone', '+8613800138000', 1, '13800138000'),
	('phone', '+868613800138000', 2, '86 13800138000'),
	('phone', '+86013800138000', 3, '+86 0138 0013 8000'),
	('email', 'user@xn--mnchen-3ya.de', 4, 'user@xn--mnchen-3ya.de'),
	('email', 'user@mÜnchen.de', 5, 'user@MÜNCHEN.de'),
	('wechat', 'o6_wang', 6, 'o6_wang'),
	('wechat', E'\u3000o6_wang\u3000', 7, E'\u3000o6_wang\u3000'),
	('phone', '+8610086', 8, '10086'),
	('email', '王芳@例子.中国', 8, '王芳@例子.中国');
ALTER TABLE mycc.identity ADD CONSTRAINT identity_normalized
	CHECK (mycc.normalize_identity(kind, value, '') OPERATOR(pg_catalog.=) value) NOT VALID;
SELECT count(*) AS customers, (SELECT count(*) FROM mycc.identity) AS identifiers FROM mycc.customer;
ALTER EXTENSION mycc UPDATE;
-- Every identifier is in today's normal form (the constraint validates);
-- the customers one identifier now names are one customer, merged by
-- link and logged with the reason; the rest is logged in identity_repair.
ALTER TABLE mycc.identity VALIDATE CONSTRAINT identity_normalized;
SELECT kind, value, customer_id FROM mycc.identity ORDER BY kind, value;
SELECT kind, value, new_value, customer_id, action, merge_id IS NOT NULL AS merged FROM mycc.identity_repair ORDER BY id;
SELECT survivor_id, absorbed_id, kind_a, value_a, kind_b, value_b, source FROM mycc.customer_merge ORDER BY id;
SELECT id, name, tier, tags, lifetime_value, mycc.customer_root(id) AS root FROM mycc.customer ORDER BY id;
SELECT mycc.resolve('phone', v) AS customer FROM unnest(ARRAY['86 13800138000', '13800138000', '+86 0138 0013 8000', '１３８００１３８０００']) AS v;
-- Nothing is left to repair.
SELECT count(*) AS still_to_repair FROM mycc.renormalize_identities();
-- The merges the update made are undone by unmerge, newest first: every
-- customer is back as it was.
SELECT mycc.unmerge(id) FROM mycc.customer_merge ORDER BY id DESC;
SELECT id, name, tier, tags, lifetime_value, mycc.customer_root(id) AS root FROM mycc.customer ORDER BY id;

-- Issue 20: 0.3.0 stores tagsets in a new form (version 2, with a
-- signature and fingerprints); a user's table of tagsets written by 0.2.0
-- keeps working across the update, its rows untouched.  This build's
-- library writes version 2 even under 0.2.0's script, so the rows are
-- written as 0.2.0 wrote them, in version 1 (sql/include/tagset_stored.sql),
-- with a GIN, a btree and a hash index on them.
DROP EXTENSION mycc CASCADE;
CREATE EXTENSION mycc VERSION '0.2.0';
\i :abs_srcdir/sql/include/tagset_stored.sql
SET search_path = pg_catalog, mycc;
CREATE SCHEMA app;
CREATE TABLE app.segment (id integer PRIMARY KEY, tags mycc.tagset NOT NULL);
INSERT INTO app.segment
SELECT g, pg_temp.tagset_v1(ARRAY(SELECT t FROM unnest(ARRAY['interest:' || g % 7, 'region:北京',
	CASE WHEN g % 4 = 0 THEN 'vip' ELSE 'new' END, CASE WHEN g % 5 = 0 THEN 'complainer' END]) AS t
	WHERE t IS NOT NULL ORDER BY t COLLATE "C"))::mycc.tagset
FROM generate_series(1, 200) AS g;
CREATE INDEX segment_gin ON app.segment USING gin (tags);
CREATE INDEX segment_btree ON app.segment USING btree (tags);
CREATE INDEX segment_hash ON app.segment USING hash (tags);
ANALYZE app.segment;
CREATE TEMP TABLE segment_before AS SELECT id, tags::text AS tags FROM app.segment;
SELECT count(*) AS rows, min(get_byte(tags::bytea, 0)) AS min_version, max(get_byte(tags::bytea, 0)) AS max_version
FROM app.segment;
ALTER EXTENSION mycc UPDATE;
-- The rows are still version 1 on disk, and read as they were written.
SELECT count(*) AS rows, max(get_byte(s.tags::bytea, 0)) AS stored_version,
	count(*) FILTER (WHERE s.tags::text = b.tags AND s.tags = b.tags::mycc.tagset) AS same_sets
FROM app.segment AS s JOIN segment_before AS b USING (id);
-- Each index answers as a sequential scan does, for version 2 values in
-- the query: GIN (@@, @>), btree (=, order), hash (=: the hash of a set
-- did not change).
CREATE TEMP TABLE segment_answers (how text, match bigint, contains bigint, equal bigint, equal_hash bigint, first_id integer);
CREATE PROCEDURE pg_temp.segment_answers(how text) LANGUAGE sql AS $$
	INSERT INTO segment_answers SELECT how,
		(SELECT count(*) FROM app.segment WHERE tags @@ 'interest:3 & !complainer & region:*'),
		(SELECT count(*) FROM app.segment WHERE tags @> '{interest:3, new}'),
		(SELECT count(*) FROM app.segment WHERE tags = '{complainer, interest:6, new, region:北京}'),
		(SELECT count(*) FROM app.segment WHERE tags = '{interest:0, region:北京, vip}'),
		(SELECT id FROM app.segment ORDER BY tags, id LIMIT 1)
$$;
SET enable_indexscan = off;
SET enable_bitmapscan = off;
CALL pg_temp.segment_answers('seq scan');
SET enable_seqscan = off;
SET enable_indexscan = on;
SELECT pg_temp.plan_has($$SELECT FROM app.segment ORDER BY tags LIMIT 1$$, 'segment_btree') AS btree_used;
CALL pg_temp.segment_answers('btree');
DROP INDEX app.segment_btree;
SELECT pg_temp.plan_has($$SELECT FROM app.segment WHERE tags = '{interest:0, region:北京, vip}'$$, 'segment_hash') AS hash_used;
CALL pg_temp.segment_answers('hash');
SET enable_indexscan = off;
SET enable_bitmapscan = on;
SELECT pg_temp.plan_has($$SELECT FROM app.segment WHERE tags @@ 'interest:3 & !complainer & region:*'$$, 'segment_gin') AS gin_used;
CALL pg_temp.segment_answers('GIN');
RESET enable_seqscan;
RESET enable_bitmapscan;
RESET enable_indexscan;
SELECT * FROM segment_answers ORDER BY how;
-- A value built after the update is version 2; so is a rewritten row.
UPDATE app.segment SET tags = tags || '{}'::tagset WHERE id <= 100;
SELECT get_byte(s.tags::bytea, 0) AS stored_version, count(*) AS rows,
	count(*) FILTER (WHERE s.tags::text = b.tags) AS same_sets
FROM app.segment AS s JOIN segment_before AS b USING (id) GROUP BY 1 ORDER BY 1;
SELECT count(*) AS found_by_hash FROM app.segment WHERE tags = '{interest:0, region:北京, vip}';

\c contrib_regression
SET client_min_messages = warning;
DROP DATABASE mycc_upgrade;
