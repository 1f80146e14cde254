
-- ---------------------------------------------------------------------------
-- survey: satisfaction answers and the nps_daily BI view
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
			-- same labels, and add them (docs/scaling.md#tiers-and-channels).
			PERFORM @extschema@.publish_definitions_on_workers('channel_definitions');
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

CREATE VIEW @extschema@.nps_daily AS
SELECT d.day, d.channel, d.tier,
	@extschema@.nps_count(d.state) AS n,
	@extschema@.nps_promoters(d.state) AS promoters,
	@extschema@.nps_passives(d.state) AS passives,
	@extschema@.nps_detractors(d.state) AS detractors,
	@extschema@.nps(d.state) AS nps,
	@extschema@.nps_moe(d.state, 0.95::double precision) AS margin_of_error,
	d.state
FROM (
	SELECT CAST(s.answered_at AS date) AS day, s.channel, s.tier,
		@extschema@.nps_agg(s.nps) AS state
	FROM @extschema@.survey AS s
	WHERE s.nps IS NOT NULL
	GROUP BY 1, 2, 3
) AS d;

COMMENT ON VIEW @extschema@.nps_daily IS 'NPS by day (session time zone), channel and tier, with the 95% margin of error and the mergeable state for rollups';
COMMENT ON COLUMN @extschema@.nps_daily.day IS 'day of the answers, in the session time zone';
COMMENT ON COLUMN @extschema@.nps_daily.channel IS 'channel of the surveyed contact';
COMMENT ON COLUMN @extschema@.nps_daily.tier IS 'customer tier at answer time';
COMMENT ON COLUMN @extschema@.nps_daily.n IS 'number of NPS answers';
COMMENT ON COLUMN @extschema@.nps_daily.promoters IS 'answers 9-10';
COMMENT ON COLUMN @extschema@.nps_daily.passives IS 'answers 7-8';
COMMENT ON COLUMN @extschema@.nps_daily.detractors IS 'answers 0-6';
COMMENT ON COLUMN @extschema@.nps_daily.nps IS 'Net Promoter Score, -100..100';
COMMENT ON COLUMN @extschema@.nps_daily.margin_of_error IS 'margin of error of nps at 95% confidence, in points';
COMMENT ON COLUMN @extschema@.nps_daily.state IS 'nps_state of the group: merge with mycc.nps_merge for weeks, months or all channels';
