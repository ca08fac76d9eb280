#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages made at build time (help2man, from each plugin's --help):
# one per plugin (plugin_PROGRAMS), each renders and names every option
# of its plugin's --help, the exit codes and the definitions' files.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/plugins.sh"
t_setup

if [[ -z $(printf 'x:\n\t@echo $(man1_MANS)\n' | env -u MAKEFLAGS -u MAKELEVEL \
	make -s --no-print-directory -C "$BUILDDIR" -f Makefile -f - x) ]]; then
	t_skip "man pages" "configured with --disable-man"
	t_done
fi
command -v man >/dev/null || t_bail "man (man-db) is not installed (bash contrib/setup.sh installs it)"

for p in $(eas_plugins); do
	page=$BUILDDIR/plugins/$p.1
	t_ok "$p.1 made" test -s "$page"
	run_cmd env MANWIDTH=200 man -l "$page"
	expect_rc 0 "man -l $p.1 renders"
	expect_out "^NAME" "$p.1: NAME"
	expect_out "^ +$p - " "$p.1: the purpose from --help"
	expect_out '^EXIT STATUS' "$p.1: EXIT STATUS"
	expect_out 'check-eas\.cfg' "$p.1: FILES names the definitions"
	opts=$("$BUILDDIR/plugins/$p" --help | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p')
	missing=
	for o in $opts; do
		grep -q -- "$o" <<<"$OUT" || missing+=" $o"
	done
	t_is "${missing# }" "" "$p.1 lists every option of $p --help ($(wc -w <<<"$opts") options)"
done
t_done
