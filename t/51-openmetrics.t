#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# --output-format=openmetrics against real Apache: OK, WARNING, CRITICAL and
# UNKNOWN runs of several plugins (a timeout too), each exposition read by
# promtool (the Prometheus text format and its lint) and by the Python
# client's strict OpenMetrics parser; the exit code is the text format's; no secret; then
# node_exporter's textfile collector serves the files over HTTP.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/auth-servers.sh"
t_setup
t_pki
auth_setup || t_bail "apache did not start"

PY=/usr/bin/python3
have_promtool=1 have_om=1
command -v promtool >/dev/null || have_promtool=
$PY -c 'import prometheus_client.openmetrics.parser' 2>/dev/null || have_om=
mkdir "$T/textfile"

# om NAME DESC - the last run's output, read by both parsers and kept as
# $T/textfile/NAME.prom for node_exporter
om() {
	local f=$T/textfile/$1.prom
	printf '%s\n' "$OUT" >"$f"
	if [[ -n $have_promtool ]]; then
		t_ok "$2: promtool check metrics accepts it" promtool check metrics <"$f"
	else
		t_skip "$2: promtool check metrics" "promtool not installed (Debian prometheus)"
	fi
	if [[ -n $have_om ]]; then
		t_ok "$2: the strict OpenMetrics parser accepts it" $PY "$SRCDIR/t/lib/om-check.py" "$f"
	else
		t_skip "$2: OpenMetrics parser" "python3-prometheus-client not installed"
	fi
}

# state PLUGIN N - the eas_state sample of this plugin against localhost
state() {
	printf 'eas_state\\{plugin="%s",target="localhost:%s"\\} %s$' "$1" "$PORT13" "$2"
}

at "$PORT13" open
run check_eas_options "${TGT[@]}" --output-format=openmetrics
expect_rc 0 "options, healthy server: exit 0 as in text"
expect_out "^$(state check_eas_options 0)" "options: eas_state 0, labelled plugin and host:port"
expect_out '^# UNIT eas_options_time_seconds seconds$' "options: time in seconds, the unit in the name"
expect_out '^eas_options_time_seconds\{plugin="check_eas_options",target="localhost:[0-9]+"\} [0-9.e-]+$' \
	"options: the time value"
expect_out '^eas_options_size_bytes\{[^}]*\} [0-9]+$' "options: size in bytes"
expect_out '^eas_options_versions\{[^}]*\} 9$' "options: versions, no unit"
expect_out '^eas_options_commands\{[^}]*\} 24$' "options: commands"
t_like "$(tail -n 1 <<<"$OUT")" '^# EOF$' "options: # EOF is the last line"
expect_no_out '^EAS ' "options: no text line, no words"
om options-ok "options OK"

at "$PORT12" open
run check_eas_options "${TGT[@]}" --output-format openmetrics -w 0.000001 -c 30
expect_rc 1 "options, -w below any time: WARNING, exit 1"
expect_out "^eas_state\\{plugin=\"check_eas_options\",target=\"localhost:$PORT12\"\\} 1$" "options: eas_state 1"
expect_out '^eas_options_time_warning_seconds\{plugin="check_eas_options",target="localhost:[0-9]+",bound="upper",alert="outside"\} 1e-06$' \
	"options: -w as its own family, upper end"
expect_out '^eas_options_time_critical_seconds\{[^}]*,bound="lower",alert="outside"\} 0$' \
	"options: -c 30, lower end 0"
expect_out '^eas_options_time_critical_seconds\{[^}]*,bound="upper",alert="outside"\} 30$' \
	"options: -c 30, upper end 30"
om options-warn "options WARNING with thresholds"

# (the other instance: one plugin and target twice would be one series
# twice in node_exporter's scrape, which it refuses)
at "$PORT12" basic
run check_eas_basic "${TGT[@]}" "${BASIC_WRONG[@]}" --output-format=openmetrics
expect_rc 2 "basic, wrong password: CRITICAL, exit 2"
expect_out "^eas_state\\{plugin=\"check_eas_basic\",target=\"localhost:$PORT12\"\\} 2$" "basic: eas_state 2"
expect_out '^eas_basic_time_seconds\{' "basic: time family"
expect_no_str 's3cret' "basic: no password in the exposition"
om basic-crit "basic CRITICAL"

at "$PORT13" basic
run check_eas_basic "${TGT[@]}" "${BASIC[@]}" --output-format=openmetrics
expect_rc 0 "basic, right password: OK"
expect_out "^$(state check_eas_basic 0)" "basic: eas_state 0"
expect_no_str 's3cret' "basic OK: no password"
om basic-ok "basic OK"

at "$PORT13" cert
run check_eas_cert "${TGT[@]}" "${PEM[@]}" --output-format=openmetrics
expect_rc 0 "cert, client certificate accepted: OK"
expect_out '^eas_cert_cert_seconds\{[^}]*\} 3[0-9]{7}$' \
	"cert: the certificate's days as seconds (365 days, base unit)"
