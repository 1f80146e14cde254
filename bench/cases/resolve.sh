#!/usr/bin/env bash
# bench/cases/resolve.sh: identifier resolution throughput (issue 5), run
# by bench/driver.sh with BENCH_SMALL, BENCH_RUNS and the PG* variables of
# the throw-away cluster.
#
# pgbench, 8 clients, -j 2, -M prepared; one statement per transaction,
# phone numbers written as 11 national digits (13800000001):
#   creating  every call resolves a phone number never seen: each client
#             counts through its own range (a pgbench variable kept from
#             one transaction to the next), so every call creates a
#             customer; 1,250 calls per client (400 with --small);
#   found     every call resolves a random one of N pre-filled phone
#             numbers (100,000, 10,000 with --small); 2,500 calls per
#             client (800);
#   link      every call links a pre-filled phone number and a pre-filled
#             e-mail address of two different customers (disjoint pairs,
#             fresh in every run), so every call merges two customers of
#             one identifier each (no guard applies: one phone and one
#             e-mail per customer); 400 calls per client (160).
# mycc:      mycc.resolve('phone', v) (normalises to E.164, looks up,
#            creates the customer and the identifier, the identifier's
#            primary key making a concurrent creator of the same identifier
#            wait and answer with the first's customer); mycc.link(...).
# baseline:  plain tables plain_customer (id, created_at, merged_into) and
#            plain_identity (kind, value, customer_id, primary key (kind,
#            value), an index on customer_id): find-or-create in one
#            statement (WITH found AS (SELECT ...), new customer INSERT ...
#            WHERE NOT EXISTS found, identity INSERT ... ON CONFLICT DO
#            NOTHING, SELECT found UNION ALL inserted), storing the value
#            as given: no normalisation, and not safe against a concurrent
#            creator of the same identifier (the loser gets no row and
#            leaves a customer without identifier; never the case here).
#            Link: one statement that points the younger customer's
#            identifiers at the older and marks it merged (no guards, no
#            merge log, no tier, value or tags, no lock order).
# floor:     a trivial SELECT of the pgbench variable, one round trip (its
#            checks pass with first = before = 0).
# Every script checks every call's customer (a client stops on a wrong or
# NULL answer, and the run fails): creating, a customer newer than the
# run; found, the pre-filled customer of that number; link, the older
# customer of the pair.  After every run, in the tables: creating, as many
# new customers as calls, each owning exactly one of the run's numbers;
# found, no customer or identifier created; link, every pair of the run
# answering as one customer and as many merges as calls (for mycc: no
# refused link in mycc.identity_conflict).  The answers compared with the
# baseline's: creating, the number of the run's identifiers with a new
# customer of their own; found, the number of pre-filled identifiers still
# owned by their customer; link, the number of the run's pairs answering
# as one customer.  The table's "ms" is pgbench's wall time for the calls
# (calls / tps, without connection time); tps are in the notes.
set -euo pipefail
cd "$(dirname "$0")/../.."
. bench/lib.sh

small=${BENCH_SMALL:-off}
runs=${BENCH_RUNS:-7}
clients=8
# Calls per client: enough that the baseline's and the floor's runs last
# more than a few milliseconds.
if [ "$small" = on ]; then
	nfill=10000; per_client=400; found_per_client=800; link_per_client=160
else
	nfill=100000; per_client=1250; found_per_client=2500; link_per_client=400
fi
# Link pairs: fresh ones for every run, the warm-up included.
npairs=$(((runs + 1) * clients * link_per_client))
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== setup: $nfill phone numbers, $npairs link pairs, on both sides"
# The same customers and identifiers for mycc and for the baseline, loaded
# directly (not through resolve): pre-filled number k (13800000000 + k)
# belongs to customer first + k; link pair p has its phone number
# (13700000000 + p) with customer link_first + p and its e-mail address
# ('u' || p || '@example.com') with customer link_first + npairs + p, a
# younger one.
psql_q -v nfill="$nfill" -v npairs="$npairs" <<'SQL'
BEGIN;
CREATE TABLE resolve_bench (side text PRIMARY KEY, first bigint NOT NULL, link_first bigint NOT NULL);
INSERT INTO resolve_bench
SELECT 'mycc', m, m + :nfill FROM (SELECT greatest((SELECT max(id) FROM mycc.customer), nextval('mycc.customer_id_seq')) AS m) s;
SELECT setval('mycc.customer_id_seq', link_first + 2 * :npairs) FROM resolve_bench;
INSERT INTO mycc.customer (id)
SELECT first + k FROM resolve_bench, generate_series(1, :nfill + 2 * :npairs) AS k;
INSERT INTO mycc.identity (kind, value, customer_id, source)
SELECT 'phone', '+86' || (13800000000 + k), first + k, 'bench' FROM resolve_bench, generate_series(1, :nfill) AS k
UNION ALL
SELECT 'phone', '+86' || (13700000000 + p), link_first + p, 'bench' FROM resolve_bench, generate_series(1, :npairs) AS p
UNION ALL
SELECT 'email', 'u' || p || '@example.com', link_first + :npairs + p, 'bench' FROM resolve_bench, generate_series(1, :npairs) AS p;

