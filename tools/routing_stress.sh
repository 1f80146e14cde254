#!/usr/bin/env bash
# A bounded pgbench stress run of routing (design.md section 5, issue 6):
# 16 clients claim (mycc.next_contact), finish (mycc.finish), enqueue new
# contacts, change customers' tiers (re-routing), close random contacts
# as a supervisor would and abandon random waiting ones (mycc.abandon), at
# once, for a few seconds.  Then it checks:
#   - no pgbench transaction failed (no deadlock, no error);
#   - every contact was assigned at most once (an audit trigger records
#     every assignment), and each agent's active_contacts equals its open
#     assignments and stays within its capacity; the rows of
#     mycc.contact_queue are exactly the waiting contacts;
#   - after a drain (every open contact finished, then every agent claims
#     until none gets anything), no contact is left queued: none claimable
#     was skipped for good.
# Runs against the server in the environment (PGHOST, PGPORT, ... as
# pg_virtualenv sets them) in a database of its own, and prints one line
# "test NAME ... ok|FAILED" with the figures.  NAME is routing_stress; with
# ROUTING_STRESS_CITUS set, it runs instead in the database of that name on
# a Citus coordinator (tools/citus_cluster.sh database NAME: Citus and mycc
# there, no data), after mycc.distribute(), and NAME is citus/routing_stress.
#	bash tools/routing_stress.sh [clients] [transactions per client]
set -uo pipefail
cd "$(dirname "$0")/.."
clients=${1:-16}
per_client=${2:-200}
db=${ROUTING_STRESS_CITUS:-mycc_routing_stress}
name=${ROUTING_STRESS_CITUS:+citus/}routing_stress
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
	printf 'test %-28s ... FAILED\n' "$name"
	printf '%s\n' "$@" | sed 's/^/    /'
	exit 1
}
run_psql() {
	psql -X -q -v ON_ERROR_STOP=1 -d "$db" "$@"
}

if [ -z "${ROUTING_STRESS_CITUS:-}" ]; then
	psql -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db" \
		>"$work/setup.log" 2>&1 || fail "could not create the database:" "$(cat "$work/setup.log")"
	run_psql -c "CREATE EXTENSION mycc" >"$work/setup.log" 2>&1 || fail "setup failed:" "$(cat "$work/setup.log")"
else
	run_psql -c "SELECT count(*) FROM mycc.distribute()" >"$work/setup.log" 2>&1 \
		|| fail "mycc.distribute() failed:" "$(cat "$work/setup.log")"
fi

# Queues (each covered by some agent), rules, 20 agents, 2000 customers
# (some with account managers), 600 waiting contacts; a one-second
# account manager hold, so that both claim paths run.
run_psql >"$work/setup.log" 2>&1 <<'SQL' || fail "setup failed:" "$(cat "$work/setup.log")"
SELECT setseed(0.42);
SELECT format('ALTER DATABASE %I SET mycc.account_manager_hold = ''1s''', current_database()) \gexec
INSERT INTO mycc.queue (name, required_skills, target_answer, is_default) VALUES
	('general', '{}', '5 minutes', true),
	('vip', '{vip_care}', '1 minute', false),
	('refund', '{refunds}', '5 minutes', false),
	('chinese', '{lang:zh}', '10 minutes', false);
INSERT INTO mycc.routing_rule (priority, condition, queue_id) VALUES
	(100, 'tier:high', 2), (50, 'topic:refund', 3), (40, 'channel:wechat & !tier:free', 4);
INSERT INTO mycc.agent (name, skills, capacity, status)
SELECT 'agent ' || i,
	CASE WHEN i <= 4 THEN '{account_manager, vip_care}'::mycc.tagset
		WHEN i <= 10 THEN '{refunds}' WHEN i <= 14 THEN '{lang:zh}'
		ELSE '{refunds, lang:zh, vip_care}' END,
	1 + i % 3, 'available'
FROM generate_series(1, 20) AS i;
INSERT INTO mycc.customer (name, tier, lifetime_value)
SELECT 'customer ' || i, (ARRAY['high', 'mid', 'low', 'free'])[1 + i % 4]::mycc.customer_tier, i
FROM generate_series(1, 2000) AS i;
SELECT mycc.assign_account_managers('high', 125);

-- The evidence: every assignment, as it happens.
CREATE TABLE public.assignment (contact_id bigint NOT NULL, agent_id bigint NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp());
CREATE FUNCTION public.record_assignment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.assignment (contact_id, agent_id) VALUES (NEW.id, NEW.agent_id);
	RETURN NULL;
