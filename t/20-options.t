#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_options against real Apache + the Exchange-like responder:
# every outcome the foundation issue names, options and bad input.
. "$(dirname "$0")/lib/test.sh"
t_setup
t_pki

httpd_start main vhost-eas || t_bail "apache did not start"
P=$HTTPD_PORT
CA=(--ca-file "$PKI/ca.pem")
opts() { run check_eas_options -H localhost -p "$P" "${CA[@]}" "$@"; }
case_path() { echo "/s/$1/Microsoft-Server-ActiveSync"; }

# --- the healthy server
opts
expect_first "Exchange answers OPTIONS: OK" 0 '^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1 \(9 versions\), 24 commands'
expect_perf time '^[0-9]+\.[0-9]{6}s;;;0$' "time perfdata in seconds with min 0"
expect_perf time_connect '^[0-9.]+s' "time_connect perfdata"
expect_perf time_ssl '^[0-9.]+s' "time_ssl perfdata"
expect_perf time_firstbyte '^[0-9.]+s' "time_firstbyte perfdata"
expect_perf size '^[0-9]+B;;;0$' "size perfdata in bytes"
expect_perf versions '^9;;;0$' "versions perfdata"
expect_perf commands '^24;;;0$' "commands perfdata"
t_like "$(t_perf time_ssl)" '^0\.0*[1-9]' "TLS handshake time is measured"

opts -w 5 -c 10
expect_perf time ';5;10;0$' "thresholds appear in perfdata"
opts -w 0.000001
expect_first "-w below the response time: WARNING" 1 '^EAS OPTIONS WARNING - .*slow: '
opts -w 0.000001 -c @0:100
expect_first "-c @0:100 (inside): CRITICAL" 2 '^EAS OPTIONS CRITICAL - .*slow: '

opts --require-version 14.1 --require-command Provision --require-command sync
expect_first "required version and commands offered: OK" 0 '^EAS OPTIONS OK'
opts -u "$(case_path old)" --require-version 14.1
expect_first "old server lacks 14.1: CRITICAL" 2 '^EAS OPTIONS CRITICAL - ActiveSync 8\.3 answers: protocol 12\.1.*required protocol 14\.1 not offered'
opts -u "$(case_path old)" --require-command Provision
expect_first "old server lacks Provision: CRITICAL" 2 'required command Provision not offered'
opts --require-version 14
expect_first "malformed --require-version: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --require-version: .*not a protocol version'
# A bounded list: all 16 are checked (the 16th too); a 17th is one too
# many, not "not a protocol version" (the bug the declared options fixed).
req=()
for i in $(seq 15); do req+=(--require-version 14.1); done
opts "${req[@]}" --require-version 16.2
expect_first "16 --require-version, the 16th not offered: CRITICAL naming it" 2 \
	'^EAS OPTIONS CRITICAL - .*required protocol 16\.2 not offered'
opts "${req[@]}" --require-version 14.0 --require-version 14.1
expect_first "a 17th --require-version: UNKNOWN, one too many" 3 \
	'^EAS OPTIONS UNKNOWN - at most 16 --require-version \(this is the 17th\)$'
opts --require-command Provision --on-auth-required 9
expect_first "a bad --on-auth-required: UNKNOWN, the declared words" 3 \
	"^EAS OPTIONS UNKNOWN - --on-auth-required: '9' is not OK, WARNING, CRITICAL or UNKNOWN$"

# --- GET: 501/505 mean alive
opts --method GET
expect_first "GET answered 501: alive, OK" 0 '^EAS OPTIONS OK - alive: HTTP 501'
opts --method GET -u "$(case_path 505)"
expect_first "GET answered 505: alive, OK" 0 '^EAS OPTIONS OK - alive: HTTP 505'
opts -u "$(case_path 501)"
expect_first "OPTIONS answered 501: CRITICAL" 2 '^EAS OPTIONS CRITICAL - HTTP 501 not implemented'
opts -u "$(case_path 505)"
expect_first "OPTIONS answered 505: CRITICAL" 2 '^EAS OPTIONS CRITICAL - HTTP 505'
opts --method PUT
expect_first "bad --method: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --method: must be OPTIONS or GET'

