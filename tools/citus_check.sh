#!/usr/bin/env bash
# The Citus suite: mycc on a throw-away cluster of one coordinator and two
# workers on loopback (tools/citus_cluster.sh).  Citus is built from
# ../shared/vendor/ (tools/citus_build.sh, once); without that folder the
# suite is skipped with a notice.  Each check prints a pg_regress-style
# line, "test citus/NAME ... ok|FAILED":
#   coexist            mycc and Citus load in one backend (CREATE EXTENSION,
#                      LOAD 'mycc' then a distributed query), on every node
#   aggregates         nps, nps_agg, nps_merge, csat_agg, tag_union and
#                      tagset_agg over a distributed table, pushed down to
#                      the workers, equal a plain table's results
#   the single-server  tests of CITUS_REGRESS below, run on the coordinator
#   tests              after mycc.distribute(), whose output must equal
#                      expected/NAME.out but for what only Citus says (see
#                      normalize)
#   citus_*            the tests in citus/sql: the layout, definitions
#                      (tiers, channels), roles, the business time zone,
#                      adding a worker (the cluster's spare node) and
#                      removing it, and removing mycc (last) on the cluster
#   routing_stress     tools/routing_stress.sh on the cluster, in a database
#                      of its own after mycc.distribute(): 16 clients
#                      claiming, finishing, enqueueing, re-routing and
#                      abandoning at once, then its checks
set -uo pipefail
cd "$(dirname "$0")/.."
export PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
srcdir=$(pwd)

# The single-server tests that apply on the cluster: not those that drop
# or recreate the extension or create databases (install, security,
# upgrade, dump_restore, identity_dump, tagset, troubleshooting), nor those
# that SET ROLE to mycc's NOLOGIN roles (roles: Citus reaches the workers
# as the current user; citus/sql/citus_roles.sql shows the cluster's way),
# nor fuzz (its random calls time out on the cluster's connections).
# nps_daily, bi and docs_examples are left out: they SET mycc.time_zone in
# the session, which Citus does not send to the workers, where the days of
# mycc.survey's rows are cut (docs/scaling.md#time-zones); bi also fills a
# table with INSERT ... VALUES of subqueries over the views, which Citus
# does not plan.
CITUS_REGRESS=(limits nps_score nps nps_stats csat nps_parallel nps_window clients tier tier_value
	tagset_agg tagquery tags_index tags_stats tags_intarray tag_rules identity_normalize identity
	components conversation identity_repair identity_stress identity_undo routing routing_statements
	references staffing)
CITUS_ONLY=(citus_layout citus_definitions citus_roles citus_time_zone citus_add_worker citus_drop)

bash tools/citus_build.sh
case $? in
0) ;;
2) exit 0 ;;
*) printf 'test %-28s ... FAILED\n' citus/build; exit 1 ;;
esac

trap 'bash tools/citus_cluster.sh stop' EXIT
bash tools/citus_cluster.sh start || { printf 'test %-28s ... FAILED\n' citus/cluster; exit 1; }
port=${CITUS_PORT:-5481}
db=contrib_regression

status=0
result() {
	if [ "$2" = ok ]; then
		printf 'test %-28s ... ok\n' "citus/$1"
	else
		printf 'test %-28s ... FAILED\n' "citus/$1"
		status=1
	fi
}
# check NAME SQL EXPECTED: runs SQL as postgres on the coordinator and
# compares its unaligned output with EXPECTED.
check() {
	local name=$1 sql=$2 expected=$3 got
	got=$(runuser -u postgres -- psql -X -q -t -A -v ON_ERROR_STOP=1 -p $port -d $db -c "$sql" 2>&1)
	if [ "$got" = "$expected" ]; then
		result "$name" ok
	else
		result "$name" FAILED
		printf '    expected: %s\n    got:      %s\n' "$expected" "$got" | head -20
	fi
}
psql_c() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p $port -d $db "$@"; }

check coexist \
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
check load_then_query "LOAD 'mycc'; SELECT count(*) FROM answers" "20000"

aggregates="SELECT channel, mycc.nps(score), mycc.nps_agg(score)::text, mycc.csat_agg(rating)::text,
	mycc.tag_union(tags)::text, mycc.nps_merge(mycc.nps_agg(score)) OVER ()::text
	FROM %s GROUP BY channel ORDER BY channel"
plain=$(runuser -u postgres -- psql -X -q -t -A -p $port -d $db -c "$(printf "$aggregates" answers_plain)" 2>&1)
check aggregates \
	"SET citus.coordinator_aggregation_strategy = 'disabled'; $(printf "$aggregates" answers)" "$plain"
psql_c >/dev/null <<'SQL' || status=1
CREATE FUNCTION plan_lines(query text) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE 'EXPLAIN (VERBOSE) ' || query;
END
$$;
SQL
check aggregates_pushed_down \
	"SET citus.coordinator_aggregation_strategy = 'disabled'; SELECT count(*) FILTER (WHERE line LIKE '%worker_partial_agg%') > 0 FROM plan_lines(\$q\$$(printf "$aggregates" answers)\$q\$) AS line" \
	"t"
