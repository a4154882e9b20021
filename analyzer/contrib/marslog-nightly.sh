#!/bin/sh
# SPDX-License-Identifier: MIT
#
# marslog-nightly.sh -- the nightly fleet report: every server's bundle,
# what is not protected, and what changed since the night before.
#
#   marslog-nightly.sh BUNDLES REPORTS
#
# BUNDLES holds one bundle per server (a zip or a folder each, named after
# the server).  Each run writes REPORTS/YYYY-MM-DD/ (UTC date) with
# summary.json, fleet.html, fleet.xlsx and summary.txt, compares with the
# previous run's summary (REPORTS/latest.json) and, when it succeeded,
# makes its own summary the next baseline.  Day folders older than
# KEEP_DAYS are removed.  Each run is also recorded in the fleet history
# REPORTS/history.db (marslog --history; one run per UTC day, a run made
# again the same day replaces it), so every report carries the trends
# (30-day strips, success rates, "failing since") and
# `marslog history REPORTS/history.db` shows them at any time.  Every report is written to a temporary file and
# renamed (marslog does this), latest.json is replaced by rename(2), so an
# interrupted run never leaves a half-written report or baseline.
#
# Environment:
#   MARSLOG       the program (default: marslog on PATH); split at spaces,
#                 so it may carry a wrapper ("nice -n 10 marslog")
#   MARSLOG_OPTS  more options, e.g. "--since 2d --stale-after 30 --lang zh-CN"
#   KEEP_DAYS     day folders to keep (default 30)
#   HISTORY       the history database (default REPORTS/history.db, beside
#                 the reports; empty: no history)
#   HISTORY_KEEP_DAYS  when set, runs older than that many days are pruned
#                 from the history after each run (default: kept)
#
# "Hours since the last successful backup" and a relative window in
# MARSLOG_OPTS (--since 2d) are measured at the time of the run
# (--now clock; --stamp writes that time into the reports), so a server
# whose bundle stopped changing turns stale.
#
# A summary becomes the next baseline only when marslog can read it back
# (marslog merge): a summary that could not be read would break every
# night after it.
#
# Exit status: 0 nothing new since the baseline (or the first run), 1
# something new (a new error or warning, a server newly without a
# successful backup) or a server left without any record by the window
# (marslog's exit 3): under systemd the unit then shows as failed, which
# is the hook for a notification (OnFailure=); 2 the run failed or its
# summary cannot be read back, and the baseline is left as it was.
#
# cron (06:30 every day, as the marslog user):
#   30 6 * * * /usr/local/share/marslog/marslog-nightly.sh /srv/mars-bundles /srv/marslog-reports
# systemd: marslog-nightly.service and marslog-nightly.timer beside this file.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: marslog-nightly.sh BUNDLES REPORTS" >&2
	exit 2
fi
bundles=$1
reports=$2
marslog=${MARSLOG:-marslog}
keep=${KEEP_DAYS:-30}
history=${HISTORY-$reports/history.db}
day=$(date -u +%Y-%m-%d)
out=$reports/$day

mkdir -p "$out"
set -- --quiet --stamp --now clock --summary --no-color \
    --json "$out/summary.json" --html "$out/fleet.html" \
    --xlsx "$out/fleet.xlsx"
if [ -n "$history" ]; then
	set -- "$@" --history "$history"
fi
if [ -f "$reports/latest.json" ]; then
	set -- "$@" --baseline "$reports/latest.json" --fail-on new
else
	set -- "$@" --fail-on never
fi
rc=0
# shellcheck disable=SC2086
$marslog "$@" ${MARSLOG_OPTS:-} "$bundles" >"$out/.summary.txt" || rc=$?
# 3: a server with no record in the window, reported at the top: news
if [ "$rc" -eq 3 ]; then
	rc=1
fi
if [ "$rc" -gt 1 ]; then
	rm -f "$out/.summary.txt"
	echo "marslog-nightly: marslog failed (exit $rc); baseline kept" >&2
	exit 2
fi
mv "$out/.summary.txt" "$out/summary.txt"
# never adopt a baseline that the next night could not read
if ! $marslog merge --quiet --fail-on never --json - "$out/summary.json" \
    >/dev/null; then
	echo "marslog-nightly: $out/summary.json cannot be read back; baseline kept" >&2
	exit 2
fi
# the next baseline: copied beside latest.json, then renamed over it
cp "$out/summary.json" "$reports/.latest.json.tmp"
mv "$reports/.latest.json.tmp" "$reports/latest.json"
if [ -n "$history" ] && [ -n "${HISTORY_KEEP_DAYS:-}" ] &&
    ! $marslog history --quiet "$history" --prune "$HISTORY_KEEP_DAYS"; then
	echo "marslog-nightly: cannot prune $history" >&2
	exit 2
fi
find "$reports" -mindepth 1 -maxdepth 1 -type d -name '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]' \
    -mtime +"$keep" -exec rm -rf {} +
exit "$rc"
