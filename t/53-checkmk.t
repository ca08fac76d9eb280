#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/checkmk/check_eas.py: it compiles, and, loaded against a stand-in
# for Checkmk's cmk.graphing.v1 (its documented classes and argument
# names), each translation is for a plugin of this build and names only
# perfdata labels that plugin really emits against real Apache, and every
# metric it renames to, draws or shows is defined. (No Checkmk site: how
# Checkmk draws them is not tested.)
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
. "$(dirname "$0")/lib/plugin-json.sh"
t_setup
t_pki
auth_setup || t_bail "apache did not start"

PY=/usr/bin/python3
CMK=$SRCDIR/contrib/checkmk/check_eas.py
plugin_json "$T/json"

t_ok "check_eas.py compiles (python3 -m py_compile)" \
	$PY -c 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)' \
	"$CMK" "$T/check_eas.pyc"
run_cmd $PY "$SRCDIR/t/lib/cmk-check.py" "$CMK" "$T/json" "$BUILDDIR/plugins"
expect_rc 0 "translations, metrics, graphs, perfometers: all consistent with the plugins' real perfdata"
expect_out '^7 translations, (1[5-9]|[2-9][0-9]) labels found in real output, ' \
	"... for the seven plugins ($OUT)"
# The check can fail: a label the plugin does not emit, a metric not defined.
sed 's/"versions": translations.RenameTo/"version": translations.RenameTo/' "$CMK" >"$T/bad1.py"
run_cmd $PY "$SRCDIR/t/lib/cmk-check.py" "$T/bad1.py" "$T/json" "$BUILDDIR/plugins"
expect_first "a label check_eas_options never emits is found out" 1 \
	"^check_eas_options: translates 'version', which it never emits"
sed 's/RenameTo("eas_lock_wait")/RenameTo("eas_lockwait")/' "$CMK" >"$T/bad2.py"
run_cmd $PY "$SRCDIR/t/lib/cmk-check.py" "$T/bad2.py" "$T/json" "$BUILDDIR/plugins"
expect_out "^check_eas_sync: 'lock_wait' renamed to undefined metric eas_lockwait$" \
	"a rename to an undefined metric is found out"
t_done
