#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The demo: installs what check-eas needs (as root), builds it, starts the
# bundled EAS test servers on 127.0.0.1 (Apache + an Exchange-like
# responder, and Horde's ActiveSync server from Debian for the sync, push
# and mail-loop checks, nginx in front of it for a proxy that cuts the
# Ping, a private Postfix and Dovecot behind it for the mail loop, with a
# test PKI made on the spot), and runs every plugin against them.
set -u
. "$(dirname "$0")/setup.sh"

eas_install_deps || exit 1
eas_build "$BUILD" || exit 1
make -C "$BUILD" -s t/eas-responder t/tcp-helper t/autodiscover-responder > /dev/null || exit 1

export BUILDDIR=$BUILD SRCDIR=$TOP
. "$TOP/t/lib/test.sh"
. "$TOP/t/lib/horde-eas.sh"
. "$TOP/t/lib/autodiscover.sh"
. "$TOP/t/lib/nginx-proxy.sh"
. "$TOP/t/lib/mailchain.sh"
PATH=$PATH:/usr/sbin # dnsmasq, nginx, postfix, dovecot
t_setup
t_pki > /dev/null
httpd_start demo vhost-eas > /dev/null || { echo "the test server did not start" >&2; exit 1; }
httpd_start certs vhost-eas-clientcert > /dev/null || { echo "the test server did not start" >&2; exit 1; }
P=$HTTPD_PORT_demo
C=$HTTPD_PORT_certs
CA=(--ca-file "$PKI/ca.pem")
printf 's3cret pass\n' > "$T/password"
chmod 600 "$T/password"

echo
echo "Test EAS server: https://localhost:$P/Microsoft-Server-ActiveSync (client certificates on port $C)"
echo "Test PKI in $PKI (removed when the demo ends)"

demo() {
	local plugin=$1; shift
	[ -x "$BUILD/plugins/$plugin" ] || return 0
	printf '\n$ %s' "$plugin"
	printf ' %q' "$@" | sed "s|$PKI|\$PKI|g; s|$T|\$T|g"
	printf '\n'
	"$BUILD/plugins/$plugin" "$@"
	printf '(exit code %d)\n' $?
}

echo; echo "== check_eas_options: is the endpoint up and speaking ActiveSync?"
demo check_eas_options -H localhost -p "$P" "${CA[@]}"
demo check_eas_options -H localhost -p "$P" "${CA[@]}" --require-version 14.1 --require-command Provision -w 1 -c 5
demo check_eas_options -H localhost -p "$P" "${CA[@]}" --method GET
demo check_eas_options -H localhost -p "$P" "${CA[@]}" -u /s/old/Microsoft-Server-ActiveSync --require-version 16.1
demo check_eas_options -H localhost -p "$P" "${CA[@]}" -u /s/login/Microsoft-Server-ActiveSync
demo check_eas_options -H localhost -p "$P" "${CA[@]}" -u /s/503/Microsoft-Server-ActiveSync
demo check_eas_options -H localhost -p "$P" "${CA[@]}" -u /s/403.7/Microsoft-Server-ActiveSync
demo check_eas_options -H localhost -p "$P" "${CA[@]}" -v
echo; echo "== the same for Prometheus (node_exporter's textfile collector), and for Zabbix (JSON)"
demo check_eas_options -H localhost -p "$P" "${CA[@]}" --output-format=openmetrics
demo check_eas_options -H localhost -p "$P" "${CA[@]}" -u /s/503/Microsoft-Server-ActiveSync --output-format=json

echo; echo "== check_eas_basic: does basic authentication work?"
demo check_eas_basic -H localhost -p "$P" "${CA[@]}" -u /s/basic/Microsoft-Server-ActiveSync --user user@example.com --password-file "$T/password"
echo "wrong-password" > "$T/wrong"
demo check_eas_basic -H localhost -p "$P" "${CA[@]}" -u /s/basic/Microsoft-Server-ActiveSync --user user@example.com --password-file "$T/wrong"

echo; echo "== check_eas_cert: does client-certificate authentication work?"
demo check_eas_cert -H localhost -p "$C" "${CA[@]}" --cert "$PKI/client.p12" --cert-password-file "$PKI/client.p12.pass"
demo check_eas_cert -H localhost -p "$C" "${CA[@]}" --cert "$PKI/client-foreign.pem" --key "$PKI/client-foreign.key"