# --- authentication demanded: alive, state configurable
opts -v -u "$(case_path 401)"
expect_summary "401 without credentials: alive, auth enforced (OK), the schemes on the line" 0 '^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Basic \(Bearer off\) \|'
expect_out '^offered: Basic: realm=mail\.example\.com$' "... -v: the scheme with its realm"
opts -u "$(case_path 401)" --require-version 14.1 -v
expect_first "401 hides the offer: --require-version cannot be checked, UNKNOWN naming it" 3 \
	'^EAS OPTIONS UNKNOWN - cannot check --require-version: OPTIONS wants credentials \(HTTP 401\), give --user and a password, or --cert'
expect_out '^HTTP 401: .*; server offers Basic$' "... -v keeps what the 401 said"
opts -u "$(case_path 403.7)" --require-command Provision --on-auth-required CRITICAL
expect_first "403.7 with a requirement and --on-auth-required CRITICAL: the worse state, still naming the requirement" 2 \
	'^EAS OPTIONS CRITICAL - cannot check --require-command: OPTIONS wants credentials \(HTTP 403\.7\)'
opts -u "$(case_path 401)" --on-auth-required WARNING
expect_first "401 with --on-auth-required WARNING" 1 '^EAS OPTIONS WARNING - HTTP 401'
opts -v -u "$(case_path 401.2)"
expect_summary "401.2 explained as certificate mapping" 0 'HTTP 401\.2: .*not mapped to an account'
opts -u "$(case_path 403.7)"
expect_first "403.7: client certificate required (auth enforced)" 0 '^EAS OPTIONS OK - alive, authentication enforced: HTTP 403\.7: the server requires a client certificate'
opts -u "$(case_path 403.7)" --on-auth-required critical
expect_first "403.7 with --on-auth-required critical" 2 '^EAS OPTIONS CRITICAL - HTTP 403\.7'

# --- errors, each explained
opts -u "$(case_path 403)"
expect_first "403: CRITICAL, forbidden explained" 2 '^EAS OPTIONS CRITICAL - HTTP 403: access forbidden'
opts -u "$(case_path 403.4)"
expect_first "403.4: SSL required" 2 '^EAS OPTIONS CRITICAL - HTTP 403\.4: SSL required'
opts -u "$(case_path 403.16)"
expect_first "403.16: client certificate untrusted" 2 '^EAS OPTIONS CRITICAL - HTTP 403\.16: the client certificate is untrusted'
opts -u "$(case_path 403.17)"
expect_first "403.17: client certificate expired" 2 '^EAS OPTIONS CRITICAL - HTTP 403\.17: the client certificate has expired'
opts -u "$(case_path 404)"
expect_first "404: wrong path / EAS vdir missing" 2 '^EAS OPTIONS CRITICAL - HTTP 404: not found, wrong path or the EAS virtual directory'
opts -u /nothing/here --method GET
expect_first "Apache's own 404 for GET" 2 '^EAS OPTIONS CRITICAL - HTTP 404: not found'
opts -u /nothing/here
expect_first "plain Apache answering OPTIONS: not Exchange" 2 '^EAS OPTIONS CRITICAL - HTTP 200 but without the ActiveSync headers'
opts -u "$(case_path 449)"
expect_first "449: WARNING, provisioning wanted" 1 '^EAS OPTIONS WARNING - HTTP 449: retry after Provision'
opts -u "$(case_path 451)"
expect_first "451: WARNING naming X-MS-Location" 1 '^EAS OPTIONS WARNING - HTTP 451: .*https://mail2\.example\.com/Microsoft-Server-ActiveSync'
opts -u "$(case_path 500)"
expect_first "500: CRITICAL" 2 '^EAS OPTIONS CRITICAL - HTTP 500: internal server error'
opts -u "$(case_path 503)"
expect_first "503: CRITICAL with Retry-After" 2 '^EAS OPTIONS CRITICAL - HTTP 503: service unavailable .*retry after 120s'
opts -v -u "$(case_path 503-throttle)"
expect_summary "503 with X-MS-ASThrottle: CRITICAL, the throttling named" 2 \
	'^EAS OPTIONS CRITICAL - HTTP 503: throttled, retry after 30s: the device sends commands too often \(X-MS-ASThrottle: CommandFrequency\)'
opts -u "$(case_path login)"
expect_first "200 without EAS headers: a proxy/login page" 2 '^EAS OPTIONS CRITICAL - HTTP 200 but without the ActiveSync headers: a reverse-proxy or login page'
opts -u "$(case_path redirect)"
expect_first "302 to a login page" 2 '^EAS OPTIONS CRITICAL - HTTP 302 redirect to https://login\.example\.com/adfs'
opts -u "$(case_path badheaders)"
expect_first "malformed EAS headers: WARNING, no crash" 1 '^EAS OPTIONS WARNING - ActiveSync 15\.1 answers but lists no valid protocol version'
opts -u "$(case_path big)"
expect_first "5 MiB body: read stops at the cap, still OK" 0 '^EAS OPTIONS OK'
t_like "$(t_perf size)" '^10[0-9]{5}B' "size shows the read stopped near 1 MiB"

