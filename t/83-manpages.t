#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The man pages made at build time (man/mkman.sh: help2man, from each
# plugin's --help and -V): one per plugin (plugin_PROGRAMS). Each renders;
# its header and footer fit 80 columns and name check-eas and its version,
# not the libraries (-V is one line; -V -v adds them); its SYNOPSIS is the
# usage of --help, which shows exactly the options --help lists, each of
# which the plugin accepts; it names every option, the exit codes and the
# definitions' files; and it has the STATES, PERFDATA and EXAMPLES of
# doc/PLUGIN.md when that file has them, none when there is no file.
# man/h2m-plugin.py is also run on a sample doc (Markdown tables, lists,
# fenced code), so the sections are tested before the docs exist.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/plugins.sh"
t_setup

if [[ -z $(printf 'x:\n\t@echo $(man1_MANS)\n' | env -u MAKEFLAGS -u MAKELEVEL \
	make -s --no-print-directory -C "$BUILDDIR" -f Makefile -f - x) ]]; then
	t_skip "man pages" "configured with --disable-man"
	t_done
fi
command -v man >/dev/null || t_bail "man (man-db) is not installed (bash contrib/setup.sh installs it)"
command -v help2man >/dev/null || t_bail "help2man is not installed (bash contrib/setup.sh installs it)"

# helpopts HELPFILE - "LONG SHORT ARG" per option of --help: SHORT "-X" or
# "-"; ARG "=" (takes a value), "[=" (an optional one) or "-" (none)
helpopts() {
	local line re='^ {2,6}(-([A-Za-z0-9]), )?(--[a-z0-9-]+)(\[?=)?'
	while IFS= read -r line; do
		[[ $line =~ $re ]] || continue
		printf '%s %s %s\n' "${BASH_REMATCH[3]}" "${BASH_REMATCH[2]:+-${BASH_REMATCH[2]}}" "${BASH_REMATCH[4]:--}" |
			sed 's/^\([^ ]*\)  /\1 - /'
	done <"$1"
}
# usage HELPFILE - the usage lines of --help as one line of words
usage() {
	awk '/^Usage:/ { u = 1 } u && /^$/ { exit } u' "$1" | sed 's/^Usage: *//; s/^ *or: *//' | tr -s ' \n' '  ' | sed 's/ $//'
}
# section TEXT NAME - the lines of section NAME of a rendered page
section() { awk -v s="$2" '/^[A-Z]/ { on = ($0 == s) ; next } on' <<<"$1"; }