echo; echo "== check_eas_auth: are the allowed methods accepted and the forbidden refused?"
demo check_eas_auth -H localhost -p "$C" "${CA[@]}" --policy cert --user user@example.com --password-file "$T/password" --cert "$PKI/client.pem" --key "$PKI/client.key"
demo check_eas_auth -H localhost -p "$P" "${CA[@]}" -u /s/basic/Microsoft-Server-ActiveSync --policy cert --user user@example.com --password-file "$T/password" --cert "$PKI/client.pem" --key "$PKI/client.key"

echo; echo "== check_eas_certexpiry: when do the certificates expire?"
demo check_eas_certexpiry -H localhost -p "$P" "${CA[@]}"
demo check_eas_certexpiry --cert "$PKI/client.p12" --cert "$PKI/client-soon.pem" --cert-password-file "$PKI/client.p12.pass"

echo; echo "== check_eas_sync: does the mailbox really sync (Provision, FolderSync, Settings, Sync)?"
if horde_setup demohorde > /dev/null; then
	H=(-H 127.0.0.1 -p "$HORDE_PORT" --sni localhost "${CA[@]}" --user "$HORDE_USER" --password-file "$T/password")
	demo check_eas_sync "${H[@]}"
	demo check_eas_sync "${H[@]}" --sync-folder inbox --expect-mailbox user@example.com -w 2 -c 5
	demo check_eas_sync "${H[@]}" --protocol-version 12.1 --query-encoding base64
	horde_config blocked_devices DEMOPHONE1       # a device access rule blocks this device
	demo check_eas_sync "${H[@]}" --device-id DEMOPHONE1
	horde_config blocked_devices ""
	demo check_eas_sync "${H[@]}" --expect-mailbox boss@example.com
	echo "(two runs of one device at once, as an Icinga re-check during the scheduled run: they take turns)"
	"$BUILD/plugins/check_eas_sync" "${H[@]}" -t 60 > "$T/overlap1.out" &
	first=$!
	"$BUILD/plugins/check_eas_sync" "${H[@]}" -t 60 > "$T/overlap2.out"
	wait "$first"                               # only this run: the test servers run in the background too
	for f in "$T/overlap1.out" "$T/overlap2.out"; do head -n 1 "$f"; done
	HORDE_OK=1
else
	echo "(the Horde ActiveSync server did not start: see contrib/setup.sh for its packages)"
fi

echo; echo "== check_eas_push: does Direct Push work (the Ping held for its heartbeat, answered at once on a change)?"
if [ -n "${HORDE_OK:-}" ]; then
	horde_config heartbeat_min 2 # Horde's range is 60 to 2700 s: here a Ping is held for seconds
	horde_config ping_wait 1     # and it looks for changes every second
	demo check_eas_push "${H[@]}" --hold --heartbeat 2 -t 15
	echo "(--trigger item: a second device of the account adds a calendar item once the Ping is held)"
	demo check_eas_push "${H[@]}" --trigger item --heartbeat 20 -t 40
	if ! nginx_missing > /dev/null && nginx_proxy_start "$HORDE_PORT" 2 > /dev/null; then
		echo "(nginx in front of Horde on port $NGINX_PORT, its proxy_read_timeout 2 s: shorter than the heartbeat)"
		demo check_eas_push -H 127.0.0.1 -p "$NGINX_PORT" "${H[@]:4}" --heartbeat 5 -t 20
	else
		echo "(nginx did not start: the proxy cut is not shown; nginx-light is needed, see contrib/setup.sh)"
	fi
else
	echo "(no Horde ActiveSync server: see above)"
fi

echo; echo "== check_eas_mailloop: does mail sent through the server come back? (each run collects what earlier runs sent)"
if [ -z "${HORDE_OK:-}" ]; then
	echo "(no Horde ActiveSync server: see above)"
elif ! mailchain_missing > /dev/null && mailchain_setup "$HORDE_USER" "$HORDE_PASSWORD" > /dev/null 2>&1; then
	horde_config mail_imap_port "$MC_IMAP_PORT"
	horde_config mail_smtp_port "$MC_SMTP_PORT"
	echo "(Horde's Inbox is now a private Dovecot's on 127.0.0.1:$MC_IMAP_PORT; its SendMail goes through a"
	echo " private Postfix on port $MC_SMTP_PORT that delivers to Dovecot over LMTP)"
	mkdir -m 700 "$T/mailloop"
	L=("${H[@]}" --state-dir "$T/mailloop")
	demo check_eas_mailloop "${L[@]}"
	for ((i = 0; i < 100; i++)); do # the first message delivered (10 s at most)
		[ "$(mailchain_inbox)" -ge 1 ] && break
		sleep 0.1
	done
	mailchain_hold on
	echo "(Postfix holds new mail from now on: the next run collects the first message, its own is held)"
	demo check_eas_mailloop "${L[@]}" -w 30 -c 60
	demo check_eas_mailloop "${L[@]}" -w 30 -c 60
