#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench.sh -- marslog against the tools people use on MARS logs today, on
# the same generated corpus, in one run: ripgrep and grep -E with the
# catalog's codes and text rules, lnav counting WARNING-and-above records
# through an errlog format, and wc -l / cat as the floor.  Prints a table
# (median wall time, MB/s, lines/s, peak RSS, how many times faster
# marslog on the UTF-8 file is) and the issue's targets with PASS/MISS,
# and writes the same to $BUILD/bench/results.json.
#
# Informational only: it exits 0 whatever the timings (a MISS is not a
# failure; the machine may be busy), and non-zero only when it could not
# run at all.  `make bench` installs the tools and builds marslog and
# test/bench/gencorpus.c first; see test/bench/README.md.
#
# Environment: BUILD (build), BENCH_SIZE (1G), BENCH_RUNS (5),
# BENCH_FILES (16, files in the --jobs folder), BENCH_BIG (1: also the
# 4 GiB RSS check), BENCH_BIG_SIZE (4G), MARSLOG (the binary to time).

BUILD=${BUILD:-build}
SIZE=${BENCH_SIZE:-1G}
RUNS=${BENCH_RUNS:-5}
FILES=${BENCH_FILES:-16}
BIG=${BENCH_BIG:-0}
BIG_SIZE=${BENCH_BIG_SIZE:-4G}
MARSLOG=${MARSLOG:-$BUILD/marslog}
GEN=$BUILD/bench/gencorpus
WORK=$BUILD/bench
HERE=test/bench

die() { echo "bench: $*" >&2; exit 2; }
note() { echo "bench: $*" >&2; }

[ -f $HERE/gencorpus.c ] || die "run from the top of the marslog tree"
[ -x "$MARSLOG" ] || die "$MARSLOG not built (make bench builds it)"
[ -x "$GEN" ] || die "$GEN not built (make bench builds it)"
[ -x /usr/bin/time ] || die "/usr/bin/time missing (make bench-deps installs it)"
case $RUNS in ''|*[!0-9]*|0) die "BENCH_RUNS must be a positive number" ;; esac
date +%N | grep -q '^[0-9]' || die "date +%N does not give nanoseconds (GNU date needed)"

mkdir -p "$WORK/out" || die "cannot create $WORK"
# Time a copy: other people's `make` may relink build/marslog mid-run.
cp "$MARSLOG" "$WORK/marslog.bin" || die "cannot copy $MARSLOG"
MARSLOG=$WORK/marslog.bin
ROWS=$WORK/rows.tsv

# ---------------------------------------------------------------- corpus
# Reused while the generator, the catalog, the size and the file count
# are the same (make clean removes it with the rest of build/).
stamp_of() {
	echo "$1 $2 $(cksum <$HERE/gencorpus.c) $(cksum <patterns/catalog.tsv)"
}

# make_corpus DIR SIZE WHAT
make_corpus() {
	want=$(stamp_of "$2" "$FILES $3")
	if [ -f "$1/stamp" ] && [ "$(cat "$1/stamp")" = "$want" ] &&
	    grep -q '^complete 1$' "$1/corpus.txt" 2>/dev/null; then
		note "reusing the corpus in $1"
		return 0
	fi
	rm -rf "$1"
	note "writing a $2 corpus to $1 ..."
	t0=$(date +%s%N)
	"$GEN" -s "$2" -o "$1" -n "$FILES" -w "$3" || die "gencorpus failed"
	t1=$(date +%s%N)
	note "corpus written in $(awk -v n=$((t1 - t0)) 'BEGIN { printf "%.1f", n / 1e9 }') s"
	echo "$want" >"$1/stamp"
}

CORPUS=$WORK/corpus-$SIZE
make_corpus "$CORPUS" "$SIZE" utf8,utf16,zip,many,patterns
U8=$CORPUS/utf8/CBEngineCurr.errlog
U16=$CORPUS/utf16/CBEngineCurr.errlog
ZIP=$CORPUS/bundle.zip
MANY=$CORPUS/many
PATTERNS=$CORPUS/patterns.txt

