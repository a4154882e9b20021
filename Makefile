# marslog -- plain GNU make build.  `make help` lists the targets.
#
# Layout: parsers/ patterns/ reports/ and the analysis engine in analyzer/
# build build/libmarslog.a (the library: it never exits and writes only to
# the streams it is given); analyzer/main.c and analyzer/cli.c are the
# marslog program.  Every flavour (normal, asan, fuzz) has its own build
# directory so objects never mix.

VERSION    := 0.1.0
PKG_CONFIG ?= pkg-config
PKGS       := libarchive libpcre2-8 xlsxwriter libsodium sqlite3
TEST_PKGS  := cmocka
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
COMPDIR    ?= $(PREFIX)/share/bash-completion/completions
DESTDIR    ?=
BUILD      ?= build
CC         ?= cc
CFLAGS     ?= -O2 -g
WARN       := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
              -Wmissing-prototypes -Wformat=2 -Wvla -Wcast-qual -Wwrite-strings \
              -Wundef -Wnull-dereference -Wno-overlength-strings
# `make WERROR=1` turns warnings into errors (CI does).
WARN       += $(if $(WERROR),-Werror,)
Q           = $(if $(V),,@)
E           = $(if $(V),@true,@echo)

-include config.mk

PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
TEST_LIBS  := $(shell $(PKG_CONFIG) --libs $(TEST_PKGS) 2>/dev/null)
CPPFLAGS   += -D_GNU_SOURCE -DMARSLOG_VERSION='"$(VERSION)"' \
              -I. -I$(BUILD)/gen $(PKG_CFLAGS)
LDLIBS     += $(PKG_LIBS) -lpthread -lm
DEPFLAGS    = -MMD -MP

