#!/usr/bin/env bash
# A throw-away Citus cluster on loopback for the Citus suite and the Citus
# bench: one coordinator and two workers (ports CITUS_PORT, default 5481,
# and the next two; trust authentication), Citus preloaded, the workers
# added to the coordinator, mycc created in database contrib_regression;
# and a spare node (the port after them) with Citus in its databases but
# not added, for the suite's test of adding a worker (citus_add_worker).
# Time zone, date style and locale are those pg_regress gives its
# sessions: a worker's messages and values (its connections do not carry
# the coordinator session's settings) then read as one server's.
# Usage: tools/citus_cluster.sh start | stop | database NAME | workers_database NAME
# (database: on the running cluster, one more database set up the same way:
# Citus on every node, the workers added, mycc created on the coordinator;
# workers_database: that database on the workers and the spare only.)
set -uo pipefail
# Ports: CITUS_PORT (default 5481) and the next three (the last: the spare).
base=${CITUS_PORT:-5481}
ports=($base $((base + 1)) $((base + 2)) $((base + 3)))
names=(mycc_citus_${ports[0]} mycc_citus_${ports[1]} mycc_citus_${ports[2]} mycc_citus_${ports[3]})
# The database: the name pg_regress and the tests' own pgbench runs use.
db=contrib_regression

stop() {
	for n in "${names[@]}"; do
		pg_ctlcluster 15 "$n" stop -m immediate >/dev/null 2>&1 || true
		pg_dropcluster 15 "$n" >/dev/null 2>&1 || true
	done
}

start() {
	stop
	for i in 0 1 2 3; do
		pg_createcluster -q 15 "${names[$i]}" -p "${ports[$i]}" \
			-o shared_preload_libraries=citus -o max_connections=100 \
			-o citus.node_conninfo=sslmode=disable -o max_prepared_transactions=100 \
			-o timezone=PST8PDT -o "datestyle=Postgres, MDY" -o lc_messages=C \
			-- --auth=trust --no-locale --encoding=UTF8 >/dev/null \
			&& pg_ctlcluster 15 "${names[$i]}" start || return 1
	done
	database "$db"
}

# workers_database NAME: the database on every node but the coordinator,
# Citus in each (the coordinator's is the caller's to make).
workers_database() {
	local name=$1 port
	for port in "${ports[@]:1}"; do
		runuser -u postgres -- createdb -p "$port" "$name" || return 1
		runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d "$name" \
			-c "CREATE EXTENSION citus" >/dev/null || return 1
	done
}

# database NAME: the database on every node, Citus in each, the workers
# (not the spare) added to the coordinator's, mycc created there.
database() {
	local name=$1
	workers_database "$name" || return 1
	runuser -u postgres -- createdb -p "${ports[0]}" "$name" || return 1
	runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "${ports[0]}" -d "$name" >/dev/null <<SQL
CREATE EXTENSION citus;
SELECT citus_set_coordinator_host('localhost', ${ports[0]});
SELECT citus_add_node('localhost', ${ports[1]});
SELECT citus_add_node('localhost', ${ports[2]});
CREATE EXTENSION mycc;
SQL
}

case ${1:-} in
start) start ;;
stop) stop ;;
database) database "${2:?usage: $0 database NAME}" ;;
workers_database) workers_database "${2:?usage: $0 workers_database NAME}" ;;
*) echo "usage: $0 start | stop | database NAME | workers_database NAME" >&2; exit 2 ;;
esac