for p in $(eas_plugins); do
	page=$BUILDDIR/plugins/$p.1
	t_ok "$p.1 made" test -s "$page"
	"$BUILDDIR/plugins/$p" --help >"$T/$p.help"

	# -V: one line, the man page's header and footer come from it
	run "$p" -V
	expect_first "$p -V: one line, '$p VERSION (check-eas)'" 0 "^$p [0-9][0-9.a-z~+-]* \\(check-eas\\)\$"
	t_is "$(wc -l <<<"$OUT")" 1 "$p -V: no library list"
	run "$p" -V -v
	expect_out '^libcurl [0-9.]+, OpenSSL [0-9].*, json-c [0-9]' "$p -V -v: the libraries' versions"
	version=$(sed 's/^[^ ]* \([^ ]*\) .*/\1/' <<<"$LINE1")

	run_cmd env MANWIDTH=80 man -l "$page"
	expect_rc 0 "man -l $p.1 renders at 80 columns"
	P=${p^^}
	t_like "$LINE1" "^$P\\(1\\) +User Commands +$P\\(1\\)\$" "$p.1: header '$P(1) User Commands $P(1)'"
	footer=${OUT##*$'\n'}
	t_like "$footer" "^check-eas ${version//./\\.} +[A-Z][a-z]+ [0-9]{4} +$P\\(1\\)\$" \
		"$p.1: footer 'check-eas $version  MONTH YEAR  $P(1)' ($footer)"
	t_ok "$p.1: footer within 80 columns" test "${#footer}" -le 80
	# (a version number after a library's name: an example's output may
	# still name OpenSSL, as in "OpenSSL SSL_read: ...")
	expect_no_out 'libcurl [0-9]|OpenSSL [0-9]|json-c [0-9]' "$p.1: no library versions in the page"

	run_cmd env MANWIDTH=200 man -l "$page"
	expect_rc 0 "man -l $p.1 renders"
	man_out=$OUT
	expect_out "^NAME" "$p.1: NAME"
	expect_out "^ +$p - " "$p.1: the purpose from --help"
	expect_out '^EXIT STATUS' "$p.1: EXIT STATUS"
	expect_out 'check-eas\.cfg' "$p.1: FILES names the definitions"
	t_like "$(section "$OUT" 'SEE ALSO')" 'check_eas_[a-z]+\(1\)' "$p.1: SEE ALSO names the other plugins"
	expect_no_out "$p\\(1\\)," "$p.1: ... but not itself"
	opts=$("$BUILDDIR/plugins/$p" --help | sed -n 's/^ *\(-[A-Za-z], \)\{0,1\}\(--[a-z0-9-]*\).*/\2/p')
	missing=
	for o in $opts; do
		grep -q -- "$o" <<<"$OUT" || missing+=" $o"
	done
	t_is "${missing# }" "" "$p.1 lists every option of $p --help ($(wc -w <<<"$opts") options)"

	# SYNOPSIS = the usage of --help (help2man alone keeps only its first line)
	syn=$(section "$OUT" SYNOPSIS | tr -s ' \n' '  ' | sed 's/^ //; s/ $//')
	t_is "$syn" "$(usage "$T/$p.help")" "$p.1: SYNOPSIS is the whole usage of --help"
	t_like "$(section "$OUT" DESCRIPTION)" "^ +$p checks|^ +$p [a-z]" "$p.1: DESCRIPTION is the purpose, no usage lines left in it"

	# The usage shows exactly the options --help lists ...
	helpopts "$T/$p.help" >"$T/$p.opts"
	words=$(usage "$T/$p.help" | grep -o -- '\(^\|[ [{|]\)--\{0,1\}[A-Za-z0-9][a-z0-9-]*' | sed 's/^[ [{|]//' | sort -u)
	listed=$(awk '{ print $1; if ($2 != "-") print $2 }' "$T/$p.opts" | sort -u)
	shown=
	while read -r long short _; do
		grep -qx -- "$long" <<<"$words" || { [[ $short != - ]] && grep -qx -- "$short" <<<"$words"; } ||
			shown+=" $long"
	done <"$T/$p.opts"
	t_is "${shown# }" "" "$p: every option of --help is in its usage line"
	t_is "$(comm -23 <(echo "$words") <(echo "$listed") | tr '\n' ' ')" "" \
		"$p: every option of its usage line is in --help"
	# ... and the plugin takes each one (a refused one is named as such)
	refused=
	while read -r long short arg; do
		o=$long
		[[ $short != - ]] && o=$short
		case $arg in
		'=') set -- "$o" x ;;
		'[=') set -- "$o=x@$T/none.ini" ;;
		*) set -- "$o" ;;
		esac
		run "$p" "$@" --help
		_t_match "$OUT" "is not an option of|unknown (or ambiguous )?option" && refused+=" $o"
	done <"$T/$p.opts"
	t_is "${refused# }" "" "$p: takes every option its usage and --help show ($(wc -l <"$T/$p.opts") options)"

	# The sections from doc/PLUGIN.md: there when the doc has them.
	OUT=$man_out
	doc=$SRCDIR/doc/$p.md
	for h in States Perfdata Examples; do
		H=${h^^}
		if [[ -f $doc ]] && grep -q "^## $h *\$" "$doc"; then
			expect_out "^$H\$" "$p.1: $H from doc/$p.md"
		elif [[ $h != Examples ]]; then
			expect_no_out "^$H\$" "$p.1: no $H (doc/$p.md has none)"
		fi
	done
	if [[ -f $doc ]] && grep -q '^## Examples *$' "$doc"; then
		code=$(awk '/^## / { on = ($0 ~ /^## Examples *$/) } on && /^```/ { if (f) exit; f = 1; next } on && f { print; exit }' "$doc")
		if [[ -n $code ]]; then
			t_ok "$p.1: EXAMPLES has the first example of doc/$p.md verbatim" grep -qF -- "$(sed 's/^ *//' <<<"$code")" <<<"$OUT"
		fi
	fi
