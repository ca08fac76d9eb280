#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# contrib/zabbix against a real zabbix_agentd on a loopback port: the
# UserParameters of check-eas.conf run the plugins (options in an ini
# section, never in the key) against real Apache and answer their JSON over
# the passive protocol; the agent refuses shell characters in a key; the
# template is the generator's, has what a Zabbix 6.0 import needs, and
# every JSONPath of it finds its value in the plugins' real output. (No
# Zabbix server: the import itself and the triggers are not run.)
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
. "$(dirname "$0")/lib/plugin-json.sh"
t_setup
t_pki
auth_setup || t_bail "apache did not start"

PY=/usr/bin/python3
ZBX=$SRCDIR/contrib/zabbix
J=$T/json
mkdir "$T/ini" "$T/zabbix"

# --- the plugins' real JSON, for the template's JSONPaths
plugin_json "$J"

# --- the template
$PY "$ZBX/template.py" >"$T/generated.yaml"
t_ok "the template is what contrib/zabbix/template.py writes" \
	diff -u "$ZBX/check-eas-template.yaml" "$T/generated.yaml"
run_cmd $PY "$SRCDIR/t/lib/zbx-template-check.py" "$ZBX/check-eas-template.yaml" "$J"
expect_rc 0 "the template: Zabbix 6.0 structure, UUIDv4s, masters, macros, triggers on their items, every JSONPath in real output"
expect_out '^(2[0-9]|[3-9][0-9]) JSONPaths found in real output' "... and it checked the JSONPaths ($OUT)"
# The check can fail: a label no plugin emits.
sed "s/label=='versions'/label=='no_such_label'/" "$ZBX/check-eas-template.yaml" >"$T/broken.yaml"
run_cmd $PY "$SRCDIR/t/lib/zbx-template-check.py" "$T/broken.yaml" "$J"
expect_first "a JSONPath naming a label the plugin never emits is found out" 1 \
	"^eas\\.options\\.perf\\[versions\\]: .*never emits perfdata label 'no_such_label'"

# --- a real agent with the UserParameters (the plugins of this build)
if ! command -v zabbix_agentd >/dev/null; then
	t_skip "zabbix_agentd runs the UserParameters" "zabbix-agent not installed"
	t_done
fi
cat >"$T/ini/plugins.ini" <<EOF
[check_eas_options]
hostname=localhost
port=$PORT13
ca-file=$PKI/ca.pem
url-path=/open$EAS

[eas_basic_ok]
hostname=localhost
port=$PORT13
ca-file=$PKI/ca.pem
url-path=/basic$EAS
user=user@example.com
password-file=$T/pass

[eas_basic_wrong]
hostname=localhost
port=$PORT13
ca-file=$PKI/ca.pem
url-path=/basic$EAS
user=user@example.com
password-file=$T/wrong.pass
EOF
sed "s|/usr/lib/nagios/plugins/|$BUILDDIR/plugins/|" "$ZBX/check-eas.conf" >"$T/zabbix/check-eas.conf"
# (the agent takes a ListenPort of 1024-32767 only, below the kernel's
# range for free ports)
zport=$($PY -c '
import random, socket
for _ in range(200):
    p = random.randint(20000, 32767)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()')
{
	echo "LogType=file"
	echo "LogFile=$T/zabbix/agent.log"
	echo "PidFile=$T/zabbix/agent.pid"
	echo "ListenIP=127.0.0.1"
	echo "ListenPort=$zport"
	echo "Server=127.0.0.1"
	echo "ServerActive="
	echo "StartAgents=2"
	echo "Timeout=15"
	[[ $(id -u) == 0 ]] && echo "AllowRoot=1"
	echo "Include=$T/zabbix/check-eas.conf"
} >"$T/zabbix/agent.conf"
NAGIOS_CONFIG_PATH=$T/ini zabbix_agentd -f -c "$T/zabbix/agent.conf" >"$T/zabbix/stdout" 2>&1 &
T_PIDS+=($!)
for ((i = 0; i < 100; i++)); do
	$PY "$SRCDIR/t/lib/zbx-get.py" 127.0.0.1 "$zport" agent.ping >/dev/null 2>&1 && break
	sleep 0.1
done
run_cmd $PY "$SRCDIR/t/lib/zbx-get.py" 127.0.0.1 "$zport" agent.ping
t_setup_check expect_first "zabbix_agentd answers agent.ping on 127.0.0.1:$zport" 0 '^1$'

zget() { run_cmd $PY "$SRCDIR/t/lib/zbx-get.py" 127.0.0.1 "$zport" "$1"; }
# field EXPR - a Python expression over d, the JSON in $OUT (empty if not JSON)
field() { $PY -c 'import json,sys; d=json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1" <<<"$OUT" 2>/dev/null; }

zget 'eas.options[]'
expect_rc 0 "eas.options[] (empty: the section named after the plugin): an answer"
t_is "$(field 'd["plugin"], d["exit_code"], d["state"]')" "('check_eas_options', 0, 'OK')" \
	"eas.options[]: check_eas_options's JSON, OK, exit_code 0"
t_is "$(field '[p["value"] for p in d["perfdata"] if p["label"]=="versions"]')" '[9.0]' \
	"eas.options[]: the perfdata the template reads (versions 9)"

zget 'eas.basic[eas_basic_ok]'
t_is "$(field 'd["plugin"], d["exit_code"]')" "('check_eas_basic', 0)" "eas.basic[eas_basic_ok]: OK through the ini section"
expect_no_str 's3cret' "eas.basic[eas_basic_ok]: no password in the answer"

zget 'eas.basic[eas_basic_wrong]'
expect_rc 0 "eas.basic[eas_basic_wrong]: the agent answers whatever the plugin's exit code"
t_is "$(field 'd["exit_code"], d["state"]')" "(2, 'CRITICAL')" "eas.basic[eas_basic_wrong]: CRITICAL, exit_code 2 (the trigger's value)"
t_like "$(field 'd["summary"]')" 'refused: HTTP 401: credentials rejected' "eas.basic[eas_basic_wrong]: the summary says why"
expect_no_str 's3cret' "eas.basic[eas_basic_wrong]: no password in the answer"

zget 'eas.basic[no_such_section]'
t_is "$(field 'd["exit_code"]')" 3 "eas.basic[no_such_section]: UNKNOWN in JSON (the section is missing)"

zget 'eas.options[x;id]'
expect_first "eas.options[x;id]: the agent refuses a shell character in the key (UnsafeUserParameters=0)" 2 \
	'^ZBX_NOTSUPPORTED: .*(not allowed|[Ss]pecial characters)'

run_cmd env NAGIOS_CONFIG_PATH="$T/ini" zabbix_agentd -c "$T/zabbix/agent.conf" -t 'eas.options[]'
t_like "$OUT" '^eas\.options\[\][[:space:]]+\[t\|\{' "zabbix_agentd -t eas.options[] (the test mode of the docs): the JSON as a text value"
t_done