# --- output formats
opts -v
expect_out '^OPTIONS https://localhost:[0-9]+/Microsoft-Server-ActiveSync$' "-v shows the request"
expect_out '^MS-ASProtocolVersions: 2\.0,2\.1,2\.5,12\.0,12\.1,14\.0,14\.1,16\.0,16\.1$' "-v shows the EAS headers"
expect_out '^TLS TLSv1\.3, cipher ' "-v shows the TLS version"
expect_out '^times: dns [0-9.]+s, connect' "-v shows per-phase times"
opts --output-format=json -u "$(case_path 503)"
expect_rc 2 "JSON mode keeps the exit code"
expect_json_field state '"CRITICAL"'
expect_json_field exit_code '2'
expect_json_field http_status '503'
expect_json_field Retry-After '"120"'
expect_json_field label '"time"'
expect_json_field summary '"HTTP 503: service unavailable'
opts --output-format=xml
expect_first "unknown output format: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --output-format: invalid value'

# --- target selection
run check_eas_options -H localhost -I 127.0.0.1 -p "$P" "${CA[@]}"
expect_first "-I connects to an address, keeps the name" 0 '^EAS OPTIONS OK'
run check_eas_options -H 127.0.0.1 --sni localhost -p "$P" "${CA[@]}"
expect_first "--sni names the server when connecting by address" 0 '^EAS OPTIONS OK'
run check_eas_options -U "https://localhost:$P/Microsoft-Server-ActiveSync" "${CA[@]}"
expect_first "-U full URL" 0 '^EAS OPTIONS OK'
run check_eas_options -H localhost -p "$P" --ca-path "$PKI/capath"
expect_first "--ca-path hashed directory" 0 '^EAS OPTIONS OK'

# --- TLS failures
run check_eas_options -H localhost -p "$P" --ca-file "$PKI/foreign-ca.pem"
expect_first "untrusted server certificate: CRITICAL with the reason" 2 '^EAS OPTIONS CRITICAL - server certificate not trusted: .*(local issuer|self.signed)'
# Perfdata only for what completed: connected, the handshake failed.
t_like "$(t_perf time_connect)" '^0\.[0-9]{6}s;;;0$' "... connected: time_connect measured"
t_like "$(t_perf time_connect)" '^0\.0*[1-9]' "... time_connect is not a false 0"
t_is "$(t_perf time_ssl)$(t_perf time_firstbyte)$(t_perf size)" "" \
	"... the handshake failed: no time_ssl, time_firstbyte or size"
run check_eas_options -H localhost -p "$P" --ca-file "$PKI/foreign-ca.pem" --output-format=json
t_is "$(python3 -c 'import json, sys; print(" ".join(sorted(json.loads(sys.argv[1])["probe"]["time"])))' "$OUT")" \
	"connect dns total" "... JSON: the same phases (no tls or firstbyte time)"
run check_eas_options -H localhost -p "$P" --ca-file "$PKI/foreign-ca.pem" -k
expect_first "--insecure skips verification" 0 '^EAS OPTIONS OK'
run check_eas_options -H localhost -p "$P" --ca-file "$PKI/missing.pem"
expect_first "unreadable CA file: UNKNOWN naming the option" 3 "^EAS OPTIONS UNKNOWN - cannot read --ca-file $PKI/missing\.pem: No such file or directory$"
run check_eas_options -H localhost -p "$P" --tls-min 1.4
expect_first "bad --tls-min: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --tls-min: invalid value'
for port in 0 65536; do
	run check_eas_options -H localhost -p "$port" "${CA[@]}"
	expect_first "--port $port (outside 1-65535): UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --port: invalid value '$port'\$"
done

