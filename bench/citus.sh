#!/usr/bin/env bash
# mycc on a Citus cluster against one server, on the same machine
# (docs/scaling.md#measured).  Starts the Citus suite's cluster
# (tools/citus_cluster.sh: one coordinator and two workers on loopback,
# ports CITUS_PORT, default 5591, and the next two), and in one run, rounds
# alternating:
#   nps      N survey answers (default 10,000,000; --answers N) in the
#            distributed mycc.survey (mycc.distribute(): 32 shards on the two
#            workers) and the same rows in a plain table on the coordinator
#            (one server's way: the same PostgreSQL, no Citus table);
#            SELECT mycc.nps_agg(nps) over all of them, and by day, channel
#            and tier (what mycc.nps_daily computes); answers compared;
#   resolve  pgbench, 4 clients, 10 s, mycc.resolve('phone', ...) of one of
#            100,000 known numbers, in the cluster's database (Citus
#            created, mycc.distribute() run: identity stays on the
#            coordinator) and in a database of the same coordinator without
#            Citus; tps and mean latency;
#   link     pgbench, 4 clients, 10 s, mycc.link of one of those numbers
#            and a new e-mail address (the identifier joins the number's
#            customer), in the same two databases; mean latency;
#   claim    pgbench, 4 clients (4 agents of capacity 1), 10 s, next_contact
#            then finish, over a queue of 100,000 waiting contacts, in the
#            same two databases; mean latency of the pair;
#   arrival  pgbench, 4 clients, 10 s, a contact arriving: resolve of one
#            of the known numbers, a new contact of that customer, enqueue
#            (which writes the routing log, distributed on the cluster), in
#            the same two databases; mean latency of the three.
# Prints medians of the rounds (--rounds R, default 5) and the ratios
# cluster / one server.  Needs Citus built (tools/citus_build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
answers=10000000
rounds=5
while [ $# -gt 0 ]; do
	case $1 in
		--answers) answers=$2; shift ;;
		--rounds) rounds=$2; shift ;;
		*) echo "usage: bash bench/citus.sh [--answers N] [--rounds R]" >&2; exit 2 ;;
	esac
	shift
done
export CITUS_PORT=${CITUS_PORT:-5591}
bash tools/citus_build.sh >/dev/null
trap 'bash tools/citus_cluster.sh stop' EXIT
bash tools/citus_cluster.sh start
port=$CITUS_PORT
q() { runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 -p "$port" -d "${2:-contrib_regression}" -c "$1"; }

echo "== loading $answers answers (distributed, and plain on the coordinator)"
q "SELECT count(*) FROM mycc.distribute()" >/dev/null
load="SELECT 1 + g % 1000000, 'phone', (ARRAY['high', 'mid', 'low', 'free'])[1 + g % 4]::mycc.customer_tier, g % 11,
	timestamptz '2026-10-01' + (g % 90) * interval '1 day' + (g % 86400) * interval '1 second' FROM generate_series(1, $answers) AS g"
q "INSERT INTO mycc.survey (customer_id, channel, tier, nps, answered_at) $load"
q "CREATE TABLE survey_plain (customer_id bigint, channel mycc.channel, tier mycc.customer_tier, nps mycc.nps_score, answered_at timestamptz)"
q "INSERT INTO survey_plain $load"
q "VACUUM ANALYZE survey_plain"
q "ANALYZE mycc.survey"

# time_ms SQL [DB]: the statement's time in ms, as psql's \timing gives it.
time_ms() {
	runuser -u postgres -- psql -X -q -p "$port" -d "${2:-contrib_regression}" -o /dev/null \
		-c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p'
}
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

# compare_latency NAME SCRIPT: pgbench's mean latency of SCRIPT (4 clients,
# 10 s) in the cluster's database and in one_server, rounds alternating;
# prints the medians and their ratio.
compare_latency() {
	local name=$1 script=$2 db
	chmod 644 "$script"
	: >/tmp/citus_bench_lat_c; : >/tmp/citus_bench_lat_p
	for _ in $(seq "$rounds"); do
		for db in contrib_regression one_server; do
			runuser -u postgres -- pgbench -n -M prepared -c 4 -j 2 -T 10 -p "$port" -f "$script" "$db" 2>/dev/null |
				sed -n 's/^latency average = \([0-9.]*\) ms.*/\1/p' >>"/tmp/citus_bench_lat_$([ $db = one_server ] && echo p || echo c)"
		done
	done
	local c p
	c=$(median </tmp/citus_bench_lat_c); p=$(median </tmp/citus_bench_lat_p)
	printf '%-16s latency  cluster %8.3f ms   one server %8.3f ms   cluster/one server %5.2f\n' "$name" "$c" "$p" \
		"$(awk -v c="$c" -v p="$p" 'BEGIN {print c / p}')"
}