else
	echo "(the mail chain did not start: postfix, dovecot and php-horde-imap-client are needed, see contrib/setup.sh)"
fi

echo; echo "== check_eas_autodiscover: can a device that knows only an e-mail address find the server?"
if ad_setup > /dev/null 2>&1; then
	echo "(example.test, autodiscover.example.test, mail.example.test: Apache vhosts on 127.0.0.1;"
	echo " their names and the SRV record served by dnsmasq on 127.0.0.1:$AD_DNS_PORT)"
	printf '%s\n' "$AD_PASSWORD" > "$T/adpassword"
	chmod 600 "$T/adpassword"
	A=(--address user@example.test "${CA[@]}" --dns-server "127.0.0.1:$AD_DNS_PORT" "${AD_CONNECT_TO[@]}"
		--user "$AD_USER" --password-file "$T/adpassword")
	demo check_eas_autodiscover "${A[@]}"
	ad_case example.test 404                      # the root domain's web site knows no Autodiscover
	demo check_eas_autodiscover "${A[@]}" -v
	ad_case autodiscover.example.test 404         # ... nor autodiscover.DOMAIN: the HTTP redirect, then
	ad_case http 302-http                         # a redirect to plain HTTP, refused; the SRV record saves it
	demo check_eas_autodiscover "${A[@]}" -v
	ad_reset
	ad_case example.test laughs                   # a billion-laughs answer
	demo check_eas_autodiscover "${A[@]}"
	ad_reset
	ad_case example.test loop
	demo check_eas_autodiscover "${A[@]/user@example.test/a@example.test}"
	ad_reset
	demo check_eas_autodiscover "${A[@]}" --method both --expect-url https://mail.example.test/Microsoft-Server-ActiveSync
	# Where credentials go: a redirect into another domain gets none, unless the operator allows it.
	ad_case example.test redirect-url https://autodiscover.other.test/autodiscover/autodiscover.xml
	ad_case autodiscover.other.test basic
	demo check_eas_autodiscover "${A[@]}" --candidate 1
	demo check_eas_autodiscover "${A[@]}" --candidate 1 --trust-domain other.test
	ad_reset
	demo check_eas_autodiscover "${A[@]/user@example.test/alice@com}"
	demo check_eas_basic --autodiscover user@example.test "${CA[@]}" --dns-server "127.0.0.1:$AD_DNS_PORT" "${AD_CONNECT_TO[@]}" --user "$AD_USER" --password-file "$T/adpassword"
else
	echo "(the Autodiscover test servers did not start: dnsmasq-base is needed, see contrib/setup.sh)"
fi

echo; echo "== modern authentication: OAuth 2.0 bearer tokens (Exchange Online, hybrid modern auth)"
. "$TOP/t/lib/oauth.sh"
if eas_install_npm > /dev/null 2>&1 && oauth_available && oauth_start > /dev/null 2>&1 &&
	oauth_httpd_start oauthdemo > /dev/null 2>&1; then
	echo "(an authorization server, oidc-provider, on 127.0.0.1:$OAUTH_PORT; an ActiveSync server that"
	echo " accepts only its tokens, Apache's mod_oauth2, on port $HTTPD_PORT; a token cache seeded with a refresh token)"
	printf '{"refresh_token": "%s"}\n' "$(oauth_seed)" > "$T/token.json"
	chmod 600 "$T/token.json"
	O=(-H localhost -p "$HTTPD_PORT" "${CA[@]}" --oauth-token-url "$OAUTH_URL" --oauth-client-id check-eas
		--oauth-scope "openid offline_access" --oauth-token-cache "$T/token.json")
	demo check_eas_basic "${O[@]}" --user monitor@example.com -v    # refreshed, the rotated refresh token written back
	demo check_eas_basic "${O[@]}" --user monitor@example.com       # the cached access token: token_time 0
	# The policy that matters there: the token works, Basic (with the right password) and anonymous do not.
	demo check_eas_auth "${O[@]}" --policy bearer --user monitor@example.com --password-file "$T/password"
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["access_token"])' "$T/token.json" > "$T/token"
	chmod 600 "$T/token"
	demo check_eas_auth -H localhost -p "$P" "${CA[@]}" -u /s/basic/Microsoft-Server-ActiveSync --policy bearer \
		--user user@example.com --password-file "$T/password" --bearer-token-file "$T/token"
else
	echo "(the OAuth test servers did not start: node with npm and libapache2-mod-oauth2 are needed, see contrib/setup.sh)"
fi

echo
echo "Demo done; the test servers are stopped and their files removed."