HTTPD_CERT=$PKI/srv-expired.pem httpd_start expired vhost-eas || t_bail "apache (expired) did not start"
run check_eas_options -H localhost -p "$HTTPD_PORT_expired" "${CA[@]}"
expect_first "expired server certificate: CRITICAL" 2 '^EAS OPTIONS CRITICAL - server certificate not trusted: certificate has expired.*renew'
HTTPD_CERT=$PKI/srv-wronghost.pem httpd_start wronghost vhost-eas || t_bail "apache (wronghost) did not start"
run check_eas_options -H localhost -p "$HTTPD_PORT_wronghost" "${CA[@]}"
expect_first "certificate for another name: CRITICAL" 2 '^EAS OPTIONS CRITICAL - server certificate does not match the host name'
t_like "$(t_perf time_connect)" '^0\.0*[1-9][0-9]*s;;;0$' "... connected: time_connect measured, not 0"
t_is "$(t_perf time_ssl)$(t_perf time_firstbyte)$(t_perf size)" "" \
	"... name mismatch: no time_ssl (the handshake did not complete), no time_firstbyte or size"
HTTPD_CERT=$PKI/srv-selfsigned.pem httpd_start selfsigned vhost-eas || t_bail "apache (selfsigned) did not start"
run check_eas_options -H localhost -p "$HTTPD_PORT_selfsigned" "${CA[@]}"
expect_first "self-signed server certificate: CRITICAL" 2 '^EAS OPTIONS CRITICAL - server certificate not trusted: self.signed'
HTTPD_EXTRA='SSLProtocol -all +TLSv1.2' httpd_start tls12 vhost-eas || t_bail "apache (tls12) did not start"
run check_eas_options -H localhost -p "$HTTPD_PORT_tls12" "${CA[@]}" --tls-min 1.3
expect_first "--tls-min 1.3 against a TLS 1.2 server: CRITICAL" 2 '^EAS OPTIONS CRITICAL - TLS handshake (failed: no TLS version in common|refused by the server \(TLS alert: protocol version\))'
run check_eas_options -H localhost -p "$HTTPD_PORT_tls12" "${CA[@]}" --tls-min 1.2
expect_first "--tls-min 1.2 against a TLS 1.2 server: OK" 0 '^EAS OPTIONS OK'

httpd_start plain vhost-eas-plain || t_bail "apache (plain) did not start"
run check_eas_options -H localhost -p "$HTTPD_PORT_plain"
expect_first "https to a plain-HTTP port: not TLS" 2 '^EAS OPTIONS CRITICAL - TLS handshake failed: the port does not speak TLS'
run check_eas_options -U "http://localhost:$HTTPD_PORT_plain/Microsoft-Server-ActiveSync"
expect_first "plain HTTP answered 403.4: SSL required" 2 '^EAS OPTIONS CRITICAL - HTTP 403\.4: SSL required'

# --- transport failures
port=$(t_freeport)
run check_eas_options -H 127.0.0.1 -p "$port"
expect_first "connection refused: CRITICAL in plain words" 2 '^EAS OPTIONS CRITICAL - connection refused: nothing listens on that port'
run check_eas_options -H host.invalid
expect_first "DNS failure: CRITICAL" 2 '^EAS OPTIONS CRITICAL - DNS lookup failed'
t_garbage
run check_eas_options -H 127.0.0.1 -p "$GARBAGE_PORT" -k
expect_first "a non-TLS service: CRITICAL" 2 '^EAS OPTIONS CRITICAL - TLS handshake failed'
t_blackhole
start=$SECONDS
run check_eas_options -H 127.0.0.1 -p "$BLACKHOLE_PORT" -k -t 2
expect_first "silent server: UNKNOWN after -t, naming the TLS handshake" 3 '^EAS OPTIONS UNKNOWN - .*(no answer within|timed out after).*TLS handshake'
t_like "$((SECONDS - start))" '^[0-3]$' "-t 2 ends the check within 3 s"
run check_eas_options -H 127.0.0.1 -p "$BLACKHOLE_PORT" -k -t 1.5:CRITICAL
expect_first "-t SECONDS:CRITICAL sets the state" 2 '^EAS OPTIONS CRITICAL - .*TLS handshake'
opts -u "$(case_path slow)?n=10" -t 2
expect_first "slow server: UNKNOWN, waiting for the response" 3 '^EAS OPTIONS UNKNOWN - .*waiting for the (OPTIONS )?response'

