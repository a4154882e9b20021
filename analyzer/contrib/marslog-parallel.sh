#!/bin/sh
# SPDX-License-Identifier: MIT
#
# marslog-parallel.sh -- analyse a fleet with GNU parallel, then merge.
#
#   marslog-parallel.sh OUTPUT.json BUNDLE...
#
# The map step: one `marslog --json` per bundle (a zip, a folder, any
# archive), run by GNU parallel on the local cores or on other hosts.  The
# reduce step: `marslog merge` of the parts into OUTPUT.json.  Merging is
# associative and order-independent, so OUTPUT.json holds the same bytes
# as one `marslog --json OUTPUT.json BUNDLE...` run (give the bundles by
# the same paths: input paths are part of the summary).
#
# Environment:
#   MARSLOG            the program (default: marslog on PATH); split at
#                      spaces, so it may carry a wrapper
#   MARSLOG_OPTS       options for every part, e.g. "--since 2d --lang zh-CN"
#   MARSLOG_PARALLEL   options for GNU parallel on this host, e.g. "-j 8"
#   MARSLOG_MERGE_OPTS options for the merge, e.g. "--html fleet.html
#                      --xlsx fleet.xlsx --baseline last.json --fail-on new"
#   MARSLOG_HISTORY    the fleet history database: the merge step records
#                      the merged run in it (marslog merge --history); the
#                      map steps never open it, and --history in
#                      MARSLOG_OPTS is refused
#
# Other hosts: run the map step from the directory that holds the
# bundles, with marslog installed on every host, and merge here:
#   parallel --sshlogin 8/host1,8/host2 --transferfile {} --return {#}.json \
#       --cleanup marslog -q --fail-on never --json {#}.json {} ::: bundles/*
#   marslog merge --json fleet.json [0-9]*.json
# (relative bundle paths travel as they are, so the input paths in the
# parts are the same as in a local run).
#
# Exit status: the merge's (0, 1 with findings or something new per
# --fail-on, 2 on failure); 2 when a part could not be made.  The parts
# live in a temporary directory that is removed in every case, and the
# merge writes OUTPUT.json atomically.
set -eu

if [ $# -lt 2 ]; then
	echo "usage: marslog-parallel.sh OUTPUT.json BUNDLE..." >&2
	exit 2
fi
out=$1
shift
marslog=${MARSLOG:-marslog}
parts=$(mktemp -d "${TMPDIR:-/tmp}/marslog-parts.XXXXXX")
trap 'rm -rf "$parts"' EXIT
trap 'exit 2' HUP INT TERM

case " ${MARSLOG_OPTS:-} " in
*" --history"*)
	echo "marslog-parallel: --history belongs to the merge step; set MARSLOG_HISTORY" >&2
	exit 2 ;;
esac
history=${MARSLOG_HISTORY:-}
# {#} numbers the jobs, so parts never collide whatever the bundle
# names; a part exits 0 even with findings (--fail-on never), so that
# only real failures stop the run (--halt).
# shellcheck disable=SC2086
if ! printf '%s\0' "$@" | parallel -0 --no-notice --halt now,fail=1 \
    ${MARSLOG_PARALLEL:-} \
    $marslog --quiet --fail-on never ${MARSLOG_OPTS:-} \
    --json "$parts/{#}.json" {}; then
	echo "marslog-parallel: a part failed" >&2
	exit 2
fi
# the reduce step, the only one that writes the history
set -- --quiet
if [ -n "$history" ]; then
	set -- "$@" --history "$history"
fi
# shellcheck disable=SC2086
$marslog merge "$@" ${MARSLOG_MERGE_OPTS:-} --json "$out" "$parts"/*.json