psql_c -c "DROP FUNCTION plan_lines(text); DROP TABLE answers, answers_plain" >/dev/null || status=1

# A database of mycc moved onto the cluster (moved_answers below): in a
# database of its own, on the coordinator, mycc with answers in a tier and
# a channel of the DBA's ($dba_answers), Citus and its nodes
# ($citus_nodes), and mycc.distribute(), which must bring mycc, the tier
# and the channel to the workers before the rows move.
citus_nodes="SELECT citus_set_coordinator_host('localhost', $port);
SELECT citus_add_node('localhost', $((port + 1)));
SELECT citus_add_node('localhost', $((port + 2)));"
dba_answers="INSERT INTO mycc.tier (name, aliases, rank, service_mode, first_response_target)
VALUES ('gold', '{黄金}', 42, 'dedicated', '45 seconds');
ALTER TYPE mycc.channel ADD VALUE 'kakao';
INSERT INTO mycc.survey (customer_id, channel, tier, nps, csat)
SELECT c, (ARRAY['kakao', 'phone'])[1 + c % 2]::mycc.channel, (ARRAY['gold', 'low', 'free'])[1 + c % 3]::mycc.customer_tier,
	c % 11, 1 + c % 5
FROM generate_series(1, 3000) AS c;
CREATE TABLE answers_before AS
SELECT channel::text, tier::text, count(*), mycc.nps_agg(nps)::text, mycc.csat_agg(csat)::text FROM mycc.survey GROUP BY 1, 2;"
# moved_answers NAME DATABASE SQL: the database on every node, SQL run on
# the coordinator (with $dba_answers and $citus_nodes in it, then
# mycc.distribute()), then the check: mycc at the version installed, the
# answers distributed, all there with the same aggregates, and both
# workers knowing the tier and the channel.
moved_answers() {
	local name=$1 database=$2 sql=$3
	bash tools/citus_cluster.sh workers_database "$database" || status=1
	runuser -u postgres -- createdb -p $port "$database" || status=1
	runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p $port -d "$database" >/dev/null <<<"SET client_min_messages = error;
$sql
SELECT * FROM mycc.distribute();" || status=1
	db=$database check "$name" \
		"SELECT e.extversion = v.default_version,
			(SELECT count(*) FROM pg_dist_partition WHERE logicalrelid = 'mycc.survey'::regclass),
			(SELECT count(*) FROM mycc.survey),
			(SELECT count(*) FROM (SELECT channel::text, tier::text, count(*), mycc.nps_agg(nps)::text, mycc.csat_agg(csat)::text
				FROM mycc.survey GROUP BY 1, 2 EXCEPT SELECT * FROM answers_before) AS changed),
			(SELECT count(*) = 2 AND bool_and(success AND result = e.extversion || ' gold kakao')
			FROM run_command_on_workers(\$\$SELECT extversion || ' ' || '黄金'::mycc.customer_tier || ' ' || 'kakao'::mycc.channel
				FROM pg_extension WHERE extname = 'mycc'\$\$))
		FROM pg_extension AS e, pg_available_extensions AS v WHERE e.extname = 'mycc' AND v.name = 'mycc'" \
		"t|1|3000|0|t"
}
# One server first, then Citus (docs/scaling.md#one-server-first); with
# Citus installed but no nodes yet, mycc works as on one server and
# mycc.distribute() asks for the nodes.
moved_answers one_server_first mycc_convert "CREATE EXTENSION mycc;
$dba_answers
CREATE EXTENSION citus;
SELECT mycc.resolve('phone', '+8613800138000');
SELECT mycc.customer_root(mycc.lookup('phone', '+8613800138000')), (mycc.tier_policy('gold')).name, mycc.route('{vip}');
DO \$\$ BEGIN
	PERFORM mycc.distribute();
	RAISE EXCEPTION 'distribute() ran without nodes';
EXCEPTION WHEN object_not_in_prerequisite_state THEN
	IF SQLERRM NOT LIKE '%has no nodes yet' THEN RAISE; END IF;
END \$\$;
$citus_nodes"
# An upgrade on the cluster (docs/scaling.md#upgrades): the last release
# of mycc created on a Citus coordinator (Citus creates it on the
# workers), the DBA's answers, ALTER EXTENSION mycc UPDATE on the
# coordinator (Citus runs it on the workers), then mycc.distribute().
last_release=$(ls released/mycc--*.sql | sed -E 's/.*mycc--(.*)\.sql/\1/' | sort -V | tail -1)
moved_answers "upgrade_from_$last_release" mycc_upgrade_cluster "CREATE EXTENSION citus;
$citus_nodes
CREATE EXTENSION mycc VERSION '$last_release';
$dba_answers
ALTER EXTENSION mycc UPDATE;"