# --- options and their errors
run check_eas_options
expect_first "no host: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - no server given: use -H HOST or -U URL$'
run check_eas_options -H localhost --frobnicate
expect_first "unknown long option: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - unknown or ambiguous option '--frobnicate'"
run check_eas_options -H localhost --insecure=yes
expect_first "a value for a flag: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - option '--insecure' takes no value$"
run check_eas_options -H localhost -x
expect_first "unknown short option: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - unknown option '-x'"
run check_eas_options -H localhost -p 70000
expect_first "port out of range: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --port: invalid value '70000'"
run check_eas_options -H localhost -t abc
expect_first "bad timeout: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --timeout: invalid value"
run check_eas_options -H localhost -t 5:SOMETIMES
expect_first "bad timeout state: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --timeout: invalid value"
run check_eas_options -H localhost -w 10:5
expect_first "inverted range: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - invalid threshold range '10:5'"
run check_eas_options -H localhost -u noslash
expect_first "path without /: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --url-path: invalid value"
run check_eas_options -U ftp://localhost/
expect_first "non-HTTP URL: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --url: invalid value"
run check_eas_options -H localhost extra
expect_first "stray argument: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - unexpected argument 'extra'"
run check_eas_options -H localhost -p
expect_first "missing value: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - option '-p' needs a value"
run check_eas_options -h
expect_rc 0 "-h exits 0"
expect_out '--require-version=X\.Y' "-h lists plugin options"
expect_out '--extra-opts\[=\[SECTION\]\[@FILE\]\]' "-h lists --extra-opts"
# (descriptions are wrapped at 80 columns: read them as one text)
t_like "$(tr -s ' \n' '  ' <<<"$OUT")" '--require-version=X\.Y CRITICAL unless the server offers this protocol version \(repeatable, at most 16\) ' \
	"-h gives a list's bound, from the same declaration the parser enforces"
t_is "$(awk '/^Options:/ { o = 1; next } o && /^$/ { exit } o && length($0) > 79' <<<"$OUT")" "" \
	"-h: the options and their descriptions within 80 columns"
run check_eas_options -V
expect_first "-V prints the version" 0 '^check_eas_options [0-9]+\.[0-9]+\.[0-9]+'

# --- --extra-opts: the ini file supplies options, the command line wins
cat > "$T/plugins.ini" <<INI
[check_eas_options]
hostname=localhost
port=$P
ca-file=$PKI/ca.pem

[eas_old]
hostname = localhost
port = $P
ca-file = $PKI/ca.pem
url-path = $(case_path old)
require-version = 14.1
INI
run check_eas_options --extra-opts=@"$T/plugins.ini"
expect_first "--extra-opts default section (plugin name)" 0 '^EAS OPTIONS OK'
run check_eas_options --extra-opts=eas_old@"$T/plugins.ini"
expect_first "--extra-opts named section" 2 'required protocol 14\.1 not offered'
run check_eas_options --extra-opts=eas_old@"$T/plugins.ini" -u /Microsoft-Server-ActiveSync
expect_first "command line overrides the ini file" 0 '^EAS OPTIONS OK'
NAGIOS_CONFIG_PATH=$T run check_eas_options --extra-opts
expect_first "--extra-opts finds plugins.ini via NAGIOS_CONFIG_PATH" 0 '^EAS OPTIONS OK'
run check_eas_options --extra-opts=nosuch@"$T/plugins.ini"
expect_first "missing ini section: UNKNOWN" 3 '^EAS OPTIONS UNKNOWN - --extra-opts: no section \[nosuch\]'
printf '[check_eas_options]\nbogus-option=1\n' > "$T/bad.ini"
run check_eas_options -v --extra-opts=@"$T/bad.ini"
expect_summary "unknown option from the ini file: UNKNOWN, naming file, section and key" 3 \
	"^EAS OPTIONS UNKNOWN - key 'bogus-option' is not an option of check_eas_options \\(see --help\\), in $T/bad\\.ini \\[check_eas_options\\]$"
# A mistyped secret option must not print the secret it carries.
printf '[check_eas_options]\npasword=TopSecret-1\n' > "$T/typo.ini"
run check_eas_options --extra-opts=@"$T/typo.ini"
expect_first "mistyped option in the ini file: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - .*key 'pasword' is not an option"
expect_no_out 'TopSecret-1' "... without the value it carries"
# One too many from an ini file: the file and the count, no value.
{ echo '[check_eas_options]'; for i in $(seq 17); do echo "require-command=Secret$i"; done; } > "$T/many.ini"
run check_eas_options -v -H localhost --extra-opts=@"$T/many.ini"
expect_summary "a 17th list item from the ini file: UNKNOWN, naming the file" 3 \
	"^EAS OPTIONS UNKNOWN - at most 16 --require-command \\(this is the 17th\\), in $T/many\\.ini \\[check_eas_options\\]$"
expect_no_out 'Secret17' "... without the value"
run check_eas_basic -H localhost --pass=TopSecret-2
expect_first "ambiguous abbreviation: UNKNOWN" 3 "^EAS BASIC UNKNOWN - unknown or ambiguous option '--pass'"
expect_no_out 'TopSecret-2' "... without the value it carries"

