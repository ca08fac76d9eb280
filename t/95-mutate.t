#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Do the tests bite? t/mutate applies each one-line mutation of
# t/mutations.txt to a copy of the source and runs the tests named for it,
# which must fail: one "ok N - NAME (file:line) killed by TEST" line a
# mutation, "not ok" for a survivor. Runs only with CHECK_EAS_MUTATE=1
# (contrib/run-tests.sh sets it); skipped otherwise. The copy and its
# plain build live in $BUILDDIR/mutate (kept: a second run is incremental).
# Every mutation is a rebuild and a test run: more than t/run's default.
# t/run timeout: 1800
# It runs alongside the other scripts (no timings here), after the fuzzers,
# two mutants at a time: on one it outlasted the other scripts by minutes.
# t/run alongside
set -u
export MUTATE_JOBS=${MUTATE_JOBS:-2}
here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$here/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR}
export SRCDIR BUILDDIR

if [[ ${CHECK_EAS_MUTATE:-0} != 1 ]]; then
	echo "ok 1 - mutate # SKIP CHECK_EAS_MUTATE=1 not set"
	exit 0
fi
# The sanitizers of the outer build do not apply to the mutants' plain one.
unset ASAN_OPTIONS UBSAN_OPTIONS
bash "$SRCDIR/t/mutate"