-- The baseline: what a user writes without mycc.
CREATE TABLE plain_customer (
	id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	created_at timestamptz NOT NULL DEFAULT now(),
	merged_into bigint
);
CREATE TABLE plain_identity (
	kind text NOT NULL,
	value text NOT NULL,
	customer_id bigint NOT NULL,
	PRIMARY KEY (kind, value)
);
CREATE INDEX plain_identity_customer_idx ON plain_identity (customer_id);
INSERT INTO resolve_bench VALUES ('plain', 0, :nfill);
INSERT INTO plain_customer (id) SELECT k FROM generate_series(1, :nfill + 2 * :npairs) AS k;
SELECT setval(pg_get_serial_sequence('plain_customer', 'id'), :nfill + 2 * :npairs);
INSERT INTO plain_identity (kind, value, customer_id)
SELECT 'phone', (13800000000 + k)::text, k FROM generate_series(1, :nfill) AS k
UNION ALL
SELECT 'phone', (13700000000 + p)::text, :nfill + p FROM generate_series(1, :npairs) AS p
UNION ALL
SELECT 'email', 'u' || p || '@example.com', :nfill + :npairs + p FROM generate_series(1, :npairs) AS p;
COMMIT;
VACUUM (FREEZE, ANALYZE) mycc.customer, mycc.identity, plain_customer, plain_identity;
SELECT pg_prewarm(r) FROM unnest(ARRAY['mycc.customer', 'mycc.identity', 'mycc.identity_pkey',
	'plain_customer', 'plain_identity', 'plain_identity_pkey']::regclass[]) AS r;
SQL
psql_q -c "SELECT bench.note_table('resolve', 'mycc.identity', (SELECT count(*) FROM mycc.identity))" \
	-c "SELECT bench.note_table('resolve', 'plain_identity', (SELECT count(*) FROM plain_identity))" >/dev/null

# The checks, as functions of a side (mycc or plain).
psql_q <<'SQL'
-- A side's state before a run: {last customer id, identifiers, merged
-- customers, refused links}.
CREATE FUNCTION bench.resolve_state(side text) RETURNS bigint[]
LANGUAGE sql AS $$
	SELECT CASE WHEN side = 'mycc' THEN ARRAY[
		(SELECT max(id) FROM mycc.customer), (SELECT count(*) FROM mycc.identity),
		(SELECT count(*) FROM mycc.customer WHERE merged_into IS NOT NULL),
		(SELECT count(*) FROM mycc.identity_conflict)]
	ELSE ARRAY[
		(SELECT max(id) FROM plain_customer), (SELECT count(*) FROM plain_identity),
		(SELECT count(*) FROM plain_customer WHERE merged_into IS NOT NULL), 0] END
$$;

-- Checks a run of a section on a side against its state before: returns
-- the answer compared with the other side's, a bar, and the problems
-- found (empty when none).  base: the number (creating) or pair (link)
-- before the run's first; clients and nfill: the case's.
CREATE FUNCTION bench.resolve_check(section text, side text, before bigint[], txns bigint, base bigint,
									clients integer, nfill integer)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	after bigint[] := bench.resolve_state(side);
	s resolve_bench;
	prefix text := CASE WHEN side = 'mycc' THEN '+86' ELSE '' END;
	answer bigint;
	problems text[] := '{}';
	n bigint;
	n_distinct bigint;
	n_old bigint;
