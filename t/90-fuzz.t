#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A short libFuzzer run of every fuzz/fuzz_*.c harness (see fuzz/README.md):
# one "ok N - fuzz_NAME: ..." line each. Runs only with CHECK_EAS_FUZZ=1
# (contrib/run-tests.sh sets it); skipped otherwise. CHECK_EAS_FUZZ_SECONDS
# is the time per harness (default 10). The fuzz build is separate from
# this one (clang, libFuzzer) and goes to $BUILDDIR/fuzz/.
# It runs alongside the other scripts (no timings here), so on one core,
# which may take longer than t/run's default.
# t/run timeout: 900
# t/run alongside
set -u
export FUZZ_JOBS=${FUZZ_JOBS:-1}
here=$(cd "$(dirname "$0")" && pwd)
SRCDIR=${SRCDIR:-$(cd "$here/.." && pwd)}
BUILDDIR=${BUILDDIR:-$SRCDIR}

if [[ ${CHECK_EAS_FUZZ:-0} != 1 ]]; then
	echo "ok 1 - fuzz # SKIP CHECK_EAS_FUZZ=1 not set"
	exit 0
fi
if ! command -v "${FUZZ_CC:-clang}" > /dev/null; then
	echo "not ok 1 - fuzz: ${FUZZ_CC:-clang} not found (apt-get install clang)"
	exit 1
fi
echo "# building the fuzz harnesses"
if ! make -C "$BUILDDIR" -s fuzz > "${TMPDIR:-/tmp}/fuzz-build.log" 2>&1; then
	echo "not ok 1 - fuzz: the harnesses do not build"
	tail -20 "${TMPDIR:-/tmp}/fuzz-build.log" | sed 's/^/#   /'
	exit 1
fi
make -C "$BUILDDIR" -s fuzz-run FUZZ_SECONDS="${CHECK_EAS_FUZZ_SECONDS:-10}"
