#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The whole test suite: installs what it needs (as root), builds the
# plugins with -Werror, and runs the unit and integration tests against a
# second build instrumented with ASan+UBSan, so any memory error or undefined
# behaviour on any path a test takes fails the run.
# Ends with one line "N passed, N failed, N skipped". Arguments filter test
# scripts.
set -u
. "$(dirname "$0")/setup.sh"

eas_install_deps || exit 1
eas_install_npm || exit 1
# The house style, as .clang-format says: a file that drifts fails the run.
echo "== clang-format"
(cd "$TOP" && git ls-files '*.c' '*.h' 2>/dev/null || find common plugins t fuzz contrib -name '*.[ch]') |
	(cd "$TOP" && xargs clang-format --dry-run -Werror) || {
	echo "not ok - source formatting (run: clang-format -i \$(git ls-files '*.c' '*.h'))"
	echo "0 passed, 1 failed, 0 skipped"
	exit 1
}
eas_build "$BUILD" --enable-werror || exit 1
eas_build "$BUILD-san" --enable-werror --enable-sanitizers || exit 1

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# t/90-fuzz.t: a short libFuzzer run of every fuzz/fuzz_*.c (10 s each),
# counted in the final line like any test.
export CHECK_EAS_FUZZ=${CHECK_EAS_FUZZ:-1}
# t/95-mutate.t: every one-line mutation of t/mutations.txt must make the
# tests named for it fail (its own plain build in $BUILD-san/mutate),
# counted in the final line as one assertion a mutation.
export CHECK_EAS_MUTATE=${CHECK_EAS_MUTATE:-1}
# t/92-valgrind.t: valgrind and ASan do not mix, so it runs the plain
# build's plugins, found here.
export CHECK_EAS_PLAIN_BUILD="$BUILD"
echo "== tests (sanitizer build)"
make -C "$BUILD-san" -s check TESTS_FILTER="${*:-}"