# --- no perfdata for phases that never ran (graphs must not dive to 0)
run check_eas_options -H localhost -p "$(t_freeport)" "${CA[@]}"
expect_first "connection refused: CRITICAL" 2 'connection refused'
t_like "$(t_perf time)" '^[0-9.]+s' "... the total time is reported"
t_is "$(t_perf time_connect)$(t_perf time_ssl)$(t_perf time_firstbyte)$(t_perf size)" "" \
	"... but no connect, TLS, first-byte or size figure for phases that never ran"

# --- options operators expect: -4/-6, --tls-max, proxies, -V, -H forms
opts -V
expect_first "-V: one line, as check_curl's (the man page's header)" 0 '^check_eas_options [0-9.]+ \(check-eas\)$'
t_is "$(wc -l <<<"$OUT")" 1 "... and nothing else (no library list)"
opts -V -v
expect_first "-V -v: the same first line" 0 '^check_eas_options [0-9.]+ \(check-eas\)$'
expect_out '^libcurl [0-9.]+, OpenSSL [0-9].*, json-c [0-9]' "... then libcurl, OpenSSL and json-c, for bug reports"
run check_eas_options --verbose --version
expect_out '^libcurl [0-9.]+, OpenSSL [0-9].*, json-c [0-9]' "--verbose --version: the libraries too, in either order"
run check_eas_options -v -H https://mail.example.com/Microsoft-Server-ActiveSync
expect_summary "-H with a URL: UNKNOWN, says to use -U" 3 "^EAS OPTIONS UNKNOWN - --hostname: 'https://mail\.example\.com/Microsoft-Server-ActiveSync' is a URL: write -U "
run check_eas_options -H mail.example.com:443
expect_first "-H host:port: UNKNOWN, says -p" 3 "^EAS OPTIONS UNKNOWN - --hostname: 'mail\.example\.com:443' has a port: write -H mail\.example\.com -p 443"
run check_eas_options -H mail.example.com/owa
expect_first "-H host/path: UNKNOWN, says -u" 3 "has a path: write -H with the host name and -u /path"
run check_eas_options -H ::1 -p 1
expect_first "-H with a bare IPv6 address is a host" 2 '^EAS OPTIONS CRITICAL - connection refused'
run check_eas_options -H localhost -I 'not a host'
expect_first "-I with neither an address nor a name: UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --ip: 'not a host' is neither an IP address nor a host name"
opts -I localhost
expect_first "-I with a host name (Nagios' HOSTADDRESS may be one): connects there" 0 '^EAS OPTIONS OK'
opts -I ''
expect_first "-I empty (an empty HOSTADDRESS): as if not given" 0 '^EAS OPTIONS OK'
opts --tls-max 1.2 -v
expect_out '^TLS TLSv1\.2, ' "--tls-max 1.2: the handshake stops at TLS 1.2"
expect_first "--tls-max 1.2: still OK" 0 '^EAS OPTIONS OK'
opts --tls-max 1.1
expect_first "--tls-max 1.1 against a 1.2+ server: CRITICAL, no common version" 2 'no TLS version in common'
opts -4 -v
expect_out '^connected to 127\.0\.0\.1' "-4: over IPv4"
run check_eas_options -H 127.0.0.1 -p "$P" -6 "${CA[@]}"
expect_first "-6 to an IPv4-only name: CRITICAL, says why" 2 'IPv6'
dead=$(t_freeport)
https_proxy=http://127.0.0.1:$dead run check_eas_options -H localhost -p "$P" "${CA[@]}" -v
expect_first "a dead proxy from the environment is named, not taken for the server" 2 \
	"^EAS OPTIONS CRITICAL - cannot connect to the proxy http://127\.0\.0\.1:$dead: connection refused"
expect_out "^through the proxy http://127\.0\.0\.1:$dead\$" "-v names the proxy"
https_proxy=http://127.0.0.1:$dead run check_eas_options -H localhost -p "$P" "${CA[@]}" --noproxy
expect_first "--noproxy ignores the environment" 0 '^EAS OPTIONS OK'
opts --proxy "http://127.0.0.1:$dead"
expect_first "--proxy: the proxy it names" 2 "cannot connect to the proxy http://127\.0\.0\.1:$dead"
opts --output-format json
expect_json_field version '"[0-9.]+"' "JSON carries the plugin version"

t_done
