#!/usr/bin/env bash
# The Citus suite: mycc beside Citus on a throw-away cluster of one
# coordinator and two workers on loopback (ports 5481-5483), each with
# shared_preload_libraries = citus.  Citus is built from ../shared/vendor/
# (tools/citus_build.sh, once); without that folder the suite is skipped
# with a notice.  Each check prints a pg_regress-style line:
#   citus_coexist     mycc and Citus load in one backend (CREATE EXTENSION,
#                     LOAD 'mycc' then a distributed query), on every node
#   citus_aggregates  nps, nps_agg, nps_merge, csat_agg, tag_union and
#                     tagset_agg over a distributed table, pushed down to the
#                     workers, equal a plain table's results
set -uo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}

bash tools/citus_build.sh
case $? in
0) ;;
2) exit 0 ;;
*) printf 'test %-28s ... FAILED\n' citus_build; exit 1 ;;
esac

ports=(5481 5482 5483)
names=(mycc_citus_c mycc_citus_w1 mycc_citus_w2)
stop_all() {
	for n in "${names[@]}"; do
		pg_dropcluster --stop 15 "$n" >/dev/null 2>&1 || true
	done
}
stop_all
trap stop_all EXIT
for i in 0 1 2; do
	pg_createcluster -q 15 "${names[$i]}" -p "${ports[$i]}" \
		-o shared_preload_libraries=citus -o max_connections=60 -o citus.node_conninfo=sslmode=disable \
		-- --auth=trust >/dev/null \
		&& pg_ctlcluster 15 "${names[$i]}" start || { printf 'test %-28s ... FAILED\n' citus_cluster; exit 1; }
done

status=0
# check NAME SQL EXPECTED: runs SQL as postgres on the coordinator and
# compares its unaligned output with EXPECTED.
check() {
	local name=$1 sql=$2 expected=$3 got
	got=$(runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 -p "${ports[0]}" -d postgres -c "$sql" 2>&1)
	if [ "$got" = "$expected" ]; then
		printf 'test %-28s ... ok\n' "$name"
	else
		printf 'test %-28s ... FAILED\n' "$name"
		printf '    expected: %s\n    got:      %s\n' "$expected" "$got" | head -20
		status=1
	fi
}
psql_c() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "${ports[0]}" -d postgres "$@"; }

for port in "${ports[@]:1}"; do
	runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres -c "CREATE EXTENSION citus" >/dev/null || status=1
done
psql_c >/dev/null <<SQL || status=1
CREATE EXTENSION citus;
SELECT citus_set_coordinator_host('localhost', ${ports[0]});
SELECT citus_add_node('localhost', ${ports[1]});
SELECT citus_add_node('localhost', ${ports[2]});
CREATE EXTENSION mycc;
SQL

check citus_coexist \
	"SELECT (SELECT count(*) FROM citus_get_active_worker_nodes()),
		(SELECT string_agg(result, ',') FROM run_command_on_workers(\$\$SELECT extversion FROM pg_extension WHERE extname = 'mycc'\$\$)) = (SELECT extversion || ',' || extversion FROM pg_extension WHERE extname = 'mycc')" \
	"2|t"

psql_c >/dev/null <<'SQL' || status=1
CREATE TABLE answers (customer_id bigint NOT NULL, channel text, score mycc.nps_score, rating int, tags mycc.tagset);
SELECT create_distributed_table('answers', 'customer_id');
INSERT INTO answers
SELECT g, (ARRAY['phone', 'wechat', 'email'])[g % 3 + 1], ((g * 7) % 11)::mycc.nps_score, 1 + (g * 3) % 5,
	format('{vip:%s, "sale %s", 北京}', g % 2, g % 5)::mycc.tagset
FROM generate_series(1, 20000) AS g;
CREATE TABLE answers_plain AS SELECT * FROM answers;
SQL

# A fresh session that loads mycc before touching a distributed table.
check citus_load_then_query \
	"LOAD 'mycc'; SELECT count(*) FROM answers" "20000"

aggregates="SELECT channel, mycc.nps(score), mycc.nps_agg(score)::text, mycc.csat_agg(rating)::text,
	mycc.tag_union(tags)::text, mycc.nps_merge(mycc.nps_agg(score)) OVER ()::text
	FROM %s GROUP BY channel ORDER BY channel"
plain=$(runuser -u postgres -- psql -X -q -t -A -p "${ports[0]}" -d postgres -c "$(printf "$aggregates" answers_plain)" 2>&1)
check citus_aggregates \
	"SET citus.coordinator_aggregation_strategy = 'disabled'; $(printf "$aggregates" answers)" "$plain"
psql_c >/dev/null <<'SQL' || status=1
CREATE FUNCTION plan_lines(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (VERBOSE) ' || query;
END
$$;
SQL
check citus_aggregates_pushed_down \
	"SET citus.coordinator_aggregation_strategy = 'disabled'; SELECT count(*) FILTER (WHERE line LIKE '%worker_partial_agg%') > 0 FROM plan_lines(\$q\$$(printf "$aggregates" answers)\$q\$) AS line" \
	"t"

exit $status
