#!/bin/sh
# SPDX-License-Identifier: MIT
#
# bench.sh [BUILD] -- the fleet bench (`make bench-fleet`):
#   1. 200 generated bundles (test/fleet/fleet_gen.h; FLEET_LINES, default
#      5000, ordinary lines each, about 0.7 MiB a bundle) analysed with
#      --jobs 1 and --jobs 2: seconds, peak RSS, the ratio, and a check
#      that both summaries are the same bytes;
#   2. 10,000 partial summaries (one machine each, made from the
#      per-bundle summaries of the first 10 bundles) merged with
#      `marslog merge`: seconds and peak RSS;
#   3. a fleet history of 1,000 machines over 365 nights written through
#      history_record() (test/fleet/genhistory.c): the time to record it,
#      the file's size, and `marslog history` over it in the terminal,
#      HTML, JSON and XLSX: seconds and peak RSS.
# Informational: it fails only when a run fails or the two --jobs
# summaries differ, never on timings.  FLEET_BUNDLES, FLEET_LINES,
# FLEET_PARTS, FLEET_HISTORY_MACHINES and FLEET_HISTORY_NIGHTS change the
# sizes, FLEET_RUNS (default 5) the analysis runs of which the fastest
# counts (other load on the machine makes single runs noisy).  FLEET_ONLY
# =history runs step 3 alone.
set -eu
build=${1:-${BUILD:-build}}
marslog=$(cd "$build" && pwd)/marslog
gen=$(cd "$build" && pwd)/fleet/genfleet
genhistory=$(cd "$build" && pwd)/fleet/genhistory
hmachines=${FLEET_HISTORY_MACHINES:-1000}
hnights=${FLEET_HISTORY_NIGHTS:-365}
bundles=${FLEET_BUNDLES:-200}
parts=${FLEET_PARTS:-10000}
lines=${FLEET_LINES:-5000}
runs=${FLEET_RUNS:-5}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/marslog-bench-fleet.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 2' HUP INT TERM
cd "$tmp"

# 3. the history: recorded night by night, then rendered
history_bench() {
	"$genhistory" history.db "$hmachines" "$hnights" >rec.txt
	read -r runs jobs secs <rec.txt
	size=$(wc -c <history.db)
	echo "$runs $jobs $secs $size" | awk '{
		printf "history: %d machines x %d nights recorded in %7.3f s (%.1f ms a night), %d jobs\n", '"$hmachines"', $1, $3, $3 * 1000 / $1, $2
		printf "history: database %.1f MiB (%d bytes, %.0f bytes a job)\n", $4 / 1048576, $4, $4 / $2 }'
	for out in summary html json xlsx; do
		case $out in
		summary) set -- --summary ;;
		*) set -- "--$out" "history.$out" ;;
		esac
		"$gen" time "$marslog" history history.db --quiet "$@" \
		    2>t.txt >/dev/null
		tail -n 1 t.txt | awk '{ printf "marslog history --%-8s %7.3f s  peak RSS %6.1f MiB\n", "'"$out"'", $1, $2 / 1024 }'
	done
}
if [ "${FLEET_ONLY:-}" = history ]; then
	history_bench
	exit 0
fi

"$gen" bundles bundles "$bundles" "$lines"
echo "fleet bench: $bundles bundles ($(du -sh bundles | cut -f1)), $parts partial summaries, $(nproc) CPUs"

# the fastest of $runs for the analysis; each line "seconds maxrss"
best() {
	b=""
	for _ in $(seq "$runs"); do
		"$gen" time "$@" 2>t.txt >/dev/null || [ $? -eq 1 ]
		t=$(tail -n 1 t.txt)
		if [ -z "$b" ] || [ "$(echo "$t $b" | awk '{print ($1 < $3)}')" = 1 ]; then
			b=$t
		fi
	done
	echo "$b"
}
j1=$(best "$marslog" -q --fail-on never --jobs 1 --json j1.json bundles)
j2=$(best "$marslog" -q --fail-on never --jobs 2 --json j2.json bundles)
cmp -s j1.json j2.json || { echo "fleet bench: --jobs 2 differs from --jobs 1" >&2; exit 1; }
echo "$j1 $j2" | awk '{
	printf "analyse %d bundles --jobs 1: %7.3f s  peak RSS %6.1f MiB\n", '"$bundles"', $1, $2 / 1024
	printf "analyse %d bundles --jobs 2: %7.3f s  peak RSS %6.1f MiB\n", '"$bundles"', $3, $4 / 1024
	printf "speed-up --jobs 2 / --jobs 1: %.2fx (summaries identical)\n", $1 / $3 }'

mkdir tpl
for i in 1 2 3 4 5 6 7 8 9 10; do
	b=$(printf 'srv%05d' "$i")
	"$marslog" -q --fail-on never --json "tpl/$i.json" "bundles/$b"
done
"$gen" parts tpl/*.json -- parts "$parts"
"$gen" time "$marslog" merge -q --fail-on never --json merged.json parts/part-*.json \
    2>t.txt >/dev/null
m=$(tail -n 1 t.txt)
machines=$(grep -c '^    {"name": ' merged.json)
[ "$machines" -eq "$parts" ] || { echo "fleet bench: merged $machines machines, want $parts" >&2; exit 1; }
echo "$m" | awk '{ printf "merge '"$parts"' partial summaries: %7.3f s  peak RSS %6.1f MiB ('"$machines"' machines)\n", $1, $2 / 1024 }'

history_bench