expect_out '^eas_cert_cert_warning_seconds\{[^}]*,bound="upper",alert="outside"\} 2592000$' \
	"cert: its 30-day warning as seconds"
om cert-ok "cert OK"

run check_eas_certexpiry --cert "$PKI/client.pem" --output-format=openmetrics
expect_rc 0 "certexpiry, a local file: OK"
expect_out '^eas_state\{plugin="check_eas_certexpiry"\} 0$' "certexpiry: no target, no target label"
expect_out '^eas_certexpiry_min_seconds\{|^eas_certexpiry_[a-z0-9_]+_seconds\{' "certexpiry: days as seconds"
om certexpiry-ok "certexpiry OK"

dead=$(t_freeport)
run check_eas_options -H 127.0.0.1 -p "$dead" --output-format=openmetrics
expect_rc 2 "options, nothing listening: CRITICAL"
expect_out "^eas_state\\{plugin=\"check_eas_options\",target=\"127.0.0.1:$dead\"\\} 2$" \
	"refused: eas_state 2, the port in the target"
om refused "connection refused"

t_blackhole || t_bail "no blackhole server"
run check_eas_options -H 127.0.0.1 -p "$BLACKHOLE_PORT" -t 1 --output-format=openmetrics
expect_rc 3 "options, a server that never answers, -t 1: UNKNOWN (the -t state)"
expect_out "^eas_state\\{plugin=\"check_eas_options\",target=\"127.0.0.1:$BLACKHOLE_PORT\"\\} 3$" \
	"timeout: eas_state 3"
expect_out '^eas_options_time_seconds\{[^}]*\} 0\.[0-9]+$' "timeout: the time spent, under -t"
om timeout "timeout UNKNOWN"

run check_eas_sync --output-format=openmetrics --no-such-option
expect_rc 3 "an unknown option: UNKNOWN, exit 3"
t_is "$OUT" $'# HELP eas_state The check\'s state and exit code: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN\n# TYPE eas_state gauge\neas_state{plugin="check_eas_sync"} 3\n# EOF' \
	"option error: the state alone, in OpenMetrics (asked anywhere on the line)"
om unknown "option error UNKNOWN"

run check_eas_options -U "https://localhost:$PORT13/open$EAS?x=\"y\\z" --ca-file "$PKI/ca.pem" --output-format=openmetrics
expect_out '^eas_state\{plugin="check_eas_options",target="https://localhost:[0-9]+/open/Microsoft-Server-ActiveSync"\} [0-3]$' \
	"-U: the URL is the target, without its query"
om url "-U target"

# --- node_exporter's textfile collector serves them (the set-up of
# doc/prometheus.md), on a loopback port of its own
NE=$(command -v prometheus-node-exporter || command -v node_exporter)
if [[ -z $NE ]]; then
	t_skip "node_exporter serves the .prom files" "prometheus-node-exporter not installed"
else
	nport=$(t_freeport)
	"$NE" --web.listen-address="127.0.0.1:$nport" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$T/textfile" \
		>"$T/node-exporter.log" 2>&1 &
	T_PIDS+=($!)
	for ((i = 0; i < 100; i++)); do
		curl -sf "http://127.0.0.1:$nport/metrics" >"$T/scrape" 2>/dev/null && break
		sleep 0.1
	done
	t_setup_check t_ok "node_exporter answers on 127.0.0.1:$nport" test -s "$T/scrape"
	SCRAPE=$(<"$T/scrape")
	t_like "$SCRAPE" '^node_textfile_scrape_error 0$' "node_exporter read every .prom file without error"
	t_like "$SCRAPE" "^eas_state\\{plugin=\"check_eas_options\",target=\"127.0.0.1:$dead\"\\} 2$" \
		"scraped: the refused run's state"
	t_like "$SCRAPE" "^eas_state\\{plugin=\"check_eas_basic\",target=\"localhost:$PORT13\"\\} 0$" \
		"scraped: the samples of several files in one family: basic OK on one server..."
	t_like "$SCRAPE" "^eas_state\\{plugin=\"check_eas_basic\",target=\"localhost:$PORT12\"\\} 2$" \
		"... CRITICAL on the other"
	t_like "$SCRAPE" '^eas_options_time_warning_seconds\{alert="outside",bound="upper",plugin="check_eas_options",target="localhost:[0-9]+"\} 1e-06$' \
		"scraped: the threshold family"
	t_like "$SCRAPE" '^eas_certexpiry_[a-z0-9_]+_seconds\{plugin="check_eas_certexpiry"\} ' \
		"scraped: certexpiry's days as seconds"
	t_ok "node_exporter logged no error (no series twice, every file parsed)" \
		bash -c '! grep -i "error" "$1" || { cat "$1"; false; }' - "$T/node-exporter.log"
	if [[ -n $have_promtool ]]; then
		t_ok "the whole scrape passes promtool check metrics" promtool check metrics <"$T/scrape"
	fi
fi
t_done
