# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/plugins.sh - the plugins a build makes, read from the Makefile's
# plugin_PROGRAMS (never a list of names in a test, never "ls": an in-tree
# build has plugins/check_eas_*.c and *.o beside the programs).

# eas_plugins - base names of the plugins, one a line, sorted
eas_plugins() {
	printf 'eas-print-plugins:\n\t@echo $(plugin_PROGRAMS)\n' |
		env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL -u MAKEOVERRIDES \
			make -s --no-print-directory -C "$BUILDDIR" -f Makefile -f - eas-print-plugins |
		tr ' ' '\n' | sed -n 's|^\(.*/\)\{0,1\}\(check_[^/]*\)$|\2|p' | sort
}