# A tier published before the workers could see it (as on a server that
# had mycc before Citus), then the supported layout, then the tests.
psql_c >/dev/null <<'SQL' || { result distribute FAILED; exit 1; }
SET citus.enable_ddl_propagation = off;
UPDATE mycc.tier SET aliases = aliases WHERE name = 'low';
RESET citus.enable_ddl_propagation;
SELECT * FROM mycc.distribute();
SQL

out=build/citus_regress
rm -rf "$out"
mkdir -p "$out"
pg_regress() {
	(cd "$out" && PG_ABS_SRCDIR=$srcdir "$($PG_CONFIG --pgxs | xargs dirname)/../test/regress/pg_regress" \
		--use-existing --dbname=$db --user=postgres --host=localhost --port=$port \
		--bindir="$($PG_CONFIG --bindir)" --outputdir=. "$@") >"$out/pg_regress.log" 2>&1
}

# What only Citus says, on either side: its notices about objects it does
# not propagate (the tests' pg_temp helper functions), the worker a
# message came from, the shard a message names (a relation's or a
# constraint's name with the shard id), and the failing row as the
# worker's session prints it.
normalize() {
	sed -E -e '/WARNING:  "function pg_temp_[0-9]+\..*" has dependency on unsupported object/d' \
		-e '/^DETAIL:  "function pg_temp_[0-9]+\..*" will be created only locally$/d' \
		-e '/^CONTEXT:  while executing command on localhost:[0-9]+$/d' \
		-e '/^DETAIL:  Failing row contains /d' \
		-e 's/((relation|constraint) "[a-z_]+)_1[0-9]{5}"/\1"/' "$1"
}
pg_regress --inputdir="$srcdir" "${CITUS_REGRESS[@]}"
for t in "${CITUS_REGRESS[@]}"; do
	if [ -f "$out/results/$t.out" ] && diff -u <(normalize "expected/$t.out") <(normalize "$out/results/$t.out") >>"$out/normalized.diffs"; then
		result "$t" ok
	else
		result "$t" FAILED
	fi
done
CITUS_SPARE_PORT=$((port + 3)) pg_regress --inputdir="$srcdir/citus" "${CITUS_ONLY[@]}"
for t in "${CITUS_ONLY[@]}"; do
	if [ -f "$out/results/$t.out" ] && diff -u "citus/expected/$t.out" "$out/results/$t.out" >>"$out/normalized.diffs"; then
		result "$t" ok
	else
		result "$t" FAILED
	fi
done
[ $status -eq 0 ] || echo "citus: differences in $out/normalized.diffs"
# Routing under concurrency on the cluster (the routing log distributed):
# tools/routing_stress.sh in a database of its own.
if bash tools/citus_cluster.sh database mycc_routing_stress; then
	PGHOST=localhost PGPORT=$port PGUSER=postgres ROUTING_STRESS_CITUS=mycc_routing_stress \
		bash tools/routing_stress.sh || status=1
else
	result routing_stress FAILED
fi
# A worker down (last: it breaks the coordinator's cached connections to
# it): mycc.distribute() fails with 55000 naming the worker, and the answers
# stay on the coordinator, whole; with the worker back, it distributes them.
down=mycc_worker_down
down_worker=mycc_citus_$((port + 2))
bash tools/citus_cluster.sh workers_database $down || status=1
runuser -u postgres -- createdb -p $port $down || status=1
runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p $port -d $down >/dev/null <<<"SET client_min_messages = error;
CREATE EXTENSION mycc;
$dba_answers
CREATE EXTENSION citus;
$citus_nodes" || status=1
pg_ctlcluster 15 $down_worker stop -m fast || status=1
db=$down check worker_down \
	"DO \$\$ BEGIN
		PERFORM mycc.distribute();
		RAISE EXCEPTION 'distribute() ran with a worker down';
	EXCEPTION WHEN object_not_in_prerequisite_state THEN
		IF SQLERRM <> 'could not create mycc on the Citus workers' THEN RAISE; END IF;
	END \$\$;
	SELECT (SELECT count(*) FROM pg_dist_partition), (SELECT count(*) FROM mycc.survey)" \
	"0|3000"
pg_ctlcluster 15 $down_worker start || status=1
db=$down check worker_back \
	"SELECT count(*) > 0 FROM mycc.distribute();
	SELECT (SELECT count(*) FROM pg_dist_partition), (SELECT count(*) FROM mycc.survey),
		(SELECT count(*) FROM (SELECT channel::text, tier::text, count(*), mycc.nps_agg(nps)::text, mycc.csat_agg(csat)::text
			FROM mycc.survey GROUP BY 1, 2 EXCEPT SELECT * FROM answers_before) AS changed)" \
	"t
2|3000|0"
exit $status
