#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Where credentials go (common/credrule), case by case, on real servers on
# 127.0.0.1: the Autodiscover test servers (t/lib/autodiscover.sh), whose
# request log records every Authorization header and client certificate
# they receive, and t/eas-syncd for 451 moves (its log records the
# Authorization header too). For every discovery and redirect path: no
# credential to a host that does not ask for one, none outside the
# trusted domains, over plain HTTP, to a public suffix or without verified
# TLS; and proxy credentials masked in every output and wiped from argv.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/autodiscover.sh"
. "$(dirname "$0")/lib/syncd.sh"
t_setup
t_pki

ad_test_setup
CERT=(--cert "$PKI/client.pem" --key "$PKI/client.key")
OK="^EAS AUTODISCOVER OK - https://mail\\.example\\.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync for"
OTHER=https://autodiscover.other.test/autodiscover/autodiscover.xml
NONE="auth=none user=- cert=-"
BASIC="auth=basic user=$AD_USER cert=-"
# What VHOST received, one request a line, joined by ';': "auth user cert"
got() { awk -v v="vhost=$1" '$1 == v { print $6, $7, $8 }' "$AD_LOG" | tr '\n' ';'; }

# ------------------------------------ the candidates of the address's domain
ad_reset
ad_case example.test 404
ad --candidate 1 "${CERT[@]}"
expect_first "candidate 1 answers 404: CRITICAL" 2 "HTTP 404"
t_is "$(got example.test)" "$NONE;" "candidate 1 answering 404 gets neither password nor certificate"

ad_reset
ad --candidate 1 "${CERT[@]}"
expect_first "candidate 1 answers without asking: OK" 0 "$OK"
t_is "$(got example.test)" "$NONE;" "... and gets no credential (it did not ask)"

ad_reset
ad_case example.test basic
ad --candidate 1
expect_first "candidate 1 answers 401, then settings: OK" 0 "$OK .* candidate 1 "
t_is "$(got example.test)" "$NONE;$BASIC;" \
	"candidate 1: asked anonymously, the password only in answer to its 401"

ad_reset
ad_case autodiscover.example.test basic
ad --candidate 2
expect_first "candidate 2 answers 401, then settings: OK" 0 "$OK .* candidate 2 "
t_is "$(got autodiscover.example.test)" "$NONE;$BASIC;" "candidate 2: the password only after its 401"

ad_reset
ad_case autodiscover.example.test certmap
ad --candidate 2 "${CERT[@]}"
expect_first "candidate 2 wants a client certificate: OK" 0 "$OK .* candidate 2 "
t_is "$(got autodiscover.example.test)" "$NONE;auth=none user=- cert=user@example.com;" \
	"candidate 2: the certificate only after the host asked for one and refused (403) without"
ad_reset
ad --candidate 2 "${CERT[@]}"
expect_first "candidate 2 asks for a certificate but answers without: OK" 0 "$OK"
t_is "$(got autodiscover.example.test)" "$NONE;" "... and then gets none"

# ------------------------------------ candidate 3: the plain-HTTP redirect
ad_reset
ad_case example.test 404
ad_case autodiscover.example.test 404
ad_case mail.example.test basic
ad --candidate 3 "${CERT[@]}"
expect_first "candidate 3 redirects inside the domain: OK" 0 "$OK .* candidate 3 "
t_is "$(got http)" "$NONE;" "nothing over plain HTTP"
t_is "$(got mail.example.test)" "$NONE;$BASIC;" \
	"the redirect's https target in the domain: the password after its 401"

ad_reset
ad_case http 302-https "$OTHER"
ad_case autodiscover.other.test basic
ad --candidate 3 -v
expect_summary "candidate 3 redirects outside the domain: CRITICAL, nothing sent" 2 \
	"^EAS AUTODISCOVER CRITICAL - no Autodiscover candidate answered for user@example\\.test; redirected from http://autodiscover\\.example\\.test/.*: redirect to autodiscover\\.other\\.test: not in a trusted domain, credentials not sent"
expect_out "allow it with --trust-domain other\\.test" "-v: the option that allows it"
t_is "$(got autodiscover.other.test)" "$NONE;" "no credential to the host outside the domain"
ad --candidate 3 --trust-domain other.test
expect_first "... allowed with --trust-domain other.test: OK" 0 "^EAS AUTODISCOVER OK"
t_like "$(got autodiscover.other.test)" "$NONE;$BASIC;\$" "... and then after its 401 only"

ad_reset
ad_case http 302-https "$OTHER"
ad_case autodiscover.other.test basic
ad -v --candidate 3 --trust-domain other.test -k
expect_summary "-k: even a trusted redirect gets nothing" 2 \
	"redirect to autodiscover\\.other\\.test: its certificate is not verified \\(-k\\), credentials not sent"
t_is "$(got autodiscover.other.test)" "$NONE;" "... no credential"

