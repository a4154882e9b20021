#!/bin/sh
# run.sh BUILD [unit|e2e|all] -- run the test binaries of one build flavour.
#
# Unit tests are build/test/test_*; end-to-end tests are the ones named
# test_e2e*.  MARSLOG points at the binary under test; MARSLOG_WRAP (e.g.
# "valgrind -q ...") is put in front of every marslog the e2e tests start.
# Ends with the plain "N passed, N failed" line.
set -u
build=${1:-build}
which=${2:-all}
case $build in
/*) MARSLOG=$build/marslog ;;
*) MARSLOG=$(pwd)/$build/marslog ;;
esac
export MARSLOG
pass=0
fail=0
failed=""
for t in "$build"/test/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	case $name in
	*.d | *.o) continue ;;
	test_e2e*) [ "$which" = unit ] && continue ;;
	*) [ "$which" = e2e ] && continue ;;
	esac
	if "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done
[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