# The program is the command line alone; everything else is the library.
CLI_SRC  := analyzer/main.c analyzer/cli.c
LIB_SRC  := $(sort $(wildcard parsers/*.c patterns/*.c reports/*.c) \
              $(filter-out $(CLI_SRC),$(wildcard analyzer/*.c)))
TEST_SRC := $(sort $(wildcard test/test_*.c))
GEN_SRC  := $(BUILD)/gen/catalog_data.c $(BUILD)/gen/assets_data.c
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:%.c=%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:test/%.c=$(BUILD)/test/%)
ASSETS   := $(sort $(wildcard reports/assets/*))

all: $(BUILD)/marslog ## build marslog (default)

$(BUILD)/marslog: $(CLI_OBJ) $(BUILD)/libmarslog.a
	$(E) "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/libmarslog.a: $(LIB_OBJ)
	$(E) "  AR      $@"
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BUILD)/%.o: %.c Makefile | $(BUILD)/gen/stamp
	@mkdir -p $(@D)
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

# cmocka's assert_non_null() does not tell the compiler that it stops the
# test, so -Wnull-dereference would flag every use after it in tests.
TEST_WARN := $(filter-out -Wnull-dereference,$(WARN))
$(BUILD)/test/%.o: test/%.c Makefile | $(BUILD)/gen/stamp
	@mkdir -p $(@D)
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(TEST_WARN) $(CFLAGS) $(DEPFLAGS) -c -o $@ $<

# Generated sources are compiled without -MMD output in the source tree.
$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	$(E) "  CC      $<"
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/stamp:
	@mkdir -p $(@D) && touch $@

# The catalog TSV and the report assets are embedded as byte arrays, so the
# binary is self-contained and the built-in catalog goes through the same
# loader as --catalog FILE.
$(BUILD)/gen/catalog_data.c: patterns/catalog.tsv patterns/embed.sh | $(BUILD)/gen/stamp
	$(E) "  EMBED   $<"
	$(Q)sh patterns/embed.sh $@ catalog_tsv $<

$(BUILD)/gen/assets_data.c: $(ASSETS) patterns/embed.sh | $(BUILD)/gen/stamp
	$(E) "  EMBED   reports/assets"
	$(Q)sh patterns/embed.sh $@ asset $(ASSETS)

# A test links the library alone (test_library proves it analyses without
# the program); only the command-line parser's test adds cli.o.
$(BUILD)/test/%: $(BUILD)/test/%.o $(BUILD)/libmarslog.a
	$(E) "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LDLIBS) $(TEST_LIBS)
$(BUILD)/test/test_cli: $(BUILD)/analyzer/cli.o

# ---------------------------------------------------------------- tests
# Test binaries run from the top of the tree; they find samples/ and
# test/cases/ relative to it, MARSLOG points at the binary under test.
# deps-check may install packages, so the build runs in a fresh make that
# sees their pkg-config flags.
check: deps-check ## build and run every test (unit, end-to-end, then all again under asan)
	$(Q)$(MAKE) --no-print-directory run-tests
	$(Q)$(MAKE) --no-print-directory asan

build-tests: $(BUILD)/marslog $(TESTS)

run-tests: build-tests
	$(Q)sh test/run.sh $(BUILD)

asan: ## run the whole suite under ASan+UBSan (build-asan/)
	$(Q)$(MAKE) --no-print-directory BUILD=build-asan \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all" \
	    LDFLAGS="-fsanitize=address,undefined" run-tests

# Every marslog the end-to-end tests start runs under memcheck with its own
# log file; any report in any log fails the target, whatever the test
# checked of the exit status (99 on an error).
VALGRIND_LOGS = $(abspath $(BUILD))/valgrind
valgrind: build-tests ## end-to-end tests under valgrind memcheck
	$(Q)rm -rf $(VALGRIND_LOGS) && mkdir -p $(VALGRIND_LOGS)
	$(Q)MARSLOG_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --log-file=$(VALGRIND_LOGS)/%p.log" \
	    sh test/run.sh $(BUILD) e2e; st=$$?; \
	for f in $(VALGRIND_LOGS)/*.log; do \
	    if [ -s "$$f" ]; then echo "valgrind: $$f:"; cat "$$f"; st=1; fi; \
	done; exit $$st

# ---------------------------------------------------------------- fuzz
# libFuzzer targets (test/fuzz/fuzz_<name>.c), built with clang into
# build-fuzz/ with the library under ASan+UBSan.  fuzz-run runs each for
# FUZZ_SECONDS on its committed seeds (test/fuzz/corpus/<name>/), with the
# dictionary of its format when there is one (test/fuzz/dict/<name>.dict), adding new
# inputs to build-fuzz/corpus/<name>/ and crashes to test/fuzz/crashes/<name>/;
# make check replays both committed directories (test/test_fuzz_regress.c).
FUZZ_TARGETS ?= decode errlog failed catalog json source
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
                -fno-sanitize-recover=all

fuzz: ## build the fuzz targets (clang, libFuzzer) into build-fuzz/
	$(Q)$(MAKE) --no-print-directory BUILD=build-fuzz CC=$(FUZZ_CC) \
	    CFLAGS="$(FUZZ_FLAGS) -fsanitize=fuzzer-no-link" \
	    $(FUZZ_TARGETS:%=build-fuzz/fuzz/fuzz_%)

$(BUILD)/fuzz/fuzz_%: test/fuzz/fuzz_%.c test/fuzz/fuzz.h $(BUILD)/libmarslog.a
	@mkdir -p $(@D)
	$(E) "  FUZZ    $@"
	$(Q)$(CC) $(CPPFLAGS) -DMARSLOG_FUZZ $(TEST_WARN) $(FUZZ_FLAGS) -fsanitize=fuzzer \
	    -o $@ $< $(BUILD)/libmarslog.a $(LDLIBS)

# A crash stops that target only; the others still run, and the target
# fails at the end.  Replay a crash with build-fuzz/fuzz/fuzz_NAME FILE.
fuzz-run: fuzz ## run every fuzz target for FUZZ_SECONDS (default 60) seconds
	$(Q)st=0; for t in $(FUZZ_TARGETS); do \
	    mkdir -p build-fuzz/corpus/$$t test/fuzz/crashes/$$t && \
	    echo "  FUZZ    $$t for $(FUZZ_SECONDS)s" && \
	    dict=; [ -f test/fuzz/dict/$$t.dict ] && dict=-dict=test/fuzz/dict/$$t.dict; \
	    build-fuzz/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -timeout=20 \
	        -rss_limit_mb=2048 -print_final_stats=1 $$dict \
	        -artifact_prefix=test/fuzz/crashes/$$t/ \
	        build-fuzz/corpus/$$t test/fuzz/corpus/$$t || \
	    { echo "fuzz: $$t crashed (test/fuzz/crashes/$$t/)"; st=1; }; \
	done; exit $$st

# ---------------------------------------------------------------- use
demo: deps-check ## analyse samples/fs01.zip and the MABS bundle samples/mabs01.zip: summaries here, reports in demo/
	$(Q)$(MAKE) --no-print-directory $(BUILD)/marslog
	$(Q)mkdir -p demo
	$(Q)$(BUILD)/marslog --summary --json demo/fs01.json --html demo/fs01.html \
	    --xlsx demo/fs01.xlsx samples/fs01.zip; st=$$?; [ $$st -le 1 ] || exit $$st
	$(Q)$(BUILD)/marslog --summary --json demo/mabs01.json --html demo/mabs01.html \
	    samples/mabs01.zip; st=$$?; [ $$st -le 1 ] || exit $$st
	@echo "Reports: demo/fs01.html demo/fs01.xlsx demo/fs01.json demo/mabs01.html demo/mabs01.json (exit status 1 = errors found)"

samples: $(BUILD)/marslog ## rebuild samples/ from samples/mksamples.sh
	$(Q)sh samples/mksamples.sh

# The error-name table is generated from the public-domain mingw-w64
# headers (package mingw-w64-common) and committed: a build needs neither.
MINGW_INCLUDE ?= /usr/share/mingw-w64/include
errnames: ## regenerate patterns/errnames.c from mingw-w64's winerror.h & co.
	$(Q)python3 patterns/mkerrnames.py $(MINGW_INCLUDE) patterns/errnames.c

# The benchmark (test/bench/README.md): marslog against rg, grep -E, lnav,
# wc -l and cat on a generated corpus, a table and build/bench/results.json.
# Informational: it never fails on timings, and `make check` runs none.
BENCH_PKGS := ripgrep grep lnav time

bench: deps-check bench-deps ## time marslog against rg, grep, lnav, wc (BENCH_SIZE=1G BENCH_RUNS=5 BENCH_BIG=1)
	$(Q)$(MAKE) --no-print-directory $(BUILD)/marslog $(BUILD)/bench/gencorpus \
	    $(BUILD)/bench/inflate
	$(Q)BUILD=$(BUILD) sh test/bench/bench.sh

bench-quick: ## the benchmark on a 64 MiB corpus, 3 runs (under a minute)
	$(Q)$(MAKE) --no-print-directory bench BENCH_SIZE=64M BENCH_RUNS=3

bench-deps:
	@missing=$$(for p in $(BENCH_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "marslog: installing missing packages:" $$missing; \
	    $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y \
	    --no-install-recommends $$missing || exit 1; fi

# The fleet bench (test/fleet/bench.sh): 200 generated bundles with
# --jobs 1 and 2 (ratio, identical summaries), and a merge of 10,000
# partial summaries (time, peak RSS).  Informational, like bench.
bench-fleet: ## time a 200-bundle fleet (--jobs 1 vs 2), a merge of 10,000 summaries and a 1,000-machine x 365-night history
	$(Q)$(MAKE) --no-print-directory $(BUILD)/marslog $(BUILD)/fleet/genfleet \
	    $(BUILD)/fleet/genhistory
	$(Q)sh test/fleet/bench.sh $(BUILD)

# The history generator writes through the library (history_record()).
$(BUILD)/fleet/genhistory: $(BUILD)/test/fleet/genhistory.o $(BUILD)/libmarslog.a
	@mkdir -p $(@D)
	$(E) "  LINK    $@"
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(BUILD)/fleet/genfleet: test/fleet/genfleet.c test/fleet/fleet_gen.h Makefile
	@mkdir -p $(@D)
	$(E) "  CCLD    $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $<

# The corpus generator and the zip floor: standalone tools, linked with
# libarchive only.
$(BUILD)/bench/%: test/bench/%.c Makefile
	@mkdir -p $(@D)
	$(E) "  CCLD    $@"
	$(Q)$(CC) $(CPPFLAGS) $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< \
	    $$($(PKG_CONFIG) --libs libarchive)

install: $(BUILD)/marslog ## install to $(DESTDIR)$(PREFIX)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR)
	install -m 755 $(BUILD)/marslog $(DESTDIR)$(BINDIR)/marslog
	install -m 644 analyzer/marslog.1 $(DESTDIR)$(MANDIR)/man1/marslog.1
	install -m 644 analyzer/marslog.bash-completion $(DESTDIR)$(COMPDIR)/marslog

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/marslog $(DESTDIR)$(MANDIR)/man1/marslog.1 $(DESTDIR)$(COMPDIR)/marslog

clean: ## remove build products
	rm -rf build build-asan build-fuzz demo

# ---------------------------------------------------------------- deps
# Debian packages needed to build and test.  deps-check installs them only
# when one is missing, so `make check` on a prepared machine asks nothing.
DEB_PKGS := gcc make pkg-config libarchive-dev libpcre2-dev libxlsxwriter-dev \
            libsodium-dev libsqlite3-dev sqlite3 \
            libcmocka-dev python3 python3-openpyxl parallel shellcheck
# Headless Chromium runs the HTML report tests.  Ubuntu ships it only as a
# snap, so it is required on Debian alone; elsewhere those tests skip.
DEB_PKGS += $(shell grep -qs '^ID=debian' /etc/os-release && echo chromium)
SUDO     := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

deps: ## install the Debian packages marslog needs (apt-get; sudo when not root)
	$(SUDO) apt-get update
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $(DEB_PKGS)

deps-check:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then echo "marslog: installing missing packages:" $$missing; \
	    $(MAKE) --no-print-directory deps || exit 1; fi

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/' | expand -t 16

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TESTS:=.d)
# Keep test objects between runs (they are intermediates of pattern rules).
.SECONDARY:
.PHONY: all check build-tests run-tests asan valgrind fuzz fuzz-run demo samples errnames bench bench-quick bench-deps bench-fleet install uninstall clean deps deps-check help
.DELETE_ON_ERROR:
