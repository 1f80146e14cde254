#!/usr/bin/env bash
# Where the assignment case's gap lies (docs/performance.md, "Where the
# rest goes"): a claim alone and a finish alone, mycc against the
# reference's statements (bench/queue.sh, reference.sql) and against the
# reference written to do what mycc's finish also does, on one pgbench
# client in a throw-away server (this checkout built and loaded privately,
# as bench/run.sh --private does).  Each label runs TXNS transactions, the
# labels alternating, ROUNDS rounds; prints per label the median
# microseconds a transaction (1,000,000 / tps), that less the floor (the
# same round trip doing nothing), and the ratio to the reference.
#   claims (agents with room for every contact, every contact waiting):
#     mycc       SELECT mycc.next_contact(agent)
#     reference  the reference's claim statement (without claim_log)
#     floor      SELECT of the agent id
#   finishes (every contact assigned; contact ids read from a numbered
#   list by a sequence, the same lookup in every label):
#     mycc              SELECT mycc.finish(contact, 'resolved')
#     reference         the reference's finish: the contact closed, then
#                       its agent's place freed (one statement)
#     reference_agent_first  the same, the agent's row locked first, as
#                       mycc's finish does (the order next_contact takes
#                       its locks in; the contact first deadlocks with a
#                       claim and finish in one transaction,
#                       specs/routing_claim.spec): the contact read, the
#                       agent updated, the contact closed, one statement
#     reference_plpgsql that statement in a PL/pgSQL function (what
#                       calling a function that runs it costs)
#     floor             the contact id read
#	bash bench/ab/assignment_parts.sh [TXNS] [ROUNDS]	(4000, 7)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ "${1:-}" != --inside ]; then
	. tools/private_install.sh
	private_bench bash "$0" --inside "${1:-4000}" "${2:-7}"
fi
txns=$2
rounds=$3
. bench/lib.sh
. bench/queue.sh
assignment_ab_setup "$txns"

# The reference's claim: reference.sql's first statement, its claim_log
# insert left out (mycc's claim here logs nothing either).
python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
ref = open(work + '/reference.sql').read()
claim = ref.split('\\gset')[0]
logged = (",\n\tins AS (INSERT INTO claim_log SELECT 'reference', id, :aid FROM c RETURNING contact_id)\n"
	"SELECT coalesce((SELECT contact_id FROM ins), 0) AS k ")
assert logged in claim, 'reference.sql changed: update bench/ab/assignment_parts.sh'
open(work + '/claim_reference.sql', 'w').write(claim.replace(logged, "\nSELECT (SELECT id FROM c);\n"))
PY
cat >"$work/claim_mycc.sql" <<'PGB'
\set aid :client_id + 1
SELECT mycc.next_contact(:aid);
PGB
cat >"$work/claim_floor.sql" <<'PGB'
\set aid :client_id + 1
SELECT :aid;
PGB
next_id="(SELECT l.id FROM finish_list AS l WHERE l.i = (SELECT nextval('finish_seq')))"
cat >"$work/finish_mycc.sql" <<PGB
SELECT mycc.finish($next_id, 'resolved');
PGB
cat >"$work/finish_reference.sql" <<PGB
WITH x AS ($next_id),
	f AS (UPDATE ref_contact SET status = 'finished', outcome = 'resolved',
		ended_at = GREATEST(started_at, COALESCE(ended_at, now()))
		WHERE id = (SELECT id FROM x) AND status = 'assigned' RETURNING agent_id)
UPDATE ref_agent SET active_contacts = GREATEST(active_contacts - 1, 0) WHERE id = (SELECT agent_id FROM f);
PGB
# The reference's finish with the agent locked first, once: its CTEs and
# statement after "WITH", for the contact id expression $1 and the outcome
# expression $2.
agent_first() {
	cat <<SQL
k AS (SELECT c.agent_id FROM ref_contact AS c WHERE c.id = $1 AND c.status = 'assigned'),
	g AS (UPDATE ref_agent SET active_contacts = GREATEST(active_contacts - 1, 0)
		WHERE id = (SELECT agent_id FROM k) RETURNING id)
UPDATE ref_contact SET status = 'finished', outcome = $2,
	ended_at = GREATEST(started_at, COALESCE(ended_at, now()))
WHERE id = $1 AND status = 'assigned' AND agent_id = (SELECT id FROM g)
SQL
}
cat >"$work/finish_reference_agent_first.sql" <<PGB
WITH x AS ($next_id),
	$(agent_first "(SELECT id FROM x)" "'resolved'");