END
$$;
CREATE TRIGGER record_assignment AFTER UPDATE OF status ON mycc.contact
	FOR EACH ROW WHEN (NEW.status = 'assigned' AND OLD.status IS DISTINCT FROM NEW.status)
	EXECUTE FUNCTION public.record_assignment();

-- The agent closes its oldest open contact: its row first, as mycc does.
CREATE FUNCTION public.finish_one(a bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	c bigint;
BEGIN
	PERFORM FROM mycc.agent WHERE id = a FOR UPDATE;
	SELECT id INTO c FROM mycc.contact WHERE agent_id = a AND status = 'assigned' ORDER BY id LIMIT 1;
	IF c IS NOT NULL THEN
		PERFORM mycc.finish(c, 'done');
	END IF;
	RETURN c;
END
$$;
-- A supervisor closes some open contact; one an agent closed meanwhile
-- is skipped (55000), any other error (a deadlock) is not caught.
CREATE FUNCTION public.close_any() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	c bigint;
BEGIN
	SELECT id INTO c FROM mycc.contact WHERE status = 'assigned' ORDER BY random() LIMIT 1;
	IF c IS NOT NULL THEN
		BEGIN
			PERFORM mycc.finish(c, 'supervisor');
		EXCEPTION WHEN object_not_in_prerequisite_state THEN
			RETURN NULL;
		END;
	END IF;
	RETURN c;
END
$$;

-- A customer hangs up while waiting; one an agent took meanwhile is
-- skipped (55000).
CREATE FUNCTION public.abandon_any() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	c bigint;
BEGIN
	SELECT contact_id INTO c FROM mycc.contact_queue ORDER BY random() LIMIT 1;
	IF c IS NOT NULL THEN
		BEGIN
			PERFORM mycc.abandon(c);
		EXCEPTION WHEN object_not_in_prerequisite_state THEN
			RETURN NULL;
		END;
	END IF;
	RETURN c;
END
$$;

INSERT INTO mycc.contact (customer_id, channel, topic)
SELECT 1 + (i * 7919) % 2000, (ARRAY['phone', 'wechat', 'email'])[1 + i % 3]::mycc.channel,
	CASE WHEN i % 5 = 0 THEN 'refund' END
FROM generate_series(1, 600) AS i;
SELECT count(mycc.enqueue(id)) FROM mycc.contact;
SQL

# The transactions: finish then claim; claim then finish (holding the
# agent's row, as next_contact leaves it); a new contact; a tier change
# (re-routing the customer's waiting contacts); a supervisor's close.
cat >"$work/finish_claim.sql" <<'SQL'
\set a random(1, 20)
BEGIN;
SELECT public.finish_one(:a);
SELECT mycc.next_contact(:a);
COMMIT;
SQL
cat >"$work/claim_finish.sql" <<'SQL'
\set a random(1, 20)
BEGIN;
SELECT mycc.next_contact(:a);
SELECT mycc.finish(k.id, 'done') FROM (SELECT id FROM mycc.contact WHERE agent_id = :a AND status = 'assigned' ORDER BY id LIMIT 1) AS k;
COMMIT;
SQL
cat >"$work/enqueue.sql" <<'SQL'
\set cu random(1, 2000)
\set ch random(1, 3)
INSERT INTO mycc.contact (customer_id, channel, topic)
VALUES (:cu, (ARRAY['phone', 'wechat', 'email'])[:ch]::mycc.channel, CASE WHEN :ch = 3 THEN 'refund' END) RETURNING id AS contact \gset
SELECT mycc.enqueue(:contact);
SQL
cat >"$work/reroute.sql" <<'SQL'
\set cu random(1, 2000)
\set t random(1, 4)
UPDATE mycc.customer SET tier = (ARRAY['high', 'mid', 'low', 'free'])[:t]::mycc.customer_tier WHERE id = :cu;
SQL
cat >"$work/supervisor.sql" <<'SQL'
SELECT public.close_any();
SQL
cat >"$work/abandon.sql" <<'SQL'
SELECT public.abandon_any();
SQL

pgbench -n -d "$db" -c "$clients" -j 4 -t "$per_client" \
	-f "$work/finish_claim.sql@6" -f "$work/claim_finish.sql@4" -f "$work/enqueue.sql@8" \
	-f "$work/reroute.sql@1" -f "$work/supervisor.sql@1" -f "$work/abandon.sql@1" >"$work/pgbench.out" 2>"$work/pgbench.err"
bench_status=$?
expected=$((clients * per_client))
processed=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$work/pgbench.out")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$work/pgbench.out")
tps=$(sed -n 's/^tps = \([0-9]*\)\.[0-9]* (without initial connection time)/\1/p' "$work/pgbench.out")
if [ "$bench_status" -ne 0 ] || [ "${processed:-0}" != "$expected" ] || [ "${failed:-1}" != 0 ] \
	|| grep -qiE 'error|deadlock' "$work/pgbench.err"; then
	fail "pgbench: exit $bench_status, $processed of $expected transactions, $failed failed" \
		"$(cat "$work/pgbench.out" "$work/pgbench.err" | head -40)"
