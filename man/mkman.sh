#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# mkman.sh PLUGIN DOC_MD COMMON_H2M VERSION OUT: the man page of one plugin
# (Makefile.am; t/83-manpages.t runs it on a sample doc). help2man makes it
# from PLUGIN's --help and --version, with COMMON_H2M (man/check-eas.h2m,
# the sections every page has) and the plugin's own include file from
# h2m-plugin.py (SYNOPSIS, DESCRIPTION, and STATES, PERFDATA, EXAMPLES from
# DOC_MD when it exists). The footer names the package and VERSION. Uses
# $HELP2MAN and $PYTHON3 (default: from PATH).
set -e
[ $# -eq 5 ] || { echo "usage: mkman.sh PLUGIN DOC_MD COMMON_H2M VERSION OUT" >&2; exit 2; }
prog=$1 doc=$2 common=$3 version=$4 out=$5
here=$(dirname "$0")
trap 'rm -f "$out.help" "$out.h2m" "$out.tmp"' EXIT

"$prog" --help >"$out.help"
name=$(sed -n '1s/^[^ ]* [^ ]* - //p' "$out.help")
"${PYTHON3:-python3}" "$here/h2m-plugin.py" "$out.help" "$doc" >"$out.h2m"
"${HELP2MAN:-help2man}" --no-info --section=1 --name="$name" \
	--source="check-eas $version" \
	--include="$common" --include="$out.h2m" --output="$out.tmp" "$prog"
# --help's "Examples:" lines (help2man's .IP paragraphs) as they are typed;
# SEE ALSO without the page itself.
sed -e '/^\.SH EXAMPLES/,/^\.SH/{' -e 's/^\.IP$/.nf/' -e '/^\.SH EXAMPLES/b' \
	-e '/^\.SH/i .fi' -e '}' -e "/^\\.BR ${prog##*/} (1),\$/d" "$out.tmp" >"$out"
