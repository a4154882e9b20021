#!/bin/bash
# SPDX-License-Identifier: MIT
#
# completion_check.sh MARSLOG -- analyzer/marslog.bash-completion against
# the program and the man page (run by test_e2e_scripts.c):
#   - every option the completion offers to a command is accepted by that
#     command (never "does not apply" or "unrecognized");
#   - every option it offers is documented in analyzer/marslog.1;
#   - the subcommands, and history's --prune, --since and --machine, are
#     offered.
# bash-completion's _init_completion and _filedir are stubbed, so the
# check needs bash only.  Prints what is wrong; exit 1 if anything is.
set -u
case $1 in
/*) marslog=$1 ;;
*) marslog=$PWD/$1 ;;
esac
man=$PWD/analyzer/marslog.1
bad=0

# shellcheck disable=SC2034,SC2317  # read by _marslog, called by it
_init_completion() {
	words=("${COMP_WORDS[@]}")
	cword=$COMP_CWORD
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
}
# shellcheck disable=SC2317
_filedir() { :; }
# shellcheck disable=SC2317
complete() { :; }
# shellcheck source=/dev/null
. analyzer/marslog.bash-completion
# the runs below may create their output files (x): in a folder of ours
tmp=$(mktemp -d "${TMPDIR:-/tmp}/marslog-completion.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1

# offered WORD... : what the completion offers for the last word
offered() {
	COMP_WORDS=(marslog "$@")
	COMP_CWORD=$(($# ))
	COMPREPLY=()
	_marslog
	printf '%s\n' "${COMPREPLY[@]}"
}

# a value each option accepts, so that only applicability is tested
value() {
	case $1 in
	--width) echo 80 ;; --since | --until | --now) echo 2d ;;
	--year) echo 2024 ;; --jobs | --max | --context | --before-context | \
	--after-context) echo 1 ;; --max-depth) echo 4 ;; --prune) echo 30 ;;
	--max-line | --split-size | --max-entry-size | --max-total-size) echo 1M ;;
	--fail-on) echo never ;; --lang) echo en ;; --stale-after) echo 26 ;;
	*) echo x ;;
	esac
}

takes_value() {
	case $1 in
	--summary | --inputs | --quiet | --no-color | --color | --stamp | \
	--redact | --help | --version) return 1 ;;
	--json) [ "$2" != show ] ;;
	*) return 0 ;;
	esac
}

for cmd in "" merge history show catalog explain; do
	if [ -n "$cmd" ]; then
		opts=$(offered "$cmd" --)
	else
		opts=$(offered --)
	fi
	[ -n "$opts" ] || { echo "nothing offered for '${cmd:-analysis}'"; bad=1; }
	for o in $opts; do
		grep -qF -- "${o//-/\\-}" "$man" ||
		    { echo "$o (offered for ${cmd:-analysis}) is not in $man"; bad=1; }
		[ "$o" = --help ] || [ "$o" = --version ] && continue
		args=()
		[ -n "$cmd" ] && args+=("$cmd")
		args+=("$o")
		takes_value "$o" "$cmd" && args+=("$(value "$o")")
		err=$($marslog "${args[@]}" /nonexistent 2>&1 >/dev/null)
		case $err in
		*"does not apply"* | *"unrecognized option"* | *"unknown option"*)
			echo "${cmd:-analysis} offers $o but: $err"; bad=1 ;;
		esac
	done
done

commands=$(offered "")
for c in catalog explain show merge history help; do
	grep -qx "$c" <<<"$commands" || { echo "subcommand $c not offered"; bad=1; }
done
for o in --prune --since --machine --json --html --xlsx; do
	grep -qx -- "$o" <<<"$(offered history --)" ||
	    { echo "history: $o not offered"; bad=1; }
done
grep -qx -- --history <<<"$(offered --)" || { echo "--history not offered"; bad=1; }
grep -qx -- --history <<<"$(offered merge --)" ||
    { echo "merge: --history not offered"; bad=1; }
exit $bad
