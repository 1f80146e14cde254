# docs_examples.awk: turns the examples in docs/*.md into a pg_regress test.
#
# In a page, a fenced block opened with ```sql is an example to run.  When
# the next block after it (blank lines allowed between) is opened with
# ```text, that block is the exact psql output the example must print;
# otherwise the example must print nothing (psql runs quietly, so CREATE
# TABLE, INSERT, SET print nothing).  The trailing blank line psql prints
# after "(N rows)" is added here, so pages show output as users see it.
#
# Usage: awk -v sql_file=F.sql -v out_file=F.out -f docs_examples.awk pages...

function emit(sql, out,    n, lines) {
	printf "%s", sql > sql_file
	printf "%s", sql > out_file
	printf "%s", out > out_file
	n = split(out, lines, "\n")
	if (n >= 2 && lines[n - 1] ~ /^\([0-9]+ rows?\)$/)
		printf "\n" > out_file
}

function flush_pending() {
	if (have_pending)
		emit(pending, "")
	have_pending = 0
	pending = ""
}

BEGIN {
	preamble = "-- generated from docs/*.md by tools/docs_examples.awk; edit the docs, not this file\n" \
		"SET datestyle = 'ISO, YMD';\nSET timezone = 'UTC';\n"
	printf "%s", preamble > sql_file
	printf "%s", preamble > out_file
}

FNR == 1 {
	flush_pending()
	block = ""
	header = "-- " FILENAME "\n"
	printf "%s", header > sql_file
	printf "%s", header > out_file
}

block == "" && /^```sql[[:space:]]*$/ {
	flush_pending()
	block = "sql"
	text = ""
	next
}

block == "" && /^```text[[:space:]]*$/ {
	block = have_pending ? "text" : "ignored"
	text = ""
	next
}

block == "" && /^```/ {
	flush_pending()
	block = "ignored"
	next
}

block != "" && /^```[[:space:]]*$/ {
	if (block == "sql") {
		pending = text
		have_pending = 1
	} else if (block == "text") {
		emit(pending, text)
		have_pending = 0
		pending = ""
	}
	block = ""
	next
}

block != "" {
	text = text $0 "\n"
	next
}

/^[[:space:]]*$/ { next }

{ flush_pending() }

END { flush_pending() }