BEGIN
	SELECT * INTO s FROM resolve_bench AS b WHERE b.side = resolve_check.side;
	IF section = 'creating' THEN
		-- The run's numbers: base + client * 1,000,000 + 1 .. n, 11 digits.
		SELECT count(*), count(DISTINCT customer_id), count(*) FILTER (WHERE customer_id <= before[1]),
			count(DISTINCT customer_id) FILTER (WHERE customer_id > before[1])
		INTO n, n_distinct, n_old, answer
		FROM (SELECT customer_id FROM mycc.identity
			  WHERE side = 'mycc' AND kind = 'phone' AND value BETWEEN prefix || (base + 1) AND prefix || (base + clients * 1000000)
			  UNION ALL
			  SELECT customer_id FROM plain_identity
			  WHERE side = 'plain' AND kind = 'phone' AND value BETWEEN prefix || (base + 1) AND prefix || (base + clients * 1000000)) AS i;
		IF n <> txns THEN problems := problems || format('%s identifiers, not %s', n, txns); END IF;
		IF n_distinct <> n THEN problems := problems || 'identifiers sharing a customer'; END IF;
		IF n_old > 0 THEN problems := problems || format('%s identifiers given to older customers', n_old); END IF;
		IF after[1] - before[1] <> txns THEN
			problems := problems || format('%s customers created, not %s', after[1] - before[1], txns);
		END IF;
		IF after[2] - before[2] <> txns THEN
			problems := problems || format('%s identifiers created, not %s', after[2] - before[2], txns);
		END IF;
	ELSIF section = 'found' THEN
		-- Pre-filled number k belongs to customer first + k.
		SELECT count(*) INTO answer
		FROM (SELECT value, customer_id FROM mycc.identity
			  WHERE side = 'mycc' AND kind = 'phone' AND value BETWEEN prefix || 13800000001 AND prefix || (13800000000 + nfill)
			  UNION ALL
			  SELECT value, customer_id FROM plain_identity
			  WHERE side = 'plain' AND kind = 'phone' AND value BETWEEN prefix || 13800000001 AND prefix || (13800000000 + nfill)) AS i
		WHERE customer_id = s.first + (substr(value, length(prefix) + 1)::bigint - 13800000000);
		IF after[1] <> before[1] THEN problems := problems || format('%s customers created', after[1] - before[1]); END IF;
		IF after[2] <> before[2] THEN problems := problems || format('%s identifiers created', after[2] - before[2]); END IF;
	ELSIF section = 'link' THEN
		-- Pair p: phone number 13700000000 + p of customer link_first + p,
		-- which survives, and e-mail address 'u' || p || '@example.com';
		-- for mycc the customer an identifier answers as is its
		-- customer's root (what mycc.lookup returns).
		IF side = 'mycc' THEN
			SELECT count(*) INTO answer
			FROM generate_series(base + 1, base + txns) AS p
			JOIN mycc.identity AS ph ON ph.kind = 'phone' AND ph.value = '+86' || (13700000000 + p)
			JOIN mycc.customer AS phc ON phc.id = ph.customer_id
			JOIN mycc.identity AS e ON e.kind = 'email' AND e.value = 'u' || p || '@example.com'
			JOIN mycc.customer AS ec ON ec.id = e.customer_id
			WHERE coalesce(phc.root_id, phc.id) = s.link_first + p AND coalesce(ec.root_id, ec.id) = s.link_first + p;
		ELSE
			SELECT count(*) INTO answer
			FROM generate_series(base + 1, base + txns) AS p
			JOIN plain_identity AS ph ON ph.kind = 'phone' AND ph.value = (13700000000 + p)::text
			JOIN plain_identity AS e ON e.kind = 'email' AND e.value = 'u' || p || '@example.com'
			WHERE ph.customer_id = s.link_first + p AND e.customer_id = s.link_first + p;
		END IF;
		IF answer <> txns THEN problems := problems || format('%s pairs answering as one customer, not %s', answer, txns); END IF;
		IF after[3] - before[3] <> txns THEN
			problems := problems || format('%s customers merged, not %s', after[3] - before[3], txns);
		END IF;
		IF after[4] <> before[4] THEN problems := problems || format('%s links refused', after[4] - before[4]); END IF;
		IF after[1] <> before[1] OR after[2] <> before[2] THEN problems := problems || 'customers or identifiers created'; END IF;
	ELSE
		RAISE EXCEPTION 'unknown section "%"', section;
	END IF;
	RETURN answer || '|' || array_to_string(problems, '; ');
END
$$;
SQL

