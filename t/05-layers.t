#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 05-layers.t - the layers of common/ (common/README.md): every
# #include "FOLDER/x.h" in common/ and plugins/ names its own folder or a
# lower one; folders of one rank never include each other. An include
# against the direction fails with its file and line. Then the link: only
# the plugins that offer --autodiscover (their description names
# eas_check_autodiscover) and check_eas_autodiscover need libexpat.
# A folder with a face header (common/F/F.h: tls/tls.h, http/http.h, ...)
# is seen from outside only through it: a file outside F includes "F/F.h",
# never one of F's inner headers (util/ and out/ are toolboxes without one).
# t/ and fuzz/ test the whole: they may include anything.
. "$(dirname "$0")/lib/test.sh"
t_setup

# The rank of each folder: lower may be included by higher.
declare -A RANK=(
	[util]=0 [out]=1 [tls]=2 [http]=3 [cli]=4 [run]=5
	[auth]=6 [eas]=6 [autodiscover]=6 [certexpiry]=6 [oauth]=6
	[check]=7 [plugins]=8
)

# The folders seen only through their face header F/F.h.
FACED=(tls http cli run auth eas autodiscover certexpiry oauth check)

# Inner headers a file outside the folder may still include, as
# "file|header" (relative to the tree): none today. t/ and fuzz/ are not
# checked at all (unit tests and fuzzers reach inside on purpose).
declare -A INNER_OK=()

