
-- ---------------------------------------------------------------------------
-- staffing: Erlang C (probability of waiting, service level, agents
-- needed) and the staffing each queue's last hour calls for
-- (docs/routing.md#staffing)
-- ---------------------------------------------------------------------------

CREATE FUNCTION @extschema@.offered_load(arrivals_per_hour double precision, handle_seconds double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_offered_load' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.offered_load(double precision, double precision) IS 'offered load in erlangs (agents kept busy on average): arrivals an hour times handle seconds / 3600';

CREATE FUNCTION @extschema@.erlang_c(agents integer, arrivals_per_hour double precision, handle_seconds double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_erlang_c' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.erlang_c(integer, double precision, double precision) IS 'Erlang C: the probability that a contact waits for one of so many agents (1 when the load is at least the agents: no steady state)';

CREATE FUNCTION @extschema@.service_level(agents integer, arrivals_per_hour double precision, handle_seconds double precision,
		target_seconds double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'mycc_service_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.service_level(integer, double precision, double precision, double precision) IS 'Erlang C: the share of contacts so many agents answer within target_seconds (0 when the load is at least the agents)';

CREATE FUNCTION @extschema@.agents_needed(arrivals_per_hour double precision, handle_seconds double precision,
		target_seconds double precision, goal double precision)
	RETURNS integer
	AS 'MODULE_PATHNAME', 'mycc_agents_needed' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.agents_needed(double precision, double precision, double precision, double precision) IS 'Erlang C: the smallest number of agents that answers the goal share (0 to 1, exclusive) of contacts within target_seconds';

-- Each queue's service level goal: the share of its contacts to answer
-- within its target_answer (80 % in 20 seconds is the classic call
-- center's).
ALTER TABLE @extschema@.queue
	ADD COLUMN service_level_goal double precision NOT NULL DEFAULT 0.8,
	ADD CONSTRAINT queue_service_level_goal_valid CHECK (service_level_goal OPERATOR(pg_catalog.>) 0::double precision
		AND service_level_goal OPERATOR(pg_catalog.<) 1::double precision);
COMMENT ON COLUMN @extschema@.queue.service_level_goal IS 'share of contacts to answer within target_answer (strictly between 0 and 1); what mycc.queue_staffing staffs for';

-- The staffing of each queue for the traffic of the span before a time:
-- arrivals are the contacts enqueued in it, the handle time the average of
-- the contacts finished in it.  Runs with its owner's rights, as a BI view
-- does: it reports counts and averages per queue, never a contact.
CREATE FUNCTION @extschema@.queue_staffing_at(at timestamptz, span interval DEFAULT '1 hour',
		OUT queue_id bigint, OUT queue text, OUT period_start timestamptz, OUT period_end timestamptz,
		OUT arrivals bigint, OUT arrivals_per_hour double precision, OUT finished bigint,
		OUT handle_seconds double precision, OUT target_seconds double precision, OUT goal double precision,
		OUT offered_load double precision, OUT agents_needed integer, OUT probability_of_wait double precision,
		OUT service_level double precision)
	RETURNS SETOF record
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
#variable_conflict use_column
DECLARE
	hours double precision := pg_catalog.date_part('epoch', span) OPERATOR(pg_catalog./) 3600;
	since timestamptz := at OPERATOR(pg_catalog.-) span;
BEGIN
	IF NOT (hours OPERATOR(pg_catalog.>) 0 AND hours OPERATOR(pg_catalog.<) 'Infinity'::double precision) THEN
		RAISE EXCEPTION 'span % is out of range', span
			USING ERRCODE = '22023', DETAIL = 'The span of traffic staffed for is a positive, finite interval, such as 1 hour.';
	END IF;
	RETURN QUERY
	WITH traffic AS (
		SELECT k.queue_id,
			pg_catalog.count(*) FILTER (WHERE k.enqueued_at OPERATOR(pg_catalog.>) since
				AND k.enqueued_at OPERATOR(pg_catalog.<=) at) AS arrivals,
			pg_catalog.count(*) FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status
				AND k.assigned_at IS NOT NULL
				AND k.ended_at OPERATOR(pg_catalog.>) since AND k.ended_at OPERATOR(pg_catalog.<=) at) AS finished,
			pg_catalog.avg(pg_catalog.date_part('epoch', k.ended_at OPERATOR(pg_catalog.-) k.assigned_at))
				FILTER (WHERE k.status OPERATOR(pg_catalog.=) 'finished'::@extschema@.contact_status
				AND k.assigned_at IS NOT NULL
				AND k.ended_at OPERATOR(pg_catalog.>) since AND k.ended_at OPERATOR(pg_catalog.<=) at) AS handle
		FROM @extschema@.contact AS k
		WHERE k.queue_id IS NOT NULL
			AND ((k.enqueued_at OPERATOR(pg_catalog.>) since AND k.enqueued_at OPERATOR(pg_catalog.<=) at)
				OR (k.ended_at OPERATOR(pg_catalog.>) since AND k.ended_at OPERATOR(pg_catalog.<=) at))
		GROUP BY k.queue_id
	), rates AS (
		-- With no arrivals there is no load, whatever the handle time.
		SELECT q.id, q.name, COALESCE(t.arrivals, 0) AS arrivals,
			COALESCE(t.arrivals, 0)::double precision OPERATOR(pg_catalog./) hours AS per_hour,
			COALESCE(t.finished, 0) AS finished, t.handle,
			CASE WHEN COALESCE(t.arrivals, 0) OPERATOR(pg_catalog.=) 0 THEN 0::double precision ELSE t.handle END AS load_handle,
			pg_catalog.date_part('epoch', q.target_answer) AS target, q.service_level_goal AS goal
		FROM @extschema@.queue AS q
		LEFT JOIN traffic AS t ON t.queue_id OPERATOR(pg_catalog.=) q.id
	)
	SELECT r.id, r.name, since, at, r.arrivals, r.per_hour, r.finished, r.handle, r.target, r.goal,
		@extschema@.offered_load(r.per_hour, r.load_handle), n.agents,
		@extschema@.erlang_c(n.agents, r.per_hour, r.load_handle),
		@extschema@.service_level(n.agents, r.per_hour, r.load_handle, r.target)
	FROM rates AS r,
		LATERAL (SELECT @extschema@.agents_needed(r.per_hour, r.load_handle, r.target, r.goal) AS agents) AS n
	ORDER BY r.id;
END
$$;
COMMENT ON FUNCTION @extschema@.queue_staffing_at(timestamptz, interval) IS 'by queue: the traffic of the span (default 1 hour) before a time (contacts enqueued, average handle time of those finished) and the agents Erlang C says it needs for the queue''s target_answer and service_level_goal';

-- BI: the staffing of each queue for the last hour's traffic.
CREATE VIEW @extschema@.queue_staffing AS
SELECT s.queue_id, s.queue, s.period_start, s.period_end, s.arrivals, s.arrivals_per_hour, s.finished,
	s.handle_seconds, s.target_seconds, s.goal, s.offered_load, s.agents_needed, s.probability_of_wait,
	s.service_level
FROM @extschema@.queue_staffing_at(pg_catalog.now()) AS s;
COMMENT ON VIEW @extschema@.queue_staffing IS 'by queue: the last hour''s traffic and the agents Erlang C says it needs to answer the queue''s service_level_goal of contacts within its target_answer';
COMMENT ON COLUMN @extschema@.queue_staffing.queue_id IS 'queue id';
COMMENT ON COLUMN @extschema@.queue_staffing.queue IS 'queue name';
COMMENT ON COLUMN @extschema@.queue_staffing.period_start IS 'start of the hour observed (excluded): now - 1 hour';
COMMENT ON COLUMN @extschema@.queue_staffing.period_end IS 'end of the hour observed (included): now';
COMMENT ON COLUMN @extschema@.queue_staffing.arrivals IS 'contacts enqueued in the queue during the hour';
COMMENT ON COLUMN @extschema@.queue_staffing.arrivals_per_hour IS 'arrival rate: arrivals per hour (double precision)';
COMMENT ON COLUMN @extschema@.queue_staffing.finished IS 'contacts of the queue an agent finished during the hour (the handle time sample)';
COMMENT ON COLUMN @extschema@.queue_staffing.handle_seconds IS 'average handle time in seconds (from an agent taking a contact to its finish) of the finished contacts; NULL when none finished';
COMMENT ON COLUMN @extschema@.queue_staffing.target_seconds IS 'the queue''s target_answer in seconds';
COMMENT ON COLUMN @extschema@.queue_staffing.goal IS 'the queue''s service_level_goal: share of contacts to answer within the target (0 to 1)';
COMMENT ON COLUMN @extschema@.queue_staffing.offered_load IS 'offered load in erlangs: arrivals_per_hour * handle_seconds / 3600, the agents kept busy on average';
COMMENT ON COLUMN @extschema@.queue_staffing.agents_needed IS 'the fewest agents that answer the goal share within the target (Erlang C); NULL when contacts arrived but none finished';
COMMENT ON COLUMN @extschema@.queue_staffing.probability_of_wait IS 'with agents_needed agents: the probability that a contact waits (Erlang C, 0 to 1)';
COMMENT ON COLUMN @extschema@.queue_staffing.service_level IS 'with agents_needed agents: the share of contacts answered within the target (0 to 1, at least goal)';