PGB
psql_q <<SQL
CREATE FUNCTION ref_finish(contact_id bigint, outcome text) RETURNS void LANGUAGE plpgsql AS \$f\$
BEGIN
	WITH $(agent_first ref_finish.contact_id ref_finish.outcome);
END
\$f\$;
SQL
cat >"$work/finish_reference_plpgsql.sql" <<PGB
SELECT ref_finish($next_id, 'resolved');
PGB
cat >"$work/finish_floor.sql" <<PGB
SELECT $next_id;
PGB

# Every contact waiting, every agent free with room for all of them.
reset_claims() {
	psql_q -f bench/assignment_reset.sql
	psql_q -c "UPDATE mycc.agent SET capacity = 1000000" -c "UPDATE ref_agent SET capacity = 1000000"
}
# Every contact assigned (to agents 1 to 16), the agents' counts to match,
# and the numbered list of contact ids the finishes read.
reset_finishes() {
	psql_q -f bench/assignment_reset.sql
	psql_q <<'SQL'
SET client_min_messages = warning;
DELETE FROM mycc.contact_queue;
UPDATE mycc.contact SET status = 'assigned', agent_id = 1 + id % 16, assigned_at = now();
UPDATE ref_contact SET status = 'assigned', agent_id = 1 + id % 16, assigned_at = now();
UPDATE mycc.agent AS a SET capacity = 1000000, active_contacts = (SELECT count(*) FROM mycc.contact AS c WHERE c.agent_id = a.id);
UPDATE ref_agent AS a SET capacity = 1000000, active_contacts = (SELECT count(*) FROM ref_contact AS c WHERE c.agent_id = a.id);
DROP TABLE IF EXISTS finish_list;
CREATE TABLE finish_list AS SELECT row_number() OVER (ORDER BY id)::integer AS i, id FROM mycc.contact;
ALTER TABLE finish_list ADD PRIMARY KEY (i);
DROP SEQUENCE IF EXISTS finish_seq;
CREATE SEQUENCE finish_seq;
VACUUM ANALYZE finish_list, mycc.contact, mycc.agent, ref_contact, ref_agent;
SQL
}

# Fails unless the label's table has $txns contacts in status $2.
check() {
	local part=$1 status=$2 label=$3 table n
	case $label in
	mycc) table=mycc.contact ;;
	floor) return 0 ;;
	*) table=ref_contact ;;
	esac
	n=$(psql_q -At -c "SELECT count(*) FROM $table WHERE status = '$status'")
	if [ "$n" != "$txns" ]; then
		echo "$part: $label left $n contacts $status, not $txns" >&2
		exit 1
	fi
}

results=$work/results
for round in $(seq 1 "$rounds"); do
	for label in mycc reference floor; do
		reset_claims
		PGOPTIONS="-c mycc.account_manager_hold=2min" bench_pgbench "claim: $label" 1 "$txns" -f "$work/claim_$label.sql"
		check claim assigned "$label"
		echo "claim $label $tps" >>"$results"
	done
	for label in mycc reference reference_agent_first reference_plpgsql floor; do
		reset_finishes
		bench_pgbench "finish: $label" 1 "$txns" -f "$work/finish_$label.sql"
		check finish finished "$label"
		echo "finish $label $tps" >>"$results"
	done
done
echo "== $txns transactions a round on 1 client, $rounds rounds; medians (microseconds a transaction)"
python3 - "$results" <<'PY'
import collections, statistics, sys
tps = collections.defaultdict(list)
for line in open(sys.argv[1]):
	part, label, value = line.split()
	tps[part, label].append(float(value))
print(f"{'part':8} {'label':22} {'us':>7} {'us - floor':>11} {'/ reference':>12} {'work / reference':>17}")
for part in ('claim', 'finish'):
	us = {label: 1e6 / statistics.median(v) for (p, label), v in tps.items() if p == part}
	for label, t in us.items():
		work = t - us['floor']
		print(f"{part:8} {label:22} {t:7.1f} {work:11.1f} {t / us['reference']:12.2f} "
			f"{work / (us['reference'] - us['floor']):17.2f}")
PY