done

# --- the sections, from a sample doc (tables, lists, code, headings)
p=$(eas_plugins | head -n 1)
mkdir -p "$T/doc"
cat >"$T/doc/$p.md" <<'MD'
# check_eas_sample

## Synopsis

Not shown: the SYNOPSIS is the usage of --help.

## States

| State | When |
| --- | --- |
| OK | the server answers `200` |
| CRITICAL | *no* answer: see [the README](../README.md) |

- a bullet with `--ca-file` and
  a second line
- .a line starting with a dot

### Timeouts

Past `-t`: its state.

## Perfdata

| Label | Unit | Meaning |
| --- | --- | --- |
| `time` | s | the whole request |

## Examples

Check with a password file:

```sh
check_eas_sample -H mail.example.com --user 'EXAMPLE\user' --password-file /etc/nagios/eas.pass
[eas_sample]
/etc/nagios/eas.ini
```

## See also

Not shown either.
MD
printf '[SEE ALSO]\nnothing\n' >"$T/common.h2m"
run_cmd sh "$SRCDIR/man/mkman.sh" "$BUILDDIR/plugins/$p" "$T/doc/$p.md" "$T/common.h2m" 9.9 "$T/sample.1"
expect_rc 0 "man/mkman.sh makes a page from a sample doc"
run_cmd env MANWIDTH=200 man -l "$T/sample.1"
expect_rc 0 "... which renders"
st=$(section "$OUT" STATES)
t_like "$st" '^ +OK +the server answers 200$' "sample: STATES, a table row as a tagged paragraph"
t_like "$st" '^ +no answer: see the README$' "... emphasis and a link as plain words"
t_like "$st" '^ +• +a bullet with --ca-file and a second line$' "... a bullet, its second line joined, -- intact"
t_like "$st" '^ +• +\.a line starting with a dot$' "... a line starting with a dot shown, not taken for a request"
t_like "$st" '^   Timeouts$' "... a ### heading as a subsection"
t_like "$(section "$OUT" PERFDATA)" '^ +time +Unit: s$' "sample: PERFDATA, a row of a wider table"
ex=$(section "$OUT" EXAMPLES)
t_like "$ex" "^ +check_eas_sample -H mail\\.example\\.com --user 'EXAMPLE\\\\user' --password-file /etc/nagios/eas\\.pass\$" \
	"sample: EXAMPLES, the code verbatim (ASCII -, the backslash)"
t_like "$ex" '^ +\[eas_sample\]$' "... a code line '[section]' kept (help2man would take it for a section)"
t_like "$ex" '^ +/etc/nagios/eas\.ini$' "... a code line '/path' kept (help2man would take it for a pattern)"
expect_no_out 'Not shown' "sample: no other section of the doc"
t_like "${OUT##*$'\n'}" "^check-eas 9\\.9 " "sample: the footer names check-eas and the version given"
run_cmd sh "$SRCDIR/man/mkman.sh" "$BUILDDIR/plugins/$p" "$T/doc/absent.md" "$T/common.h2m" 9.9 "$T/bare.1"
expect_rc 0 "man/mkman.sh without a doc file"
run_cmd env MANWIDTH=200 man -l "$T/bare.1"
expect_no_out '^(STATES|PERFDATA)$' "... makes a page without STATES and PERFDATA"
expect_out '^SYNOPSIS$' "... with its SYNOPSIS"
t_done
