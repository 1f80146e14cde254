#!/usr/bin/env bash
# Logical replication of users' tables holding mycc types, to a subscriber
# whose schema came from pg_dump --schema-only (as such subscribers are
# made): the initial table copy and the changes streamed after it must
# arrive unchanged, including a tier and a channel added after install
# (which the subscriber knows from the published mycc.tier_definitions()
# and mycc.channel_definitions()), and decoding must not crash on them.
# Needs wal_level = logical (tools/test.sh starts the server so).  Prints
# one pg_regress-style line.
set -uo pipefail
cd "$(dirname "$0")/.."
name=logical_replication
pub=mycc_lr_pub
sub=mycc_lr_sub

report() {
	printf 'test %-28s ... %s\n' "$name" "$1"
	[ "$1" = ok ]
}

if [ "$(psql -XtA -c 'SHOW wal_level' postgres)" != logical ]; then
	echo "$name: wal_level is not logical; run it under tools/test.sh"
	report FAILED
	exit 1
fi

run() { psql -X -q -v ON_ERROR_STOP=1 -o /dev/null "$@"; }
cleanup() {
	psql -Xq -c "DROP SUBSCRIPTION IF EXISTS mycc_lr" "$sub" >/dev/null 2>&1
	psql -Xq -c "SELECT pg_drop_replication_slot('mycc_lr') FROM pg_replication_slots WHERE slot_name = 'mycc_lr'" postgres >/dev/null 2>&1
	dropdb --if-exists "$sub" 2>/dev/null
	dropdb --if-exists "$pub" 2>/dev/null
}
cleanup
createdb "$pub" && createdb "$sub" || { report FAILED; exit 1; }

fingerprint="SELECT md5(string_agg(format('%s %s %s %s %s %s', id, tier, channel, tags, answers, score), '|' ORDER BY id)) FROM app.account"
status=0
run "$pub" <<'SQL' || status=1
CREATE EXTENSION mycc;
INSERT INTO mycc.tier (name, rank, service_mode, first_response_target) VALUES ('gold', 35, 'instant', '2 minutes');
ALTER TYPE mycc.channel ADD VALUE 'tiktok';
CREATE SCHEMA app;
CREATE TABLE app.account (id int PRIMARY KEY, tier mycc.customer_tier, channel mycc.channel,
	tags mycc.tagset, answers mycc.nps_state, score mycc.nps_score);
INSERT INTO app.account
SELECT g, (ARRAY['gold', 'mid', 'free'])[g % 3 + 1]::mycc.customer_tier, (ARRAY['tiktok', 'phone'])[g % 2 + 1]::mycc.channel,
	format('{vip, "sale %s", 北京}', g % 7)::mycc.tagset, format('(%s,%s,%s)', g % 5, g % 3, g % 2)::mycc.nps_state, (g % 11)::mycc.nps_score
FROM generate_series(1, 1000) AS g;
CREATE PUBLICATION mycc_lr FOR TABLE app.account, mycc.tier;
SELECT 1 FROM pg_create_logical_replication_slot('mycc_lr', 'pgoutput');
SQL
pg_dump --schema-only "$pub" | run "$sub" || status=1
run "$sub" -c "CREATE SUBSCRIPTION mycc_lr CONNECTION 'dbname=$pub host=${PGHOST:-localhost} port=${PGPORT:-5432} user=${PGUSER:-postgres} password=${PGPASSWORD:-}' PUBLICATION mycc_lr WITH (create_slot = false, slot_name = 'mycc_lr')" || status=1

# wait_same: until the subscriber's rows equal the publisher's (60 s at most).
wait_same() {
	local want got
	want=$(psql -XtA -c "$fingerprint" "$pub")
	for _ in $(seq 1 120); do
		got=$(psql -XtA -c "$fingerprint" "$sub" 2>/dev/null)
		[ "$got" = "$want" ] && return 0
		sleep 0.5
	done
	echo "$name: subscriber differs after $1 ($got, not $want)"
	return 1
}
wait_same "the initial copy" || status=1
run "$pub" -c "INSERT INTO app.account VALUES (1001, 'gold', 'tiktok', '{new}', '(1,0,0)', 10)" \
	-c "UPDATE app.account SET tier = 'gold', channel = 'tiktok' WHERE id <= 10" || status=1
wait_same "streamed changes" || status=1
if [ "$(psql -XtA -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender'" postgres)" = 0 ]; then
	echo "$name: no walsender is running (did decoding fail?)"
	status=1
fi
cleanup
[ $status -eq 0 ] && report ok || report FAILED