# violations ROOT FOLDER - one "file:line: why" per include of
# ROOT/common/FOLDER (or ROOT/plugins) against the direction; the files
# are named relative to ROOT.
violations() {
	local root=$1 folder=$2 dir file line text inc to found
	if [[ $folder == plugins ]]; then dir=plugins; else dir=common/$folder; fi
	for file in "$root/$dir"/*.[ch]; do
		[[ -e $file ]] || continue
		# (read whole: a process substitution would outlive the loop)
		found=$(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$file") || continue
		while IFS=: read -r line text; do
			inc=$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' <<<"$text")
			[[ -n $inc ]] || continue
			[[ $inc == config.h ]] && continue # the build's own settings
			if [[ $inc != */* ]]; then
				printf '%s:%s: "%s" names no folder\n' "${file#"$root"/}" "$line" "$inc"
				continue
			fi
			to=${inc%%/*}
			if [[ -z ${RANK[$to]+x} ]]; then
				printf '%s:%s: "%s": folder %s has no rank in t/05-layers.t\n' \
					"${file#"$root"/}" "$line" "$inc" "$to"
			elif [[ $to != "$folder" ]] && ((RANK[$to] >= RANK[$folder])); then
				printf '%s:%s: "%s": %s (rank %s) may not include %s (rank %s)\n' \
					"${file#"$root"/}" "$line" "$inc" "$folder" "${RANK[$folder]}" \
					"$to" "${RANK[$to]}"
			elif [[ $to != "$folder" && -e $root/common/$to/$to.h && $inc != "$to/$to.h" &&
				-z ${INNER_OK["${file#"$root"/}|$inc"]+x} ]]; then
				printf '%s:%s: "%s": outside %s/ include its face "%s/%s.h"\n' \
					"${file#"$root"/}" "$line" "$inc" "$to" "$to" "$to"
			fi
		done <<<"$found"
	done
}

# layer_ok ROOT FOLDER DESC - one assertion: no include against the direction
layer_ok() {
	local bad
	bad=$(violations "$1" "$2")
	if [[ -z $bad ]]; then t_pass "$3"; else
		mapfile -t lines <<<"$bad"
		t_fail "$3" "${lines[@]}"
	fi
}

# ---------------------------------------------------------------- the table
folders=()
for d in "$SRCDIR"/common/*/; do
	d=${d%/}
	folders+=("${d##*/}")
done
t_ok "common/ has subsystem folders" test "${#folders[@]}" -ge 10
for f in "${folders[@]}"; do
	t_ok "common/$f has a rank" test -n "${RANK[$f]+x}"
	t_ok "common/$f has its README" test -s "$SRCDIR/common/$f/README.md"
	t_ok "common/$f/README.md is distributed" grep -q "common/$f/README\.md" "$SRCDIR/Makefile.am"
done
for f in "${FACED[@]}"; do
	t_ok "common/$f has its face header $f/$f.h" test -s "$SRCDIR/common/$f/$f.h"
	t_ok "common/$f/$f.h is distributed" grep -q "common/$f/$f\.h" "$SRCDIR/Makefile.am"
done
for f in "${folders[@]}"; do
	[[ " ${FACED[*]} " == *" $f "* ]] && continue
	t_ok "common/$f is a toolbox: no face header" test ! -e "$SRCDIR/common/$f/$f.h"
done
t_ok "common/ has its map" test -s "$SRCDIR/common/README.md"
loose=$(find "$SRCDIR/common" -maxdepth 1 -name '*.[ch]')
t_is "$loose" "" "no loose files in common/: each is in its subsystem"

# ---------------------------------------------------------------- includes
for f in "${folders[@]}" plugins; do
	layer_ok "$SRCDIR" "$f" "$f (rank ${RANK[$f]:-?}) includes only its own folder and lower ranks"
done

# The check itself bites: a tree with one include against the direction
# (util includes run; two siblings include each other) fails, naming the
# file and line.
mkdir -p "$T/tree/common/util" "$T/tree/common/eas" "$T/tree/common/auth" "$T/tree/plugins"
printf '#include "util/state.h"\n#include <stdio.h>\n#include "run/deadline.h"\n' \
	>"$T/tree/common/util/bad.c"
printf '#include "eas/wbxml.h"\n#include "auth/authrun.h"\n' >"$T/tree/common/eas/sib.c"
printf '#include "out/output.h"\n' >"$T/tree/common/auth/fine.c"
printf '#include "check/check.h"\n#include "nowhere/x.h"\n' >"$T/tree/plugins/p.c"
t_is "$(violations "$T/tree" util)" \
	'common/util/bad.c:3: "run/deadline.h": util (rank 0) may not include run (rank 5)' \
	"a planted upward include fails with file and line"
t_like "$(violations "$T/tree" eas)" '^common/eas/sib\.c:2: "auth/authrun\.h": eas \(rank 6\) may not include auth \(rank 6\)$' \
	"siblings may not include each other"
t_is "$(violations "$T/tree" auth)" "" "a downward include passes"
t_like "$(violations "$T/tree" plugins)" '^plugins/p\.c:2: "nowhere/x\.h": folder nowhere has no rank' \
	"a folder without a rank fails"

# Face headers: outside http/ only "http/http.h"; inside, the inner headers.
mkdir -p "$T/tree/common/http" "$T/tree/common/run"
printf '#include "http/probe.h"\n' >"$T/tree/common/http/http.h"
printf '#include "http/probe.h"\n#include "http/fail.h"\n' >"$T/tree/common/http/inner.c"
printf '#include "http/http.h"\n#include "util/state.h"\n#include "http/fail.h"\n' \
	>"$T/tree/common/run/outer.c"
printf '#include "check/check.h"\n#include "http/probe.h"\n' >"$T/tree/plugins/q.c"
t_is "$(violations "$T/tree" run)" \
	'common/run/outer.c:3: "http/fail.h": outside http/ include its face "http/http.h"' \
	"an inner header included from a higher folder fails with file and line"
t_like "$(violations "$T/tree" plugins)" \
	'plugins/q\.c:2: "http/probe\.h": outside http/ include its face "http/http\.h"' \
	"a plugin including an inner header fails"
t_is "$(violations "$T/tree" http)" "" "inside its folder a file includes the inner headers"
INNER_OK["common/run/outer.c|http/fail.h"]=1
t_is "$(violations "$T/tree" run)" "" "an allowed inner header (INNER_OK) passes"
unset 'INNER_OK[common/run/outer.c|http/fail.h]'

# ---------------------------------------------------------------- the link
# Debian's linker keeps every library named (no --as-needed): a plugin
# needs libexpat exactly when it links Autodiscover.
command -v readelf >/dev/null || t_bail "readelf (binutils) is not installed"
for src in "$SRCDIR"/plugins/check_eas_*.c; do
	p=$(basename "$src" .c)
	bin=$BUILDDIR/plugins/$p
	[[ -x $bin ]] || {
		t_fail "$p is built" "missing: $bin"
		continue
	}
	needed=$(readelf -d "$bin" | grep NEEDED)
	help=$("$bin" --help)
	if [[ $p == check_eas_autodiscover ]]; then
		t_like "$needed" 'libexpat' "$p discovers: it links expat"
	elif grep -q '&eas_check_autodiscover' "$src"; then
		t_like "$needed" 'libexpat' "$p offers --autodiscover: it links expat"
		t_like "$help" '--autodiscover' "$p: --autodiscover in --help"
	else
		t_is "$(grep -c libexpat <<<"$needed")" 0 "$p does not discover: no libexpat"
		t_is "$(nm "$bin" | grep -c ' eas_ad_discover$')" 0 "$p does not discover: no Autodiscover code"
		t_is "$(grep -c -- --autodiscover <<<"$help")" 0 "$p: no --autodiscover in --help"
	fi
done

t_done