whole="SELECT mycc.nps_agg(nps) FROM %s"
grouped="SELECT answered_at::date, channel, tier, mycc.nps_agg(nps) FROM %s GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
for name in whole grouped; do
	sql=${!name}
	same=$([ "$(q "$(printf "$sql" mycc.survey)" | md5sum)" = "$(q "$(printf "$sql" survey_plain)" | md5sum)" ] && echo same || echo DIFFERENT)
	: >/tmp/citus_bench_c; : >/tmp/citus_bench_p
	for _ in $(seq "$rounds"); do
		time_ms "$(printf "$sql" mycc.survey)" >>/tmp/citus_bench_c
		time_ms "$(printf "$sql" survey_plain)" >>/tmp/citus_bench_p
	done
	c=$(median </tmp/citus_bench_c); p=$(median </tmp/citus_bench_p)
	printf 'nps %-8s cluster %10.1f ms   one server %10.1f ms   cluster/one server %5.2f   answers %s\n' \
		"$name" "$c" "$p" "$(awk -v c="$c" -v p="$p" 'BEGIN {print c / p}')" "$same"
done

echo "== resolve: 100,000 known phone numbers"
runuser -u postgres -- createdb -p "$port" one_server
q "CREATE EXTENSION mycc" one_server
for db in contrib_regression one_server; do
	q "SELECT count(mycc.resolve('phone', (13800000000 + g)::text)) FROM generate_series(1, 100000) AS g" "$db" >/dev/null
	q "VACUUM ANALYZE mycc.identity" "$db"
	q "VACUUM ANALYZE mycc.customer" "$db"
done
cat >/tmp/citus_bench_resolve.sql <<'SQL'
\set n random(1, 100000)
SELECT mycc.resolve('phone', (13800000000 + :n)::text);
SQL
compare_latency resolve /tmp/citus_bench_resolve.sql
# A new address each time: random among 10^12, so that (almost) every
# call adds an identifier rather than finding the link made.
cat >/tmp/citus_bench_link.sql <<'SQL'
\set n random(1, 100000)
\set m random(1, 1000000000000)
SELECT mycc.link('phone', (13800000000 + :n)::text, 'email', 'u' || :m || '@example.com');
SQL
compare_latency link /tmp/citus_bench_link.sql

echo "== claim + finish: 100,000 waiting contacts, 4 agents"
for db in contrib_regression one_server; do
	runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d "$db" >/dev/null <<'SQL'
INSERT INTO mycc.queue (id, name, required_skills, target_answer, is_default) VALUES (1, 'general', '{}', '5 minutes', true);
INSERT INTO mycc.agent (id, name, skills, capacity, status)
SELECT g, 'agent ' || g, '{}', 1, 'available' FROM generate_series(1, 4) AS g;
INSERT INTO mycc.contact (customer_id, id, channel, started_at)
SELECT c.id, c.id, 'phone', now() FROM mycc.customer AS c ORDER BY c.id;
SELECT count(mycc.enqueue(id)) FROM mycc.contact;
SQL
	q "VACUUM ANALYZE mycc.contact" "$db"
	q "VACUUM ANALYZE mycc.contact_queue" "$db"
done
cat >/tmp/citus_bench_claim.sql <<'SQL'
SELECT mycc.next_contact(:client_id + 1) AS k \gset
SELECT mycc.finish(:k, 'resolved');
SQL
compare_latency 'claim + finish' /tmp/citus_bench_claim.sql

echo "== arrival: resolve, a new contact, enqueue"
# New contacts' ids after the claim case's (given by hand).
for db in contrib_regression one_server; do
	q "SELECT setval('mycc.contact_id_seq', (SELECT max(id) FROM mycc.contact))" "$db" >/dev/null
done
cat >/tmp/citus_bench_arrival.sql <<'SQL'
\set n random(1, 100000)
SELECT mycc.resolve('phone', (13800000000 + :n)::text) AS c \gset
INSERT INTO mycc.contact (customer_id, channel) VALUES (:c, 'phone') RETURNING id AS k \gset
SELECT mycc.enqueue(:k);
SQL
compare_latency arrival /tmp/citus_bench_arrival.sql