# ------------------------------------ candidate 4: the SRV record
ad_reset
ad_case example.test 404
ad_case mail.example.test basic
ad --candidate 4
expect_first "the SRV target inside the domain: OK" 0 "$OK .* candidate 4 "
t_is "$(got mail.example.test)" "$NONE;$BASIC;" "SRV target in the domain: the password after its 401"

ad_reset
ad_case mail.example.test basic
ADDR=user@srvonly.test ad -v --candidate 4
expect_summary "the SRV target outside the domain: CRITICAL, nothing sent" 2 \
	"SRV target mail\\.example\\.test: not in a trusted domain, credentials not sent"
t_is "$(got mail.example.test)" "$NONE;" "no credential to the SRV target outside srvonly.test"
ADDR=user@srvonly.test ad --candidate 4 --trust-domain example.test
expect_first "... allowed with --trust-domain example.test: OK" 0 "^EAS AUTODISCOVER OK"

# ------------------------------------ the Redirect answers
ad_reset
ad_case example.test redirect-url "$AD_REDIRECT_URL"
ad_case mail.example.test basic
ad --candidate 1
expect_first "RedirectUrl inside the domain: OK" 0 "$OK"
t_is "$(got mail.example.test)" "$NONE;$BASIC;" "RedirectUrl in the domain: the password after its 401"

ad_reset
ad_case example.test redirect-url "$OTHER"
ad_case autodiscover.other.test basic
ad -v --candidate 1
expect_summary "RedirectUrl outside the domain: CRITICAL, nothing sent" 2 \
	"redirect to autodiscover\\.other\\.test: not in a trusted domain, credentials not sent"
t_is "$(got autodiscover.other.test)" "$NONE;" "no credential to the RedirectUrl outside"

ad_reset
ad_case example.test redirect-url "$AD_REDIRECT_URL"
ad_case mail.example.test basic
ad -v --candidate 1 -k
expect_summary "-k with a redirect in the domain: CRITICAL, nothing sent" 2 \
	"redirect to mail\\.example\\.test: its certificate is not verified \\(-k\\)"
t_is "$(got mail.example.test)" "$NONE;" "-k: no credential to the redirect"
t_is "$(got example.test)" "$NONE;" "-k: none to candidate 1 either"

ad_reset
ad_case example.test redirect-addr user@other.test
ad_case other.test basic
ad -v --candidate 1
expect_summary "RedirectAddr to another domain: CRITICAL, nothing sent" 2 \
	"Autodiscover host other\\.test: not in a trusted domain, credentials not sent"
t_is "$(got other.test)" "$NONE;" "the other domain's candidate gets no credential"
t_is "$(awk '{ print $9 }' "$AD_LOG" | tr '\n' ';')" "email=user@example.test;email=user@other.test;" \
	"(the second round asked for the redirected address)"
: >"$AD_LOG"
ad --candidate 1 --trust-domain other.test
expect_first "... allowed with --trust-domain other.test: OK" 0 "^EAS AUTODISCOVER OK"
t_is "$(got other.test)" "$NONE;$BASIC;" "... and then after its 401 only"

# ------------------------------------ public suffixes
for a in alice@com alice@co.uk; do
	ad_reset
	ADDR=$a ad
	expect_first "$a: CRITICAL, a public suffix" 2 "${a#*@} is a public suffix, not an organisation's domain"
	t_is "$(wc -l <"$AD_LOG")" 0 "$a: not a single request"
done
run check_eas_autodiscover --address user@example.test --trust-domain co.uk
expect_first "--trust-domain co.uk: UNKNOWN" 3 "^EAS AUTODISCOVER UNKNOWN - --trust-domain: co\\.uk is a public suffix"
run check_eas_options -H localhost --trust-domain 'a b.example'
expect_first "--trust-domain with a space: UNKNOWN" 3 "--trust-domain: 'a b\\.example' is not a DNS domain name"

# ------------------------------------ --autodiscover in another plugin
ad_reset
ad_case example.test basic
run check_eas_basic --autodiscover user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}"
expect_first "check_eas_basic --autodiscover: the URL found, checked" 0 "^EAS BASIC OK - basic auth accepted for user@example\\.test: .*URL from Autodiscover for user@example\\.test"
t_like "$(got example.test)" "^$NONE;$BASIC;" "check_eas_basic --autodiscover: the password to the Autodiscover host after its 401 only"
ad_reset
run check_eas_basic -v --autodiscover user@other.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}"
expect_summary "check_eas_basic: the EAS URL found outside the domain: CRITICAL, not asked" 2 \
	"^EAS BASIC CRITICAL - Autodiscover for user@other\\.test gives https://mail\\.example\\.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync: Autodiscover host mail\\.example\\.test: not in a trusted domain, credentials not sent; allow it with --trust-domain example\\.test"
