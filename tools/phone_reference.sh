#!/usr/bin/env bash
# Differential test of phone numbers: mycc.normalize_identity against an
# independent reference, python3-phonenumbers (tools/phone_reference.py),
# over generated spellings (4000 unless PHONE_SPELLINGS says).  Wherever the
# reference calls a number valid, mycc's normal form must equal its E.164
# (and extension); wherever it does not, mycc must refuse the number (22023).
# Runs against the server in the environment (as tools/suites.sh) in a
# database of its own; prints one pg_regress-style line.
cd "$(dirname "$0")/.."
count=${PHONE_SPELLINGS:-4000}
db=mycc_phone_reference
work=$(mktemp -d)
trap 'rm -rf "$work"; dropdb --if-exists "$db" 2>/dev/null' EXIT

fail() {
	printf 'test %-28s ... FAILED\n' phone_reference
	sed 's/^/    /' "$work/out"
	exit 1
}

/usr/bin/python3 tools/phone_reference.py "$count" >"$work/spellings.tsv" 2>"$work/out" || fail
{ dropdb --if-exists "$db" && createdb "$db"; } >"$work/out" 2>&1 || fail
psql -X -q -v ON_ERROR_STOP=1 -d "$db" -At -F ' ' >"$work/out" 2>&1 <<SQL || fail
SET client_min_messages = warning;
CREATE EXTENSION mycc;
SET mycc.default_region = 'CN';
CREATE TABLE spelling (n int PRIMARY KEY, written text NOT NULL, reference text NOT NULL);
\copy spelling FROM '$work/spellings.tsv'
CREATE FUNCTION pg_temp.mycc_form(v text) RETURNS text LANGUAGE plpgsql AS \$\$
BEGIN
	RETURN mycc.normalize_identity('phone', v);
EXCEPTION WHEN invalid_parameter_value THEN
	RETURN '';
END
\$\$;
CREATE TABLE answer AS SELECT s.*, pg_temp.mycc_form(s.written) AS mycc FROM spelling AS s;
-- The disagreements, a few of each sort, then the totals.
SELECT format('%s %L: reference %L, mycc %L', n, written, reference, mycc)
FROM (SELECT *, row_number() OVER (PARTITION BY reference = '' ORDER BY n) AS k
	FROM answer WHERE mycc <> reference) AS d
WHERE k <= 10 ORDER BY n;
SELECT format('totals: %s spellings, %s valid by the reference, %s disagreements',
	count(*), count(*) FILTER (WHERE reference <> ''), count(*) FILTER (WHERE mycc <> reference))
FROM answer;
SQL
if grep -q ' 0 disagreements$' "$work/out" && [ "$(wc -l <"$work/out")" -eq 1 ]; then
	printf 'test %-28s ... ok           %s\n' phone_reference "$(sed 's/^totals: //' "$work/out")"
else
	fail
fi
