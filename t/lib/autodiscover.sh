# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/autodiscover.sh - Autodiscover test servers for check_eas_autodiscover:
# a DNS server (Debian's dnsmasq) and one Apache with name-based TLS vhosts
# running t/autodiscover-responder, all on 127.0.0.1. Source after test.sh;
# call after t_setup and t_pki:
#
#   ad_setup            = ad_certs + ad_httpd_start + ad_dns_start
#
# --- DNS (ad_dns_start, ad_dns_restart, ad_dns_stop) -----------------------
# dnsmasq --keep-in-foreground on 127.0.0.1:$AD_DNS_PORT (UDP and TCP), a
# child of the script (killed by ad_dns_stop or the test's clean-up). It
# reads no /etc/dnsmasq.conf, /etc/hosts or /etc/resolv.conf, has no
# upstream and changes nothing on the machine. Everything below .test is
# answered by it alone (names not listed: NXDOMAIN); anything else: REFUSED.
#   A 127.0.0.1   example.test autodiscover.example.test mail.example.test
#                 other.test autodiscover.other.test www.other.test
#                 mail.other.test
#   SRV _autodiscover._tcp.example.test  0 0 $AD_PORT_MAIL mail.example.test
#   SRV _autodiscover._tcp.other.test    0 0 $AD_PORT_MAIL mail.example.test
#   SRV _autodiscover._tcp.srvonly.test  0 0 $AD_PORT_MAIL mail.example.test
#       (srvonly.test and autodiscover.srvonly.test have no address: only
#       candidate (4) can work there)
#   SRV _autodiscover._tcp.badsrv.test   0 0 443 mail.nx.test (target NXDOMAIN)
#   nx.test, *.nx.test: NXDOMAIN (nothing at all)
# No AAAA records (NOERROR, no data): clients stay on IPv4.
# The A records are those of the names in the array AD_DNS_HOSTS (set it
# before ad_dns_start to leave one out, e.g. to make it a --cname).
# More or other records: put dnsmasq options into the array AD_DNS_EXTRA
# (e.g. --host-record=NAME,ADDR --srv-host=_autodiscover._tcp.D,TARGET,PORT
# --txt-record=NAME,TEXT; a second --srv-host for a name adds a record, it
# does not replace one: for a different answer use another domain) and call
# ad_dns_restart (same port). AD_DNS_LOG is dnsmasq's query log.
#
# --- HTTP(S) (ad_httpd_start) ----------------------------------------------
# One Apache instance "ad" (t/lib/vhost-autodiscover.conf), certificates made
# by ad_certs with the test PKI's root CA ($PKI/ca.pem), key $PKI/server.key,
# in $AD_PKI/NAME.pem (CN and SAN DNS:NAME only):
#   $AD_PORT (TLS, SNI) example.test, autodiscover.example.test (asks for an
#                 optional client certificate), other.test,
#                 autodiscover.other.test; unknown names: vhost "unknown"
#                 with $PKI/server.pem (localhost)
#   $AD_PORT_MAIL (TLS) mail.example.test: Autodiscover too, and ActiveSync
#                 (t/eas-responder) at /Microsoft-Server-ActiveSync
#   $AD_PORT_WRONG (TLS) certificate for www.other.test whatever is asked
#                 (vhost "wrongname"): map example.test:443 here
#   $AD_PORT_HTTP plain HTTP, any Host (vhost "http"), default case 302-https
# $AD_EAS_URL   https://mail.example.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync
#               (what case "settings" answers by default)
# $AD_REDIRECT_URL https://mail.example.test:$AD_PORT_MAIL/autodiscover/autodiscover.xml
#               (where 302-https points by default; 302-http points to
#               http://mail.example.test:$AD_PORT_HTTP/autodiscover/autodiscover.xml)
#
# Port mappings for clients (curl syntax), arrays:
#   AD_CONNECT_TO   --connect-to HOST:443:127.0.0.1:$AD_PORT for example.test,
#                   autodiscover.example.test, other.test,
#                   autodiscover.other.test; HOST:80 -> $AD_PORT_HTTP for
#                   autodiscover.example.test, autodiscover.other.test,
#                   mail.example.test; mail.example.test:443 -> $AD_PORT_MAIL
#   AD_CONNECT_TO_WRONGNAME  the same, but example.test:443 -> $AD_PORT_WRONG
#   AD_RESOLVE      --resolve NAME:PORT:127.0.0.1 for the names with the real
#                   ports in URLs (mail.example.test:$AD_PORT_MAIL and
#                   :$AD_PORT_HTTP), for clients without the DNS server
# e.g. curl --cacert "$PKI/ca.pem" "${AD_CONNECT_TO[@]}" "${AD_RESOLVE[@]}" \
#        https://autodiscover.example.test/autodiscover/autodiscover.xml
#
# --- behaviour (ad_case, ad_reset) ----------------------------------------
#   ad_case VHOST CASE [ARG]     POX answers of VHOST (file $T/ad-case-VHOST)
#   ad_case_json VHOST CASE [ARG]  its JSON endpoint ($T/ad-case-VHOST.json)
#   ad_reset                     every vhost back to its default (settings;
#                                the http vhost 302-https), log emptied
# VHOST: example.test autodiscover.example.test other.test
# autodiscover.other.test mail.example.test wrongname http unknown.
# The cases are listed at the top of t/autodiscover-responder.c.
# Credentials of case basic: $AD_USER / $AD_PASSWORD; of case certmap: the
# PKI's client.pem/client.key (CN=user@example.com).
#
# --- the request log --------------------------------------------------------
# $AD_LOG ($T/ad-requests.log), one line per request, in order:
#   vhost=V scheme=http|https host=HOST[:PORT] method=M uri=URI auth=none|basic|SCHEME
#   user=BASIC-USER|- cert=CLIENT-CN|- email=ADDRESS|- case=CASE
# ad_requests prints "vhost method scheme" per line (for order assertions),
# ad_requests_full the raw log.
# Also: AD_POX_BODY ADDRESS - prints a mobilesync Autodiscover request.