run check_eas_basic --autodiscover user@other.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${CRED[@]}" \
	--trust-domain example.test
expect_first "... checked with --trust-domain example.test" '[0-2]' "^EAS BASIC [A-Z]+ - .*URL from Autodiscover for user@other\\.test"
expect_no_out "not in a trusted domain" "... and not withheld"

# ------------------------------------ 451: the mailbox moved
httpd_start main vhost-eas || t_bail "apache did not start"
printf 's3cret pass\n' >"$T/spw"
chmod 600 "$T/spw"
mkdir -p "$T/syncd-state" && chmod 1777 "$T/syncd-state"
sync() { # CASE ARGS...
	local c=$1
	shift
	run check_eas_sync -U "$(syncd_url "$c")" --ca-file "$PKI/ca.pem" \
		--user user@example.com --password-file "$T/spw" "$@"
}
# syncd's requests as "case cmd auth", joined by ';'
slog() { syncd_log | awk '{ print $1, $2, $11 }' | tr '\n' ';'; }

syncd_reset
: >"$T/syncd-state/need-auth"
sync once451-foldersync
expect_first "451 within the host: followed, WARNING" 1 \
	"^EAS SYNC WARNING - the server moved the mailbox \\(451\\) to https://localhost:$HTTPD_PORT/e/ok/"
t_like "$(slog)" "^once451-foldersync OPTIONS basic;.*once451-foldersync FolderSync basic;ok FolderSync none;ok FolderSync basic;" \
	"the configured URL gets the password pre-emptively, the moved one only after its 401"
t_is "$(slog | tr ';' '\n' | grep -c '^ok .* basic')" "$(slog | tr ';' '\n' | grep -c '^ok .* none')" \
	"every request to the moved URL: asked anonymously, then with the password"

for loc in "http://localhost:$HTTPD_PORT/e/ok/Microsoft-Server-ActiveSync" "" \
	"$(printf 'https://localhost:%s/e/ok/\tMicrosoft-Server-ActiveSync' "$HTTPD_PORT")"; do
	syncd_reset
	printf '%s\n' "$loc" >"$T/syncd-state/location"
	sync once451-foldersync --allow-plaintext -v
	shown=$(printf '%s' "$loc" | tr '\t' ' ')
	expect_summary "451 to '$shown': CRITICAL, not followed" 2 \
		"^EAS SYNC CRITICAL - FolderSync: the server moved the mailbox \\(451\\) to '${shown//./\\.}', which is not a valid https URL"
	t_is "$(slog | grep -c 'ok ')" 0 "... nothing sent there"
done

syncd_reset
printf 'https://eas.other.example:%s/e/ok/Microsoft-Server-ActiveSync\n' "$HTTPD_PORT" \
	>"$T/syncd-state/location"
sync once451-foldersync --resolve "eas.other.example:$HTTPD_PORT:127.0.0.1" -v
expect_summary "451 to another domain: CRITICAL with the reason" 2 \
	"^EAS SYNC CRITICAL - FolderSync: the server moved the mailbox \\(451\\): 451 move to eas\\.other\\.example: not in a trusted domain, credentials not sent; allow it with --trust-domain other\\.example"
t_is "$(slog | grep -c 'ok ')" 0 "... and nothing was sent there"

# ------------------------------------ proxy credentials
rm -f "$T/syncd-state/need-auth" "$T/syncd-state/location"
dead=$(t_freeport)
PX="http://puser:psecret@127.0.0.1:$dead"
for mode in env opt; do
	for fmt in text json; do
		if [[ $mode == env ]]; then
			https_proxy=$PX run check_eas_options -H localhost -p "$HTTPD_PORT" \
				--ca-file "$PKI/ca.pem" -v --output-format "$fmt"
		else
			run check_eas_options -H localhost -p "$HTTPD_PORT" --ca-file "$PKI/ca.pem" \
				-v --output-format "$fmt" --proxy "$PX"
		fi
		expect_out "http://puser:\\*\\*\\*@127\\.0\\.0\\.1:$dead" "proxy from $mode, $fmt: named, its password masked"
		expect_no_str psecret "proxy from $mode, $fmt: the password appears nowhere"
	done
done
t_blackhole || t_bail "no blackhole"
"$BUILDDIR/plugins/check_eas_options" -H localhost -p "$HTTPD_PORT" -t 3 \
	--proxy "http://puser:psecret@127.0.0.1:$BLACKHOLE_PORT" >/dev/null 2>&1 &
bg=$!
sleep 0.5
cmdline=$(tr '\0' ' ' <"/proc/$bg/cmdline" 2>/dev/null)
wait "$bg"
t_like "$cmdline" '--proxy \*+' "argv holds no proxy URL while the check runs"
t_is "$([[ $cmdline == *psecret* ]] && echo leaked || echo clean)" clean \
	"the proxy password is not in /proc/PID/cmdline"
t_done