# The scripts.  creating: the number is base + client * 1,000,000 + n, n
# counting from 1 (-D n=0), base fresh for every run.
cat >"$work/creating_mycc.sql" <<'PGB'
\set n :n + 1
\set v :base + :client_id * 1000000 + :n
SELECT mycc.resolve('phone', :v) AS c \gset
\if :c <= :before
\set wrong_customer 1 / 0
\endif
PGB
cat >"$work/creating_plain.sql" <<'PGB'
\set n :n + 1
\set v :base + :client_id * 1000000 + :n
WITH found AS (SELECT customer_id FROM plain_identity WHERE kind = 'phone' AND value = :v), new_customer AS (INSERT INTO plain_customer (created_at) SELECT now() WHERE NOT EXISTS (SELECT FROM found) RETURNING id), inserted AS (INSERT INTO plain_identity (kind, value, customer_id) SELECT 'phone', :v, id FROM new_customer ON CONFLICT DO NOTHING RETURNING customer_id) SELECT customer_id AS c FROM found UNION ALL SELECT customer_id FROM inserted \gset
\if :c <= :before
\set wrong_customer 1 / 0
\endif
PGB
cat >"$work/creating_floor.sql" <<'PGB'
\set n :n + 1
\set v :base + :client_id * 1000000 + :n
SELECT :v AS c \gset
\if :c <= :before
\set wrong_customer 1 / 0
\endif
PGB
# found: number k of the pre-filled ones, customer first + k.
cat >"$work/found_mycc.sql" <<'PGB'
\set k random(1, :nfill)
\set v 13800000000 + :k
SELECT mycc.resolve('phone', :v) AS c \gset
\if :c != :first + :k
\set wrong_customer 1 / 0
\endif
PGB
# The baseline's statement is creating's find-or-create.
sed -n '1,2p' "$work/found_mycc.sql" >"$work/found_plain.sql"
sed -n '3p' "$work/creating_plain.sql" >>"$work/found_plain.sql"
sed -n '4,$p' "$work/found_mycc.sql" >>"$work/found_plain.sql"
cat >"$work/found_floor.sql" <<'PGB'
\set k random(1, :nfill)
\set v 13800000000 + :k
SELECT :k AS c \gset
\if :c != :first + :k
\set wrong_customer 1 / 0
\endif
PGB
# link: pair p = base + client * per_client + n; the survivor is the
# phone number's customer, link_first + p.
cat >"$work/link_mycc.sql" <<'PGB'
\set n :n + 1
\set p :base + :client_id * :per_client + :n
\set v 13700000000 + :p
SELECT mycc.link('phone', :v, 'email', 'u' || :p || '@example.com') AS c \gset
\if :c != :first + :p
\set wrong_customer 1 / 0
\endif
PGB
cat >"$work/link_plain.sql" <<'PGB'
\set n :n + 1
\set p :base + :client_id * :per_client + :n
\set v 13700000000 + :p
WITH a AS (SELECT customer_id FROM plain_identity WHERE kind = 'phone' AND value = :v), b AS (SELECT customer_id FROM plain_identity WHERE kind = 'email' AND value = 'u' || :p || '@example.com'), pair AS (SELECT least(a.customer_id, b.customer_id) AS keep, greatest(a.customer_id, b.customer_id) AS gone FROM a, b), moved AS (UPDATE plain_identity AS i SET customer_id = pair.keep FROM pair WHERE i.customer_id = pair.gone AND pair.gone <> pair.keep), merged AS (UPDATE plain_customer AS x SET merged_into = pair.keep FROM pair WHERE x.id = pair.gone AND pair.gone <> pair.keep) SELECT keep AS c FROM pair \gset
\if :c != :first + :p
\set wrong_customer 1 / 0
\endif
PGB
cat >"$work/link_floor.sql" <<'PGB'
\set n :n + 1
\set p :base + :client_id * :per_client + :n
\set v 13700000000 + :p
SELECT :p AS c \gset
\if :c != :first + :p
\set wrong_customer 1 / 0
\endif
PGB

sections=(creating found link)
declare -A section_name=(
	[creating]="pgbench, 8 clients, creating"
	[found]="pgbench, 8 clients, found"
	[link]="pgbench, 8 clients, link"
)
declare -A calls_per_client=([creating]=$per_client [found]=$found_per_client [link]=$link_per_client)
for s in "${sections[@]}"; do
	for label in mycc plain floor; do
		bench_script resolve "${section_name[$s]}" "$label" "$work/${s}_$label.sql"
	done
done

