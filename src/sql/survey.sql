
-- ---------------------------------------------------------------------------
-- survey: satisfaction answers, the business day (mycc.time_zone) and the
-- nps_daily and csat_daily BI views
-- (design.md sections 1 and 4; the identity capability links surveys to
-- contacts and customers)
-- ---------------------------------------------------------------------------

CREATE TYPE @extschema@.channel AS ENUM (
	'phone', 'sms', 'email', 'wechat', 'qq', 'weibo', 'app', 'web', 'in_game', 'store', 'video'
);
COMMENT ON TYPE @extschema@.channel IS 'a contact channel; DBAs may add values with ALTER TYPE ... ADD VALUE';

-- Channels published in the schema, for restores (docs/reference.md, mycc.channel).
-- PostgreSQL does not dump the values added to an extension's enum, and a
-- user table holding one came back empty.  So every ALTER TYPE of
-- mycc.channel publishes its labels, in order, as the SQL function
-- mycc.channel_definitions() (not a member of the extension: pg_dump
-- writes it, after CREATE EXTENSION and before any data), and when a
-- restore creates that function this event trigger adds the labels the
-- freshly created type lacks, each after its predecessor, before any data
-- is read.  (A restore in one transaction, pg_restore --single-transaction,
-- cannot use enum values added in it: restore such a dump without it.)
CREATE FUNCTION @extschema@.channel_publish() RETURNS event_trigger
	LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
	description constant text := 'the labels of mycc.channel in order, published by the channel_publish event trigger so that a restore adds the ones added after install before any data (not a member of the extension: pg_dump writes it)';
	cmd record;
	previous text;
	label text;