# man KEY [FILE]: a value from corpus.txt
man() { awk -v k="$1" '$1 == k { print $2; exit }' "${2:-$CORPUS/corpus.txt}"; }

LINES=$(man lines)
MANY_LINES=$(man many_lines)
[ -n "$LINES" ] || die "$CORPUS/corpus.txt has no line count"

# ---------------------------------------------------------------- machine
CPU=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
MEM_KIB=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
NPROC=$(nproc)
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
KERNEL=$(uname -sr)
version() { "$@" 2>/dev/null | head -n 1 | tr -d '\r' || true; }
V_MARSLOG=$(version "$MARSLOG" --version)
V_RG=$(version rg --version)
V_GREP=$(version grep --version)
V_LNAV=$(version lnav -V)

echo "marslog benchmark  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine   $NPROC CPUs, ${CPU:-unknown CPU}, $((MEM_KIB / 1024)) MiB RAM, $KERNEL, load $LOAD"
echo "tools     $V_MARSLOG; ${V_RG:-rg missing}; ${V_GREP:-grep missing}; ${V_LNAV:-lnav missing}"
echo "corpus    $CORPUS: $LINES lines, UTF-8 $(man utf8_bytes) B, UTF-16LE $(man utf16_bytes) B, zip $(wc -c <"$ZIP") B; many/ $FILES files, $(man many_bytes) B"
echo "method    median of $RUNS runs after one warm-up run (page cache warm); wall time by date +%s%N, peak RSS by /usr/bin/time %M"
echo

# ---------------------------------------------------------------- timing
# Every command is registered with bench_add, which checks the tool is
# there and runs it once: that warms the page cache and gives the count
# (marslog writes its JSON to a file in that run, for the record count).
# Then the timed runs go round-robin, one run of each command per round,
# so a burst of load on this shared machine hits every command alike
# instead of all the runs of one.  Exit status 0 and 1 both count as
# success (marslog: findings; grep: no match).
KEYS=$WORK/keys
: >"$KEYS"

# bench_add KEY LABEL INPUT BYTES LINES EXPECTED CMD...
bench_add() {
	key=$1 out=$WORK/out/$1
	printf '%s\t%s\t%s\t%s\t%s\n' "$2" "$3" "$4" "$5" "$6" >"$out.meta"
	shift 6
	tool=$1
	[ "$tool" = env ] && for a; do
		case $a in env|*=*) ;; *) tool=$a; break ;; esac
	done
	if ! command -v "$tool" >/dev/null 2>&1; then
		note "$key: $tool not installed, skipped"
		return 0
	fi
	printf '%s\n' "$@" >"$out.cmd"
	# the warm-up command: marslog's --json /dev/null becomes a file
	set -- "$@" --end--
	prev=
	while [ "$1" != "--end--" ]; do
		a=$1
		shift
		[ "$prev" = --json ] && [ "$a" = /dev/null ] && a=$out.json
		set -- "$@" "$a"
		prev=$a
	done
	shift
	rm -f "$out.json"
	st=0
	if [ "$key" = cat ]; then
		"$@" >/dev/null 2>"$out.err" </dev/null || st=$?
		: >"$out.out"
	else
		"$@" >"$out.out" 2>"$out.err" </dev/null || st=$?
	fi
	if [ $st -gt 1 ]; then
		note "$key: exit status $st (see $out.err), skipped"
		return 0
	fi
	if [ -f "$out.json" ]; then
		awk '/"records":/ { gsub(/[^0-9]/, ""); print; exit }' "$out.json" >"$out.out"
		u=$(awk '/"unparsed_lines":/ { gsub(/[^0-9]/, ""); print; exit }' "$out.json")
		[ "$u" = 0 ] || note "$key: marslog reports ${u:-?} unparsed lines"
	fi
	: >"$out.times"
	echo "$key" >>"$KEYS"
}