failed=0
for s in "${sections[@]}"; do
	section=${section_name[$s]}
	per=${calls_per_client[$s]}
	txns=$((clients * per))
	for run in $(seq 0 "$runs"); do
		# Fresh numbers (creating) or pairs (link) for every run; the
		# same random numbers (found) for the three scripts of a run.
		case $s in
			creating) base=$((13900000000 + run * 10000000)) ;;
			link) base=$((run * txns)) ;;
			*) base=0 ;;
		esac
		for side in mycc plain floor; do
			vars=(-D n=0 -D base="$base" -D per_client="$per" -D nfill="$nfill" --random-seed=$((run + 1)))
			if [ "$side" = floor ]; then
				vars+=(-D before=0 -D first=0)
			else
				# Links leave dead rows behind; the other sections only add
				# (creating) or read.
				if [ "$s" = link ]; then
					psql_q -c "VACUUM $([ "$side" = mycc ] && echo mycc.customer, mycc.identity || echo plain_customer, plain_identity)"
				fi
				# The side's state before the run, and the id the script
				# adds to k (found) or p (link).
				state=$(psql_q -At -v side="$side" -v s="$s" <<<"
					SELECT bench.resolve_state(side)::text || '|' || CASE WHEN :'s' = 'link' THEN link_first ELSE first END
					FROM resolve_bench WHERE side = :'side'")
				before=${state%%|*}
				vars+=(-D before="$(sed 's/^{\([0-9]*\),.*/\1/' <<<"$before")" -D first="${state#*|}")
			fi
			bench_pgbench "resolve: $s, $side" "$clients" "$per" "${vars[@]}" -f "$work/${s}_$side.sql"
			if [ "$side" = floor ]; then
				check="$txns|"
			else
				check=$(psql_q -At -v s="$s" -v side="$side" -v before="$before" -v txns="$txns" -v base="$base" \
					-v clients="$clients" -v nfill="$nfill" \
					<<<"SELECT bench.resolve_check(:'s', :'side', :'before', :txns, :base, :clients, :nfill)")
			fi
			bench_result resolve "$section" "$side" "$run" "$txns" "$tps" "$check" \
				"resolve: $s, $side, run $run" || failed=1
		done
	done
done

# One row per section, no target (issue 5 sets none for throughput).
thousands() {
	sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1"
}
declare -A row_label=(
	[creating]="resolve, 8 clients, new phone numbers: mycc.resolve vs find-or-create in one statement (ms for $(thousands $((clients * per_client))) calls, each creating a customer)"
	[found]="resolve, 8 clients, known phone numbers (random of $(thousands "$nfill")): mycc.resolve vs the same find-or-create (ms for $(thousands $((clients * found_per_client))) calls)"
	[link]="link, 8 clients, two customers of one identifier each: mycc.link vs one UPDATE of the identifiers (ms for $(thousands $((clients * link_per_client))) links, each merging)"
)
for s in "${sections[@]}"; do
	psql_q -v s="${section_name[$s]}" -v l="${row_label[$s]}" -v txns="$((clients * ${calls_per_client[$s]}))" <<'SQL'
SELECT bench.report('resolve', :'s', :'l', 'mycc', 'plain', 'floor', :txns);
INSERT INTO bench.notes (case_name, note)
SELECT 'resolve', format('%s: median tps mycc %s, baseline %s, floor %s (tps = %s / median ms x 1000)', :'s',
	bench.fmt_tps('resolve', :'s', 'mycc', :txns), bench.fmt_tps('resolve', :'s', 'plain', :txns),
	bench.fmt_tps('resolve', :'s', 'floor', :txns), :txns);
SQL
done

psql_q <<SQL
INSERT INTO bench.notes (case_name, note) VALUES ('resolve',
	'$(thousands "$nfill") pre-filled phone numbers and $(thousands "$npairs") link pairs on each side, pgbench -M prepared -j 2, one call per transaction; the baseline stores numbers as given (no normalisation: mycc turns 13800000001 into +8613800000001), and its find-or-create is not safe against two sessions creating the same identifier at once, which mycc.resolve is; its link has no guards, merge log, tier, value or tags');
SQL

# Everything the case created: the sequence of mycc.customer moved past
# resolve_bench's first id for mycc before the case created anything.
psql_q <<'SQL'
BEGIN;
DELETE FROM mycc.customer_merge AS m USING resolve_bench AS b WHERE b.side = 'mycc' AND m.survivor_id > b.first;
DELETE FROM mycc.identity_conflict AS x USING resolve_bench AS b
WHERE b.side = 'mycc' AND (x.customer_a > b.first OR x.customer_b > b.first);
DELETE FROM mycc.identity AS i USING resolve_bench AS b WHERE b.side = 'mycc' AND i.customer_id > b.first;
DELETE FROM mycc.customer AS c USING resolve_bench AS b WHERE b.side = 'mycc' AND c.id > b.first;
DROP FUNCTION bench.resolve_check(text, text, bigint[], bigint, bigint, integer, integer), bench.resolve_state(text);
DROP TABLE plain_identity, plain_customer, resolve_bench;
COMMIT;
VACUUM ANALYZE mycc.customer, mycc.identity, mycc.customer_merge;
SQL
exit $failed