BEGIN
	FOR cmd IN SELECT * FROM pg_catalog.pg_event_trigger_ddl_commands() LOOP
		IF cmd.command_tag OPERATOR(pg_catalog.=) 'ALTER TYPE'
				AND cmd.objid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype THEN
			PERFORM @extschema@.publish_definitions('channel_definitions', 'text[]',
				ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum AS e
					WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
					ORDER BY e.enumsortorder)::text,
				description);
			-- Citus propagates neither an extension's ALTER TYPE nor DDL run
			-- by an event trigger: on a coordinator, the workers publish the
			-- same labels, and add them; then Citus keeps the function for a
			-- worker added later (docs/scaling.md#tiers-and-channels).
			PERFORM @extschema@.publish_definitions_on_workers('channel_definitions');
			PERFORM @extschema@.distribute_published(pg_catalog.to_regprocedure('@extschema@.channel_definitions()'));
		ELSIF cmd.command_tag OPERATOR(pg_catalog.=) 'CREATE FUNCTION'
				AND cmd.objid OPERATOR(pg_catalog.=) pg_catalog.to_regprocedure('@extschema@.channel_definitions()') THEN
			-- Created by a restore (or by publish_definitions above): add the
			-- labels the type lacks (each ADD VALUE publishes again, through
			-- the branch above), and the dependency pg_dump does not restore.
			FOREACH label IN ARRAY @extschema@.channel_definitions() LOOP
				IF (SELECT pg_catalog.count(*) FROM pg_catalog.pg_enum AS e
						WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
							AND e.enumlabel OPERATOR(pg_catalog.=) label) OPERATOR(pg_catalog.=) 0 THEN
					IF previous IS NULL THEN
						EXECUTE pg_catalog.format('ALTER TYPE @extschema@.channel ADD VALUE %L BEFORE %L', label,
							(SELECT e.enumlabel FROM pg_catalog.pg_enum AS e
							WHERE e.enumtypid OPERATOR(pg_catalog.=) '@extschema@.channel'::pg_catalog.regtype
							ORDER BY e.enumsortorder LIMIT 1));
					ELSE
						EXECUTE pg_catalog.format('ALTER TYPE @extschema@.channel ADD VALUE %L AFTER %L', label, previous);
					END IF;
				END IF;
				previous := label;
			END LOOP;
			PERFORM @extschema@.depend_on_extension(cmd.objid::pg_catalog.regprocedure, description);
		END IF;
	END LOOP;
END
$$;
COMMENT ON FUNCTION @extschema@.channel_publish() IS 'event trigger: publishes the labels of mycc.channel as mycc.channel_definitions() (which pg_dump writes), and on restore adds the published labels the type lacks';
REVOKE ALL ON FUNCTION @extschema@.channel_publish() FROM PUBLIC;
CREATE EVENT TRIGGER mycc_channel_publish ON ddl_command_end WHEN TAG IN ('ALTER TYPE', 'CREATE FUNCTION')
	EXECUTE FUNCTION @extschema@.channel_publish();
COMMENT ON EVENT TRIGGER mycc_channel_publish IS 'publishes the labels of mycc.channel for restores (channel_publish)';

CREATE SEQUENCE @extschema@.survey_id_seq AS bigint;
COMMENT ON SEQUENCE @extschema@.survey_id_seq IS 'ids of mycc.survey';

-- Keyed by customer first (design.md section 8: the distribution column is
-- in every key).  channel and tier are the contact's channel and the
-- customer's tier when the answer was given, kept so that trends by tier
-- do not move when a customer changes tier later.
CREATE TABLE @extschema@.survey (
	customer_id bigint NOT NULL,
	id bigint NOT NULL DEFAULT pg_catalog.nextval('@extschema@.survey_id_seq'::pg_catalog.regclass),
	contact_id bigint,
	channel @extschema@.channel NOT NULL,
	tier @extschema@.customer_tier NOT NULL,
	nps @extschema@.nps_score,
	csat smallint CONSTRAINT survey_csat_range
		CHECK (csat OPERATOR(pg_catalog.>=) 1 AND csat OPERATOR(pg_catalog.<=) 5),
	answered_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
	tier_id smallint GENERATED ALWAYS AS (@extschema@.tier_id(tier)) STORED,
	CONSTRAINT survey_pkey PRIMARY KEY (customer_id, id),
	CONSTRAINT survey_has_answer CHECK (nps IS NOT NULL OR csat IS NOT NULL)
);
ALTER SEQUENCE @extschema@.survey_id_seq OWNED BY @extschema@.survey.id;
CREATE INDEX survey_answered_at_idx ON @extschema@.survey (answered_at);

COMMENT ON TABLE @extschema@.survey IS 'satisfaction survey answers: NPS (0-10) and CSAT (1-5), with the channel and tier at answer time';
COMMENT ON COLUMN @extschema@.survey.customer_id IS 'the customer who answered';
COMMENT ON COLUMN @extschema@.survey.id IS 'answer id, unique with customer_id';
COMMENT ON COLUMN @extschema@.survey.contact_id IS 'the contact the survey followed, if any';
COMMENT ON COLUMN @extschema@.survey.channel IS 'channel of that contact';
COMMENT ON COLUMN @extschema@.survey.tier IS 'customer tier when the answer was given';
COMMENT ON COLUMN @extschema@.survey.nps IS 'answer to "how likely are you to recommend us", 0-10';
COMMENT ON COLUMN @extschema@.survey.csat IS 'satisfaction rating 1-5 (CSAT counts 4 and 5)';
COMMENT ON COLUMN @extschema@.survey.answered_at IS 'when the answer was given';
COMMENT ON COLUMN @extschema@.survey.tier_id IS 'the tier''s id, generated from tier';

SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.survey_id_seq', '');

-- BI: the business day and plain-typed dimensions (docs/clients.md#bi-tools).
-- The daily views cut days in the business time zone (mycc.time_zone), not
-- in the reading session's (src/bi.c: why parallel workers agree).
CREATE FUNCTION @extschema@.time_zone() RETURNS text
	AS 'MODULE_PATHNAME', 'mycc_time_zone' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.time_zone() IS 'the business time zone of the daily BI views: mycc.time_zone, by default the TimeZone the session started with (a later SET TimeZone does not change it)';

CREATE FUNCTION @extschema@.business_day(ts timestamptz) RETURNS date
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN CAST(pg_catalog.timezone(@extschema@.time_zone(), ts) AS date);
COMMENT ON FUNCTION @extschema@.business_day(timestamptz) IS 'the day of a time in the business time zone (mycc.time_zone()): the day column of every daily BI view';

-- From pg_enum, not enum_range(): that one refuses a label added in the
-- current transaction (55P04) even when the channel is another.
CREATE FUNCTION @extschema@.channel_rank(@extschema@.channel) RETURNS integer
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CAST(pg_catalog.count(*) AS integer)
	FROM pg_catalog.pg_enum AS e, pg_catalog.pg_enum AS this
	WHERE this.enumtypid OPERATOR(pg_catalog.=) CAST('@extschema@.channel' AS pg_catalog.regtype)
		AND this.enumlabel OPERATOR(pg_catalog.=) CAST(CAST($1 AS pg_catalog.text) AS pg_catalog.name)
		AND e.enumtypid OPERATOR(pg_catalog.=) this.enumtypid
		AND e.enumsortorder OPERATOR(pg_catalog.<=) this.enumsortorder;
END;
COMMENT ON FUNCTION @extschema@.channel_rank(@extschema@.channel) IS 'the position of a channel in mycc.channel''s order, 1 up: the channel_rank column of the BI views';

-- The BI views show tiers and channels as text (a filter such as tier =
-- 'mid' then needs no mycc operator on the search_path), each with a rank
-- to order by, and every figure with its 95% interval.
CREATE VIEW @extschema@.nps_daily AS
SELECT d.day, CAST(d.channel AS pg_catalog.text) AS channel, @extschema@.channel_rank(d.channel) AS channel_rank,
	CAST(d.tier AS pg_catalog.text) AS tier, t.rank AS tier_rank,
	@extschema@.nps_count(d.state) AS n,
	@extschema@.nps_promoters(d.state) AS promoters,
	@extschema@.nps_passives(d.state) AS passives,
	@extschema@.nps_detractors(d.state) AS detractors,
	@extschema@.nps(d.state) AS nps,
	@extschema@.nps_moe(d.state, 0.95::double precision) AS margin_of_error,
	ci.low AS nps_low, ci.high AS nps_high
FROM (
	SELECT @extschema@.business_day(s.answered_at) AS day, s.channel, s.tier,
		@extschema@.nps_agg(s.nps) AS state
	FROM @extschema@.survey AS s
	WHERE s.nps IS NOT NULL
	GROUP BY 1, 2, 3
) AS d
CROSS JOIN LATERAL @extschema@.nps_ci(d.state, 0.95::double precision) AS ci
LEFT JOIN @extschema@.tier AS t ON t.id OPERATOR(pg_catalog.=) @extschema@.tier_id(d.tier);

COMMENT ON VIEW @extschema@.nps_daily IS 'NPS by business day (mycc.time_zone), channel and tier, with its 95% margin of error and interval; plain SQL types for BI tools';
COMMENT ON COLUMN @extschema@.nps_daily.day IS 'day of the answers in the business time zone (mycc.time_zone())';
COMMENT ON COLUMN @extschema@.nps_daily.channel IS 'channel of the surveyed contact (a mycc.channel label, as text)';
COMMENT ON COLUMN @extschema@.nps_daily.channel_rank IS 'position of the channel in mycc.channel''s order, 1 up: order channels by it';
COMMENT ON COLUMN @extschema@.nps_daily.tier IS 'customer tier at answer time (the tier''s name, as text)';
COMMENT ON COLUMN @extschema@.nps_daily.tier_rank IS 'the tier''s rank (higher is more valuable): order tiers by it';
COMMENT ON COLUMN @extschema@.nps_daily.n IS 'number of NPS answers';
COMMENT ON COLUMN @extschema@.nps_daily.promoters IS 'answers 9-10';
COMMENT ON COLUMN @extschema@.nps_daily.passives IS 'answers 7-8';
COMMENT ON COLUMN @extschema@.nps_daily.detractors IS 'answers 0-6';
COMMENT ON COLUMN @extschema@.nps_daily.nps IS 'Net Promoter Score, -100..100';
COMMENT ON COLUMN @extschema@.nps_daily.margin_of_error IS 'margin of error of nps at 95% confidence, in points';
COMMENT ON COLUMN @extschema@.nps_daily.nps_low IS 'low end of the 95% confidence interval of nps (at least -100)';
COMMENT ON COLUMN @extschema@.nps_daily.nps_high IS 'high end of the 95% confidence interval of nps (at most 100)';

CREATE VIEW @extschema@.csat_daily AS
SELECT d.day, CAST(d.channel AS pg_catalog.text) AS channel, @extschema@.channel_rank(d.channel) AS channel_rank,
	CAST(d.tier AS pg_catalog.text) AS tier, t.rank AS tier_rank,
	@extschema@.csat_count(d.state) AS n,
	@extschema@.csat_satisfied(d.state) AS satisfied,
	@extschema@.csat(d.state) AS csat,
	@extschema@.csat_moe(d.state, 0.95::double precision) AS margin_of_error,
	ci.low AS csat_low, ci.high AS csat_high
FROM (
	SELECT @extschema@.business_day(s.answered_at) AS day, s.channel, s.tier,
		@extschema@.csat_agg(CAST(s.csat AS integer)) AS state
	FROM @extschema@.survey AS s
	WHERE s.csat IS NOT NULL
	GROUP BY 1, 2, 3
) AS d
CROSS JOIN LATERAL @extschema@.csat_ci(d.state, 0.95::double precision) AS ci
LEFT JOIN @extschema@.tier AS t ON t.id OPERATOR(pg_catalog.=) @extschema@.tier_id(d.tier);

COMMENT ON VIEW @extschema@.csat_daily IS 'CSAT by business day (mycc.time_zone), channel and tier, with its 95% margin of error and interval; plain SQL types for BI tools';
COMMENT ON COLUMN @extschema@.csat_daily.day IS 'day of the answers in the business time zone (mycc.time_zone())';
COMMENT ON COLUMN @extschema@.csat_daily.channel IS 'channel of the surveyed contact (a mycc.channel label, as text)';
COMMENT ON COLUMN @extschema@.csat_daily.channel_rank IS 'position of the channel in mycc.channel''s order, 1 up: order channels by it';
COMMENT ON COLUMN @extschema@.csat_daily.tier IS 'customer tier at answer time (the tier''s name, as text)';
COMMENT ON COLUMN @extschema@.csat_daily.tier_rank IS 'the tier''s rank (higher is more valuable): order tiers by it';
COMMENT ON COLUMN @extschema@.csat_daily.n IS 'number of CSAT answers (1-5)';
COMMENT ON COLUMN @extschema@.csat_daily.satisfied IS 'answers 4-5';
COMMENT ON COLUMN @extschema@.csat_daily.csat IS 'CSAT: % of answers 4-5, 0..100';
COMMENT ON COLUMN @extschema@.csat_daily.margin_of_error IS 'margin of error of csat at 95% confidence, in points';
COMMENT ON COLUMN @extschema@.csat_daily.csat_low IS 'low end of the 95% confidence interval of csat (at least 0)';
COMMENT ON COLUMN @extschema@.csat_daily.csat_high IS 'high end of the 95% confidence interval of csat (at most 100)';
