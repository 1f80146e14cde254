# mycc: PGXS build.  The version lives in mycc.control only.
#
# Builds in the source tree (make) or in another directory, as Debian's
# pg_buildext does: make -f SRC/Makefile VPATH=SRC.  Build one way or the
# other: objects left in SRC by an in-tree build would be found through
# VPATH and reused (make clean in SRC first).
EXTENSION  = mycc
# Where the sources are, for what is read while this file is parsed (PGXS
# sets $(srcdir) to the same directory, but only once it is included).
mycc_srcdir := $(patsubst %/,%,$(or $(VPATH),$(dir $(firstword $(MAKEFILE_LIST)))))
EXTVERSION := $(shell sed -n "s/^default_version[[:space:]]*=[[:space:]]*'\([^']*\)'.*/\1/p" $(mycc_srcdir)/mycc.control)
ifeq ($(EXTVERSION),)
$(error no default_version in $(mycc_srcdir)/mycc.control: run make in mycc's source directory, or make -f SRC/Makefile VPATH=SRC elsewhere)
endif

MODULE_big = mycc
OBJS = \
	src/mycc.o \
	src/counts.o \
	src/cache.o \
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
	src/phone.o \
	src/identity.o \
	src/unionfind.o \
	src/components.o \
	src/conversation.o \
	src/routing.o \
	src/assignment.o \
	src/staffing.o \
	src/bi.o \
	src/clients.o \
	src/citus.o

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
	src/sql/scaling.sql \
	src/sql/staffing.sql \
	src/sql/clients.sql \
	src/sql/roles.sql

DATA_built = mycc--$(EXTVERSION).sql
# The install scripts of released versions, frozen in released/ (checksums
# in released/SHA256SUMS), so that CREATE EXTENSION mycc VERSION 'A' still
# works; and the hand-written upgrade scripts mycc--A--B.sql, never edited
# once B is released (docs/operations.md#upgrades).  PGXS installs both by
# their base names.
DATA = $(patsubst $(mycc_srcdir)/%,%,$(wildcard $(mycc_srcdir)/released/mycc--*.sql $(mycc_srcdir)/mycc--*--*.sql))

# Markdown pages whose examples become the docs_examples regression test.
DOCS_EXAMPLES = \
	docs/reference.md \
	docs/nps.md \
	docs/tiers.md \
	docs/tags.md \
	docs/identity.md \
	docs/routing.md \
	docs/troubleshooting.md \
	docs/clients.md

# Every pg_regress test, in order (make regresscheck: the test command,
# CI).  The quick edit-test loop, make installcheck, leaves out the slow
# ones (REGRESS_SLOW): the SQL fuzz test, which make fuzz runs too.
REGRESS_ALL = \
	install \
	security \
	roles \
	fuzz \
	limits \
	damaged \
	nps_score \
	nps \
	nps_stats \
	csat \
	nps_parallel \
	nps_window \
	nps_daily \
	bi \
	clients \
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
	identity_repair \
	identity_stress \
	identity_undo \
	routing \
	routing_statements \
	staffing \
	upgrade \
	references \
	dump_restore \
	scaling \
	troubleshooting \
	docs_examples
REGRESS_SLOW = fuzz
REGRESS = $(filter-out $(REGRESS_SLOW),$(REGRESS_ALL))
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
	routing_cache \
	routing_queue
ISOLATION_OPTS = --load-extension=mycc --no-locale --encoding=UTF8

PG_CPPFLAGS = -DMYCC_VERSION='"$(EXTVERSION)"'
# Phone numbers: Google's libphonenumber, through the C++ shim src/phone.cpp
# (C++, hence the C++ runtime); e-mail domains: libidn2.
SHLIB_LINK = -lphonenumber -lidn2 -lstdc++
PG_CXXFLAGS = -Wall -Wextra -Wno-unused-parameter
PG_CFLAGS = -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers
ifdef WERROR
PG_CFLAGS += -Werror
PG_CXXFLAGS += -Werror
endif

EXTRA_CLEAN = sql/docs_examples.sql expected/docs_examples.out output_iso fuzz/build \
	$(OBJS:=.d) $(OBJS:.o=.bc.d)

# The server to build for.  Stop at once, saying what is missing, when its
# pg_config or its server headers (postgresql-server-dev-NN on Debian) are
# not there: PGXS would otherwise be included from an empty path, and make
# would go on without it.  The goals that only run scripts need neither.
PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
mycc_script_goals = demo test bench print-sql-parts
ifneq ($(filter-out $(mycc_script_goals),$(or $(MAKECMDGOALS),all)),)
ifeq ($(PGXS),)
$(error PG_CONFIG=$(PG_CONFIG): no working pg_config there; install PostgreSQL's development files (Debian: postgresql-server-dev-15) or give PG_CONFIG=/path/to/pg_config of the server to build for)
endif
ifeq ($(wildcard $(PGXS)),)
$(error $(PGXS) (named by $(PG_CONFIG)) is missing: install the server's development files (Debian: postgresql-server-dev-$(shell $(PG_CONFIG) --version | sed 's/^[^0-9]*\([0-9]*\).*/\1/')))
endif
mycc_server_includes := $(shell $(PG_CONFIG) --includedir-server)
ifeq ($(wildcard $(mycc_server_includes)/postgres.h),)
$(error postgres.h is not in $(mycc_server_includes) (from $(PG_CONFIG)): install the server's development files (Debian: postgresql-server-dev-NN))
endif
endif
ifneq ($(PGXS),)
include $(PGXS)
endif

# Header dependencies, generated by the compiler (PGXS tracks none unless
# the server was configured with --enable-depend): compiling an object, or
# its bitcode for the JIT, also writes the headers it includes (mycc's and
# the server's) to OBJ.d beside it (-MP: a header removed later is no
# error), read back here, so touching a header rebuilds only the objects
# that include it.  Out of tree, the objects' directories are made in the
# build directory.
mycc_bitcode = $(OBJS:.o=.bc)
mycc_depfiles = $(OBJS:=.d) $(mycc_bitcode:=.d)
$(OBJS) $(mycc_bitcode): override CPPFLAGS += -MMD -MP -MF $@.d
$(OBJS) $(mycc_bitcode): mycc.control | mycc-objdirs
# An object without its .d (built before header dependencies were
# tracked, or the .d removed) is rebuilt: which headers it read is unknown.
$(patsubst %.d,%,$(filter-out $(wildcard $(mycc_depfiles)),$(mycc_depfiles))): mycc-rebuild
.PHONY: mycc-rebuild
mycc-rebuild:
-include $(mycc_depfiles)
.PHONY: mycc-objdirs
mycc-objdirs:
	@mkdir -p $(sort $(dir $(OBJS)))

$(DATA_built): $(SQL_PARTS) mycc.control
	cat $(filter %.sql,$^) > $@

sql/docs_examples.sql: tools/docs_examples.awk $(DOCS_EXAMPLES) Makefile
	@mkdir -p sql expected
	awk -v sql_file=sql/docs_examples.sql -v out_file=expected/docs_examples.out \
		-f $< $(filter %.md,$^)

expected/docs_examples.out: sql/docs_examples.sql

# libFuzzer harnesses of the pure code (parsers, union-find), one per entry
# point, each linked with the pure sources it tests: make fuzz
# [FUZZ_SECONDS=60] runs each for that long.
FUZZ_TARGETS = bounded_int count_tuple tagset tagquery identity
FUZZ_SOURCES_bounded_int = src/parse.c
FUZZ_SOURCES_count_tuple = src/parse.c
FUZZ_SOURCES_tagset = src/tag_parse.c
FUZZ_SOURCES_tagquery = src/tag_parse.c
FUZZ_SOURCES_identity = src/identity_parse.c src/unionfind.c src/phone.cpp
# phone.cpp is C++: linked by the C driver, so without UBSan's C++-only
# vptr check (its runtime comes with clang++).
FUZZ_LIBS_identity = -lphonenumber -lidn2 -lstdc++ -fno-sanitize=vptr
FUZZ_SECONDS ?= 60
FUZZ_CC ?= clang-14
FUZZ_CFLAGS = -g -O1 -Wall -Wextra -Werror -Isrc \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all

.SECONDEXPANSION:
fuzz/build/fuzz_%: fuzz/fuzz_%.c $$(FUZZ_SOURCES_$$*) $(wildcard src/*.h) fuzz/reference.h
	@mkdir -p fuzz/build
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ fuzz/fuzz_$*.c $(FUZZ_SOURCES_$*) $(FUZZ_LIBS_$*)

# make fuzz also runs the SQL fuzz test (REGRESS_SLOW) against the server
# in the environment, as make installcheck does; make fuzz-parsers only the
# harnesses.
.PHONY: fuzz fuzz-parsers fuzz-sql
fuzz: fuzz-parsers fuzz-sql
fuzz-parsers: $(FUZZ_TARGETS:%=fuzz/build/fuzz_%)
	bash fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-sql:
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS_SLOW)

.PHONY: demo test bench pictures
demo:
	bash tools/demo.sh
# The PNGs in docs/, drawn from the demo's data (tools/pictures.sh).
pictures:
	bash tools/pictures.sh
test:
	bash tools/test.sh
bench:
	bash bench/run.sh $(BENCH_FLAGS)

# Suites run separately so that a failure in one does not hide the other.
.PHONY: regresscheck isolationcheck print-sql-parts
regresscheck: $(if $(filter docs_examples,$(REGRESS_ALL)),$(REGRESS_PREP))
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS_ALL)

isolationcheck:
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)

print-sql-parts:
	@echo $(SQL_PARTS)