# run_once KEY: one timed run
run_once() {
	out=$WORK/out/$1
	set --
	while IFS= read -r a; do
		set -- "$@" "$a"
	done <"$out.cmd"
	# Output goes to a file, not /dev/null: GNU grep stops at the first
	# match when its output is /dev/null (it behaves as grep -q), which
	# would time nothing.  cat's row is the floor "cat > /dev/null".
	sink=$out.stdout
	[ "$1" = cat ] && sink=/dev/null
	t0=$(date +%s%N)
	/usr/bin/time -f '%e %M %U %S' -o "$out.time" "$@" >"$sink" 2>>"$out.err" </dev/null
	t1=$(date +%s%N)
	echo "$((t1 - t0)) $(tail -n 1 "$out.time" | cut -d' ' -f2-)" >>"$out.times"
}

# The rows of the report: key, label, input, bytes, lines, expected
# count, count, run times in ns, peak RSS in KiB (max over runs), command,
# CPU times (user + system) in ns.
write_rows() {
	while read -r key; do
		out=$WORK/out/$key
		count=$(awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) { n = $i; break } } END { print n }' "$out.out")
		times=$(cut -d' ' -f1 "$out.times" | paste -sd, -)
		rss=$(cut -d' ' -f2 "$out.times" | sort -n | tail -n 1)
		cpu=$(awk '{ printf("%s%.0f", NR > 1 ? "," : "", ($3 + $4) * 1e9) }' "$out.times")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$key" "$(cat "$out.meta")" \
		    "$count" "$times" "$rss" "$(paste -sd' ' "$out.cmd")" "$cpu"
	done <"$KEYS" >"$ROWS"
}