fi

# The invariants: after the run, then after a drain.
checks() {
	run_psql -At <<'SQL'
SELECT 'contact assigned twice: ' || contact_id FROM public.assignment GROUP BY contact_id HAVING count(*) > 1
UNION ALL
SELECT 'assignment not on record: ' || id FROM mycc.contact AS k
WHERE k.assigned_at IS NOT NULL AND NOT EXISTS (SELECT FROM public.assignment AS a WHERE a.contact_id = k.id AND a.agent_id = k.agent_id)
UNION ALL
SELECT format('agent %s: active_contacts %s, open %s, capacity %s', g.id, g.active_contacts, count(k.id), g.capacity)
FROM mycc.agent AS g LEFT JOIN mycc.contact AS k ON k.agent_id = g.id AND k.status = 'assigned'
GROUP BY g.id HAVING g.active_contacts <> count(k.id) OR count(k.id) > g.capacity
UNION ALL
SELECT 'status ' || status || ' without an agent: ' || count(*) FROM mycc.contact
WHERE status IN ('assigned', 'finished') AND (agent_id IS NULL OR assigned_at IS NULL) GROUP BY status
UNION ALL
SELECT 'waiting contact without a queue row: ' || k.id FROM mycc.contact AS k
WHERE k.status = 'queued' AND NOT EXISTS (SELECT FROM mycc.contact_queue AS w
	WHERE w.customer_id = k.customer_id AND w.contact_id = k.id AND w.queue_id = k.queue_id)
UNION ALL
SELECT 'queue row of a contact not waiting: ' || w.contact_id FROM mycc.contact_queue AS w
WHERE NOT EXISTS (SELECT FROM mycc.contact AS k
	WHERE k.customer_id = w.customer_id AND k.id = w.contact_id AND k.status = 'queued');
SQL
}
problems=$(checks) || fail "checks failed to run"
[ -z "$problems" ] || fail "after the run:" "$problems"
figures=$(run_psql -At -F ' ' -c "SELECT count(*) FILTER (WHERE status = 'finished'), count(*) FILTER (WHERE status = 'assigned'), count(*) FILTER (WHERE status = 'queued'), (SELECT count(*) FROM mycc.routing_decision WHERE reason = 'reroute'), count(*) FILTER (WHERE status = 'abandoned') FROM mycc.contact") \
	|| fail "could not count"
read -r finished open queued reroutes abandoned <<<"$figures"

sleep 1.2	# past the account manager hold
drain=$(run_psql -At <<'SQL'
SELECT count(*) FROM (SELECT mycc.finish(id, 'drain') FROM mycc.contact WHERE status = 'assigned') AS f;
DO $$
DECLARE
	progress boolean := true;
	g record;
	c bigint;
BEGIN
	WHILE progress LOOP
		progress := false;
		FOR g IN SELECT id FROM mycc.agent ORDER BY id LOOP
			c := mycc.next_contact(g.id);
			IF c IS NOT NULL THEN
				progress := true;
				PERFORM mycc.finish(c, 'drain');
			END IF;
		END LOOP;
	END LOOP;
END
$$;
SELECT 'left queued: ' || count(*) FROM mycc.contact WHERE status = 'queued' HAVING count(*) > 0;
SQL
) || fail "drain failed:" "$drain"
problems=$(checks) || fail "checks failed to run"
drain=$(printf '%s\n' "$drain" | grep -v '^[0-9]*$')
[ -z "$problems$drain" ] || fail "after the drain:" "$problems" "$drain"

[ -n "${ROUTING_STRESS_CITUS:-}" ] || psql -X -q -d postgres -c "DROP DATABASE $db" >/dev/null 2>&1
printf 'test %-28s ... ok           %s transactions, %s tps, 0 failed; %s finished, %s open, %s waiting, %s re-routes, %s abandoned\n' \
	"$name" "$processed" "$tps" "$finished" "$open" "$queued" "$reroutes" "$abandoned"
