# mycc: PGXS build.  The version lives in mycc.control only.
EXTENSION  = mycc
EXTVERSION = $(shell sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" mycc.control)

MODULE_big = mycc
OBJS = \
	src/mycc.o \
	src/parse.o \
	src/stats.o \
	src/nps_score.o \
	src/nps_state.o \
	src/nps_stats.o \
	src/csat.o \
	src/tier.o \
	src/tier_value.o \
	src/tag_parse.o \
	src/tagset.o \
	src/tagquery.o \
	src/tagset_gin.o \
	src/tagset_selfuncs.o \
	src/tag_rules.o \
	src/identity_parse.o \
	src/identity.o \
	src/unionfind.o \
	src/components.o \
	src/conversation.o \
	src/routing.o \
	src/claim.o \
	src/assignment.o

# The install script is generated from these parts, in this order
# (roles.sql last: it grants on what the others create).
SQL_PARTS = \
	src/sql/mycc.sql \
	src/sql/nps.sql \
	src/sql/csat.sql \
	src/sql/tier.sql \
	src/sql/tags.sql \
	src/sql/customer.sql \
	src/sql/survey.sql \
	src/sql/identity.sql \
	src/sql/routing.sql \
	src/sql/roles.sql

DATA_built = mycc--$(EXTVERSION).sql
# The install scripts of released versions, frozen in released/ (checksums
# in released/SHA256SUMS), so that CREATE EXTENSION mycc VERSION 'A' still
# works; and the hand-written upgrade scripts mycc--A--B.sql, never edited
# once B is released (docs/operations.md#upgrades).  PGXS installs both by
# their base names.
DATA = $(wildcard released/mycc--*.sql) $(wildcard mycc--*--*.sql)

# Markdown pages whose examples become the docs_examples regression test.
DOCS_EXAMPLES = \
	docs/reference.md \
	docs/nps.md \
	docs/tiers.md \
	docs/tags.md \
	docs/identity.md \
	docs/routing.md

REGRESS = \
	install \
	security \
	roles \
	fuzz \
	limits \
	nps_score \
	nps \
	nps_stats \
	csat \
	nps_parallel \
	nps_window \
	nps_daily \
	tier \
	tier_value \
	tagset \
	tagset_agg \
	tagquery \
	tags_index \
	tags_stats \
	tags_intarray \
	tag_rules \
	identity_normalize \
	identity \
	components \
	conversation \
	identity_dump \
	identity_stress \
	identity_undo \
	routing \
	routing_direct \
	upgrade \
	dump_restore \
	docs_examples
REGRESS_OPTS = --load-extension=mycc --no-locale --encoding=UTF8
REGRESS_PREP = sql/docs_examples.sql expected/docs_examples.out

ISOLATION = \
	nps_rollup \
	tier_cache \
	tag_rules_cache \
	identity_resolve \
	identity_link \
	identity_unmerge \
	identity_undo_race \
	routing_claim \
	routing_claim_queues \
	routing_levels \
	routing_cache
ISOLATION_OPTS = --load-extension=mycc --no-locale --encoding=UTF8

PG_CPPFLAGS = -DMYCC_VERSION='"$(EXTVERSION)"'
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifdef WERROR
PG_CFLAGS += -Werror
endif

EXTRA_CLEAN = sql/docs_examples.sql expected/docs_examples.out output_iso fuzz/build

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# Every object depends on every header (PGXS tracks no header dependencies).
$(OBJS): $(wildcard src/*.h) mycc.control

$(DATA_built): $(SQL_PARTS) mycc.control
	cat $(SQL_PARTS) > $@

sql/docs_examples.sql: tools/docs_examples.awk $(DOCS_EXAMPLES) Makefile
	awk -v sql_file=sql/docs_examples.sql -v out_file=expected/docs_examples.out \
		-f tools/docs_examples.awk $(DOCS_EXAMPLES)

expected/docs_examples.out: sql/docs_examples.sql

# libFuzzer harnesses of the pure code (parsers, union-find), one per entry
# point, each linked with the pure sources it tests: make fuzz
# [FUZZ_SECONDS=60] runs each for that long.
FUZZ_TARGETS = bounded_int count_tuple tagset tagquery identity
FUZZ_SOURCES_bounded_int = src/parse.c
FUZZ_SOURCES_count_tuple = src/parse.c
FUZZ_SOURCES_tagset = src/tag_parse.c
FUZZ_SOURCES_tagquery = src/tag_parse.c
FUZZ_SOURCES_identity = src/identity_parse.c src/unionfind.c
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang-14
FUZZ_CFLAGS = -g -O1 -Wall -Wextra -Werror -Isrc \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

.SECONDEXPANSION:
fuzz/build/fuzz_%: fuzz/fuzz_%.c $$(FUZZ_SOURCES_$$*) $(wildcard src/*.h) fuzz/reference.h
	@mkdir -p fuzz/build
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_$*.c $(FUZZ_SOURCES_$*)

.PHONY: fuzz
fuzz: $(FUZZ_TARGETS:%=fuzz/build/fuzz_%)
	bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

.PHONY: demo test bench
demo:
	bash tools/demo.sh
test:
	bash tools/test.sh
bench:
	bash bench/run.sh $(BENCH_FLAGS)

# Suites run separately so that a failure in one does not hide the other.
.PHONY: regresscheck isolationcheck print-sql-parts
regresscheck: $(if $(filter docs_examples,$(REGRESS)),$(REGRESS_PREP))
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)

isolationcheck:
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)

print-sql-parts:
	@echo $(SQL_PARTS)