# lnav reads its formats from $HOME/.lnav: give it a private home with
# only ours installed, and check its count on a slice of the corpus
# against awk before trusting it with the timed runs.
LNAV_HOME=$WORK/lnav-home
if command -v lnav >/dev/null 2>&1; then
	rm -rf "$LNAV_HOME" && mkdir -p "$LNAV_HOME/check"
	HOME=$LNAV_HOME lnav -i $HERE/mars_errlog.json >"$WORK/out/lnav-install.log" 2>&1 ||
	    note "lnav -i failed, see $WORK/out/lnav-install.log"
	head -n 20000 "$U8" >"$LNAV_HOME/check/CBEngineCurr.errlog"
	want=$(awk -F'\t' 'NF >= 11 && $10 ~ /^(WARNING|ERROR|FATAL|CRITICAL)$/' \
	    "$LNAV_HOME/check/CBEngineCurr.errlog" | wc -l)
	got=$(HOME=$LNAV_HOME lnav -n -c ";SELECT count(*) FROM mars_errlog WHERE log_level >= 'warning'" \
	    "$LNAV_HOME/check/CBEngineCurr.errlog" </dev/null 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { n = $1 } END { print n }')
	if [ "$got" = "$want" ]; then
		note "lnav format check: $got WARNING-and-above records in 20000 lines, as awk counts"
	else
		note "lnav format check FAILED: lnav counts ${got:-nothing}, awk $want (the lnav row is not comparable)"
	fi
fi

U8B=$(man utf8_bytes)
U16B=$(man utf16_bytes)
RECORDS=$(man records)
SQL=";SELECT count(*) FROM mars_errlog WHERE log_level >= 'warning'"

note "warm-up run of each command"
bench_add marslog_utf8 "marslog --json (UTF-8)" "$U8" "$U8B" "$LINES" "$RECORDS" \
    "$MARSLOG" --json /dev/null "$U8"
bench_add marslog_utf8_j1 "marslog -J 1 (UTF-8)" "$U8" "$U8B" "$LINES" "$RECORDS" \
    "$MARSLOG" -J 1 --json /dev/null "$U8"
bench_add marslog_redact "marslog --redact (UTF-8)" "$U8" "$U8B" "$LINES" "$RECORDS" \
    "$MARSLOG" --redact --json /dev/null "$U8"
bench_add marslog_utf16 "marslog --json (UTF-16LE)" "$U16" "$U16B" "$LINES" "$RECORDS" \
    "$MARSLOG" --json /dev/null "$U16"
bench_add marslog_zip "marslog --json (zip)" "$ZIP" "$U16B" "$LINES" "$RECORDS" \
    "$MARSLOG" --json /dev/null "$ZIP"
bench_add inflate "libarchive inflate (zip)" "$ZIP" "$U16B" "$LINES" "$U16B" \
    "$WORK/inflate" "$ZIP"
bench_add rg "rg -c -f patterns" "$U8" "$U8B" "$LINES" "$(man catalog_lines)" \
    rg -c -f "$PATTERNS" "$U8"
# The C locale is grep's fast path (and what the patterns are written for).
bench_add grep "grep -c -E -f patterns" "$U8" "$U8B" "$LINES" "$(man catalog_lines)" \
    env LC_ALL=C grep -c -E -f "$PATTERNS" "$U8"
bench_add lnav "lnav count >= warning" "$U8" "$U8B" "$LINES" "$(man warning_or_worse)" \
    env HOME="$LNAV_HOME" lnav -n -c "$SQL" "$U8"
bench_add wc "wc -l" "$U8" "$U8B" "$LINES" "$LINES" \
    wc -l "$U8"
bench_add cat "cat > /dev/null" "$U8" "$U8B" "$LINES" "" \
    cat "$U8"
bench_add marslog_jobs1 "marslog --jobs 1 (many/)" "$MANY" "$(man many_bytes)" \
    "$MANY_LINES" "$(man many_records)" \
    "$MARSLOG" --jobs 1 --json /dev/null "$MANY"
bench_add marslog_jobs2 "marslog --jobs 2 (many/)" "$MANY" "$(man many_bytes)" \
    "$MANY_LINES" "$(man many_records)" \
    "$MARSLOG" --jobs 2 --json /dev/null "$MANY"
if [ "$BIG" = 1 ]; then
	BIGDIR=$WORK/corpus-$BIG_SIZE-utf8
	make_corpus "$BIGDIR" "$BIG_SIZE" utf8
	bench_add marslog_big "marslog --json (UTF-8, $BIG_SIZE)" \
	    "$BIGDIR/utf8/CBEngineCurr.errlog" "$(man utf8_bytes "$BIGDIR/corpus.txt")" \
	    "$(man lines "$BIGDIR/corpus.txt")" "$(man records "$BIGDIR/corpus.txt")" \
	    "$MARSLOG" --json /dev/null "$BIGDIR/utf8/CBEngineCurr.errlog"
fi

round=1
while [ $round -le "$RUNS" ]; do
	note "timed round $round of $RUNS"
	while read -r key; do
		run_once "$key"
	done <"$KEYS"
	round=$((round + 1))
done
write_rows
echo >&2

# ---------------------------------------------------------------- report
awk -F'\t' -v size="$SIZE" -v runs="$RUNS" -v big="$BIG" -v big_size="$BIG_SIZE" \
    -v json="$WORK/results.json" -v date="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -v nproc="$NPROC" -v cpu="$CPU" -v mem="$MEM_KIB" -v kernel="$KERNEL" -v load="$LOAD" \
    -v v_marslog="$V_MARSLOG" -v v_rg="$V_RG" -v v_grep="$V_GREP" -v v_lnav="$V_LNAV" \
    -v corpus="$CORPUS" -v lines="$LINES" -v u8b="$U8B" -v u16b="$U16B" \
    -v zipb="$(wc -c <"$ZIP")" -v files="$FILES" '
function median(list,   a, n, i, j, t) {
	n = split(list, a, ",")
	for (i = 2; i <= n; i++)	# insertion sort: a handful of runs
		for (j = i; j > 1 && a[j - 1] + 0 > a[j] + 0; j--) {
			t = a[j]; a[j] = a[j - 1]; a[j - 1] = t
		}
	return n % 2 ? a[(n + 1) / 2] / 1e9 : (a[n / 2] + a[n / 2 + 1]) / 2e9
}
function least(list,   a, n, i, m) {
	n = split(list, a, ",")
	m = a[1]
	for (i = 2; i <= n; i++)
		if (a[i] + 0 < m + 0)
			m = a[i]
	return m / 1e9
}
function abs(v) { return v < 0 ? -v : v }
function jstr(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, "\\t", s)
	return "\"" s "\""
}
function jnum(v) { return v == "" ? "null" : v }
function target(name, value, op, limit, note,   pass, res) {
	nt++
	if (value == "") {
		res = "n/a"
		tj[nt] = sprintf("{\"name\": %s, \"value\": null, \"op\": %s, \"limit\": %s, \"result\": \"n/a\", \"note\": %s}",
		    jstr(name), jstr(op), limit, jstr(note))
	} else {
		pass = op == ">=" ? value >= limit : value <= limit
		res = pass ? "PASS" : "MISS"
		tj[nt] = sprintf("{\"name\": %s, \"value\": %.3f, \"op\": %s, \"limit\": %s, \"result\": \"%s\", \"note\": %s}",
		    jstr(name), value, jstr(op), limit, res, jstr(note))
	}
	printf "  %-4s  %-52s %9s %s %-5s %s\n", res, name,
	    value == "" ? "-" : sprintf("%.2f", value), op, limit, note
}
{
	n++
	key[n] = $1; label[n] = $2; input[n] = $3; bytes[n] = $4; nlines[n] = $5
	expect[n] = $6; count[n] = $7; times[n] = $8; rss[n] = $9; cmd[n] = $10
	med[n] = median($8); cpus[n] = median($11)
	t[$1] = med[n]; r[$1] = $9
}
END {
	base = t["marslog_utf8"]
	printf "%-27s %8s %8s %7s %7s %7s %8s %7s %7s  %s\n", "command", "input MB", "median s",
	    "best s", "CPU s", "MB/s", "Mlines/s", "RSS MiB", "speedup", "count"
	for (i = 1; i <= n; i++) {
		mbs = med[i] > 0 ? bytes[i] / 1e6 / med[i] : 0
		ls = med[i] > 0 ? nlines[i] / med[i] : 0
		sp[i] = base > 0 && med[i] > 0 ? med[i] / base : ""
		c = count[i]
		chk[i] = expect[i] == "" ? "" : c == expect[i] ? "ok" : "MISMATCH, expected " expect[i]
		printf "%-27s %8.1f %8.3f %7.3f %7.2f %7.0f %8.2f %7.1f %7s  %s\n", label[i], bytes[i] / 1e6,
		    med[i], least(times[i]), cpus[i], mbs, ls / 1e6, rss[i] / 1024,
		    sp[i] == "" ? "-" : sprintf("%.2fx", sp[i]),
		    c == "" ? "" : c " " chk[i]
		rj[i] = sprintf("{\"key\": %s, \"label\": %s, \"command\": %s, \"input\": %s, \"bytes\": %s, \"lines\": %s, \"times_s\": [%s], \"median_s\": %.4f, \"best_s\": %.4f, \"cpu_s\": %.3f, \"mb_per_s\": %.1f, \"lines_per_s\": %.0f, \"peak_rss_kib\": %s, \"marslog_speedup\": %s, \"count\": %s, \"expected_count\": %s}",
		    jstr(key[i]), jstr(label[i]), jstr(cmd[i]), jstr(input[i]), bytes[i], nlines[i],
		    secs(times[i]), med[i], least(times[i]), cpus[i], mbs, ls, jnum(rss[i]), sp[i] == "" ? "null" : sprintf("%.3f", sp[i]),
		    jnum(c), jnum(expect[i]))
	}
	print "\nspeedup = median time of the command / median time of marslog on the UTF-8 file"
	print "(above 1: marslog is that many times faster).  MB/s counts the bytes the command"
	print "reads or inflates (the zip row: the UTF-16LE entry).  count: what the command"
	print "reported in its warm-up run (marslog: records, from its JSON), checked"
	print "against what gencorpus wrote.  best s: the fastest run; CPU s: median user +"
	print "system time, which a busy machine disturbs less than the wall time (MB/s,"
	print "lines/s, speedup and the targets use the median wall time).\n"
	print "targets (informational; one run on a possibly busy machine):"
	note1 = size == "1G" ? "" : "(at " size ", the target is for 1G)"
	rss1 = r["marslog_utf8"]
	if (r["marslog_utf16"] > rss1) rss1 = r["marslog_utf16"]
	if (r["marslog_zip"] > rss1) rss1 = r["marslog_zip"]
	target("rg -c -f time / marslog UTF-8 time", t["rg"] && base ? t["rg"] / base : "", ">=", 2, "")
	target("lnav time / marslog UTF-8 time", t["lnav"] && base ? t["lnav"] / base : "", ">=", 4, "")
	target("marslog UTF-8 time / wc -l time", t["wc"] && base ? base / t["wc"] : "", "<=", 5, "")
	target("marslog UTF-16LE time / UTF-8 time", t["marslog_utf16"] && base ? t["marslog_utf16"] / base : "", "<=", 1.3, "")
	target("marslog --redact time / UTF-8 time", t["marslog_redact"] && base ? t["marslog_redact"] / base : "", "<=", 1.2, "")
	target("marslog zip time / UTF-8 time", t["marslog_zip"] && base ? t["marslog_zip"] / base : "", "<=", 2, \
	    t["inflate"] && t["marslog_zip"] ? sprintf("(inflating alone takes %.0f%% of it)", 100 * t["inflate"] / t["marslog_zip"]) : "")
	target("marslog peak RSS, MiB (UTF-8, UTF-16LE, zip)", rss1 ? rss1 / 1024 : "", "<=", 32, note1)
	if (big == 1 && r["marslog_big"] && r["marslog_utf8"])
		target("marslog RSS " big_size " vs RSS " size ", |change|", abs(r["marslog_big"] - r["marslog_utf8"]) / r["marslog_utf8"], "<=", 0.10, "")
	else
		target("marslog RSS " big_size " vs RSS " size ", |change|", "", "<=", 0.10, "(BENCH_BIG=1 to run)")
	target("marslog --jobs 1 time / --jobs 2 time (many/)", t["marslog_jobs1"] && t["marslog_jobs2"] ? t["marslog_jobs1"] / t["marslog_jobs2"] : "", ">=", 1.8, nproc < 2 ? "(needs 2 CPUs)" : "")

	printf "{\n  \"schema\": \"marslog-bench/1\",\n  \"date\": %s,\n", jstr(date) >json
	printf "  \"machine\": {\"nproc\": %s, \"cpu\": %s, \"mem_kib\": %s, \"kernel\": %s, \"loadavg\": %s},\n",
	    nproc, jstr(cpu), mem, jstr(kernel), jstr(load) >json
	printf "  \"versions\": {\"marslog\": %s, \"rg\": %s, \"grep\": %s, \"lnav\": %s},\n",
	    jstr(v_marslog), jstr(v_rg), jstr(v_grep), jstr(v_lnav) >json
	printf "  \"corpus\": {\"size\": %s, \"dir\": %s, \"lines\": %s, \"utf8_bytes\": %s, \"utf16_bytes\": %s, \"zip_bytes\": %s, \"many_files\": %s},\n",
	    jstr(size), jstr(corpus), lines, u8b, u16b, zipb, files >json
	printf "  \"runs\": %s,\n  \"results\": [\n", runs >json
	for (i = 1; i <= n; i++)
		printf "    %s%s\n", rj[i], i < n ? "," : "" >json
	printf "  ],\n  \"targets\": [\n" >json
	for (i = 1; i <= nt; i++)
		printf "    %s%s\n", tj[i], i < nt ? "," : "" >json
	printf "  ]\n}\n" >json
	close(json)
}
function secs(list,   a, k, s, i) {
	k = split(list, a, ",")
	s = ""
	for (i = 1; i <= k; i++)
		s = s (i > 1 ? ", " : "") sprintf("%.4f", a[i] / 1e9)
	return s
}' "$ROWS" || die "cannot write the report"
echo
echo "results: $WORK/results.json"