# shellcheck disable=SC2034 # the AD_* variables are for the test scripts
AD_USER=user@example.test
AD_PASSWORD='s3cret pass'
AD_DNS_PID=
AD_DNS_EXTRA=()
AD_DNS_HOSTS=(example.test autodiscover.example.test mail.example.test other.test
	autodiscover.other.test www.other.test mail.other.test)
AD_VHOSTS=(example.test autodiscover.example.test other.test autodiscover.other.test
	mail.example.test wrongname http unknown)

# ad_certs - $AD_PKI/NAME.pem for each test name, by the PKI's root
ad_certs() {
	local n
	AD_PKI=$T/adpki
	mkdir -p "$AD_PKI" || return 1
	chmod 755 "$AD_PKI"
	openssl rand -hex 8 >"$AD_PKI/serial"
	for n in example.test autodiscover.example.test mail.example.test other.test \
		autodiscover.other.test www.other.test; do
		printf '%s\n' "basicConstraints = critical, CA:FALSE" \
			"keyUsage = critical, digitalSignature, keyEncipherment" \
			"extendedKeyUsage = serverAuth" "subjectAltName = DNS:$n" >"$AD_PKI/$n.ext"
		if ! openssl req -new -key "$PKI/server.key" -subj "/O=check-eas test/CN=$n" \
			-out "$AD_PKI/$n.csr" 2>>"$AD_PKI/log" ||
			! openssl x509 -req -in "$AD_PKI/$n.csr" -CA "$PKI/ca.pem" -CAkey "$PKI/ca.key" \
				-CAserial "$AD_PKI/serial" -days 365 -sha256 -extfile "$AD_PKI/$n.ext" \
				-out "$AD_PKI/$n.pem" >>"$AD_PKI/log" 2>&1; then
			echo "# ad_certs: $n failed:" >&2
			sed 's/^/#   /' "$AD_PKI/log" >&2
			return 1
		fi
	done
	chmod 644 "$AD_PKI"/*.pem
}

# ad_httpd_start - the Apache instance "ad" (after ad_certs)
ad_httpd_start() {
	local snippet try
	[[ -n ${AD_PKI:-} ]] || ad_certs || return 1
	mkdir -p "$T/bin"
	cp "$BUILDDIR/t/autodiscover-responder" "$T/bin/autodiscover-responder" || {
		echo "# ad_httpd_start: t/autodiscover-responder not built" >&2
		return 1
	}
	chmod 755 "$T/bin/autodiscover-responder"
	: >"$T/ad-requests.log" && chmod 666 "$T/ad-requests.log"
	AD_LOG=$T/ad-requests.log
	for try in 1 2 3; do
		AD_PORT_MAIL=$(t_freeport) && AD_PORT_WRONG=$(t_freeport) &&
			AD_PORT_HTTP=$(t_freeport) || return 1
		# t_freeport may hand out the same port twice: draw again
		[[ $AD_PORT_MAIL != "$AD_PORT_WRONG" && $AD_PORT_MAIL != "$AD_PORT_HTTP" &&
			$AD_PORT_WRONG != "$AD_PORT_HTTP" ]] || continue
		snippet=$(<"$T_LIB/vhost-autodiscover.conf")
		snippet=${snippet//@AD_PORT_MAIL@/"$AD_PORT_MAIL"}
		snippet=${snippet//@AD_PORT_WRONG@/"$AD_PORT_WRONG"}
		snippet=${snippet//@AD_PORT_HTTP@/"$AD_PORT_HTTP"}
		snippet=${snippet//@ADPKI@/"$AD_PKI"}
		if httpd_start ad <<<"$snippet"; then
			# shellcheck disable=SC2154 # set by httpd_start
			AD_PORT=$HTTPD_PORT_ad
			_ad_vars
			return 0
		fi
		# one of our extra ports was taken meanwhile: try new ones
		grep -qs 'Address already in use' "$T/ad/stderr.log" "$T/ad/error.log" || return 1
	done
	return 1
}

_ad_vars() {
	local h
	AD_EAS_URL=https://mail.example.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync
	AD_REDIRECT_URL=https://mail.example.test:$AD_PORT_MAIL/autodiscover/autodiscover.xml
	AD_CONNECT_TO=()
	for h in example.test autodiscover.example.test other.test autodiscover.other.test; do
		AD_CONNECT_TO+=(--connect-to "$h:443:127.0.0.1:$AD_PORT")
	done
	AD_CONNECT_TO+=(--connect-to "mail.example.test:443:127.0.0.1:$AD_PORT_MAIL")
	for h in autodiscover.example.test autodiscover.other.test mail.example.test; do
		AD_CONNECT_TO+=(--connect-to "$h:80:127.0.0.1:$AD_PORT_HTTP")
	done
	AD_CONNECT_TO_WRONGNAME=(--connect-to "example.test:443:127.0.0.1:$AD_PORT_WRONG"
		"${AD_CONNECT_TO[@]:2}")
	AD_RESOLVE=(--resolve "mail.example.test:$AD_PORT_MAIL:127.0.0.1"
		--resolve "mail.example.test:$AD_PORT_HTTP:127.0.0.1")
}

# ad_dns_start - dnsmasq on a free port: sets AD_DNS_PORT (needs
# AD_PORT_MAIL for the SRV records: call ad_httpd_start first)
ad_dns_start() {
	local try
	for try in 1 2 3 4 5; do
		AD_DNS_PORT=$(t_freeport) || return 1
		_ad_dns_run && return 0
		grep -qs 'Address already in use' "$T/dnsmasq.err" || break
	done
	echo "# ad_dns_start: dnsmasq did not start:" >&2
	sed 's/^/#   /' "$T/dnsmasq.err" >&2
	return 1
}

_ad_dns_run() {
	local n i
	local -a args=(--keep-in-foreground --port="$AD_DNS_PORT" --listen-address=127.0.0.1
		--bind-interfaces --no-resolv --no-hosts --no-poll --conf-file=/dev/null
		--pid-file="$T/dnsmasq.pid" --log-queries --log-facility="$T/dnsmasq.log"
		--local=/test/)
	for n in "${AD_DNS_HOSTS[@]}"; do
		args+=(--host-record="$n,127.0.0.1")
	done
	args+=(--srv-host="_autodiscover._tcp.example.test,mail.example.test,${AD_PORT_MAIL:-443},0,0"
		--srv-host="_autodiscover._tcp.other.test,mail.example.test,${AD_PORT_MAIL:-443},0,0"
		--srv-host="_autodiscover._tcp.srvonly.test,mail.example.test,${AD_PORT_MAIL:-443},0,0"
		--srv-host="_autodiscover._tcp.badsrv.test,mail.nx.test,443,0,0"
		"${AD_DNS_EXTRA[@]}")
	AD_DNS_LOG=$T/dnsmasq.log
	rm -f "$T/dnsmasq.pid"
	dnsmasq "${args[@]}" </dev/null >"$T/dnsmasq.out" 2>"$T/dnsmasq.err" &
	AD_DNS_PID=$!
	T_PIDS+=("$AD_DNS_PID")
	for ((i = 0; i < 100; i++)); do
		kill -0 "$AD_DNS_PID" 2>/dev/null || {
			wait "$AD_DNS_PID" 2>/dev/null
			AD_DNS_PID=
			return 1
		}
		# ready: it answers on TCP (it binds UDP first)
		[[ -s $T/dnsmasq.pid ]] && (exec 3<>"/dev/tcp/127.0.0.1/$AD_DNS_PORT") 2>/dev/null &&
			return 0
		sleep 0.05
	done
	ad_dns_stop
	return 1
}

# ad_dns_stop - stop dnsmasq (the test's clean-up also does)
ad_dns_stop() {
	local p
	local -a keep=()
	[[ -n $AD_DNS_PID ]] || return 0
	kill -TERM "$AD_DNS_PID" 2>/dev/null
	wait "$AD_DNS_PID" 2>/dev/null
	# not ours any more: keep the clean-up from signalling a reused pid
	for p in "${T_PIDS[@]}"; do
		[[ $p == "$AD_DNS_PID" ]] || keep+=("$p")
	done
	T_PIDS=("${keep[@]}")
	AD_DNS_PID=
}

# ad_dns_restart - again on the same port, with AD_DNS_EXTRA
ad_dns_restart() {
	ad_dns_stop
	_ad_dns_run || {
		echo "# ad_dns_restart failed:" >&2
		sed 's/^/#   /' "$T/dnsmasq.err" >&2
		return 1
	}
}

ad_setup() {
	ad_certs && ad_httpd_start && ad_dns_start
}

# ad_test_setup - for a test script, after t_setup and t_pki: the servers
# (or t_bail), the account's password in $T/pw, NET (trust and DNS) and
# CRED (the account) as option arrays, and ad ARGS... running
# check_eas_autodiscover for ${ADDR:-user@example.test} with all of them.
ad_test_setup() {
	PATH=$PATH:/usr/sbin
	command -v dnsmasq >/dev/null || t_bail "no dnsmasq (dnsmasq-base, see contrib/setup.sh)"
	ad_setup || t_bail "the Autodiscover test servers did not start"
	printf '%s\n' "$AD_PASSWORD" >"$T/pw"
	chmod 600 "$T/pw"
	NET=(--ca-file "$PKI/ca.pem" --dns-server "127.0.0.1:$AD_DNS_PORT")
	CRED=(--user "$AD_USER" --password-file "$T/pw")
}
ad() {
	run check_eas_autodiscover --address "${ADDR:-user@example.test}" "${NET[@]}" \
		"${AD_CONNECT_TO[@]}" "${CRED[@]}" "$@"
}

_ad_vhost_ok() {
	local v
	for v in "${AD_VHOSTS[@]}"; do
		[[ $1 == "$v" ]] && return 0
	done
	echo "# ad_case: no vhost '$1'" >&2
	return 1
}

# ad_case VHOST CASE [ARG] / ad_case_json VHOST CASE [ARG]
ad_case() {
	_ad_vhost_ok "$1" || return 1
	printf '%s\n' "${*:2}" >"$T/ad-case-$1" && chmod 644 "$T/ad-case-$1"
}
ad_case_json() {
	_ad_vhost_ok "$1" || return 1
	printf '%s\n' "${*:2}" >"$T/ad-case-$1.json" && chmod 644 "$T/ad-case-$1.json"
}

# ad_reset - default cases everywhere, empty request log
ad_reset() {
	rm -f "$T"/ad-case-*
	: >"$AD_LOG"
}

# ad_requests - "vhost method scheme" per logged request
ad_requests() {
	sed -E 's/^vhost=([^ ]*) scheme=([^ ]*) host=[^ ]* method=([^ ]*) .*/\1 \3 \2/' "$AD_LOG"
}
ad_requests_full() { cat "$AD_LOG"; }

# AD_POX_BODY ADDRESS - a mobilesync Autodiscover request for ADDRESS
AD_POX_BODY() {
	printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' \
		'<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/mobilesync/requestschema/2006">' \
		'  <Request>' \
		"    <EMailAddress>$1</EMailAddress>" \
		'    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/mobilesync/responseschema/2006</AcceptableResponseSchema>' \
		'  </Request>' \
		'</Autodiscover>'
}
