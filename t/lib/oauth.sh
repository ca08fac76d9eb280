# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/oauth.sh - the authorization server of the OAuth tests: oidc-provider
# (t/oauth/server.mjs, its npm packages installed by contrib/setup.sh from
# t/oauth/package-lock.json, never at test time) on 127.0.0.1 over https
# with the test PKI (server.pem, CN=localhost, IP:127.0.0.1).
#
#   . "$T_LIB/oauth.sh"
#   oauth_start [AT_TTL] || t_skip_all ...   sets OAUTH_PORT, OAUTH_URL (token
#                                            endpoint), OAUTH_LOG
#   oauth_seed            print a fresh refresh token (a new grant)
#   oauth_delay MS        the token endpoint answers MS ms late
#   oauth_calls           how many token requests the log holds
#   oauth_active AT       0 when the access token AT is valid at the server
#   oauth_revoke RT       revoke RT and its grant
#   oauth_revoke_at AT    revoke the access token AT

# oauth_available - node and the installed packages are there
oauth_available() {
	command -v node >/dev/null &&
		[[ -f $SRCDIR/t/oauth/node_modules/oidc-provider/package.json ]]
}

oauth_start() {
	local i pid
	OAUTH_PORT=$(t_freeport)
	OAUTH_LOG=$T/oauth.log
	OAUTH_URL=https://127.0.0.1:$OAUTH_PORT/token
	: >"$OAUTH_LOG"
	node "$SRCDIR/t/oauth/server.mjs" "$OAUTH_PORT" "$PKI/server.pem" "$PKI/server.key" \
		"$OAUTH_LOG" "${1:-3600}" </dev/null >"$T/oauth.out" 2>&1 &
	pid=$!
	T_PIDS+=("$pid")
	for ((i = 0; i < 200; i++)); do
		grep -q '^ready ' "$OAUTH_LOG" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	echo "# oidc-provider did not start: $(tail -5 "$T/oauth.out")"
	return 1
}

_oauth_ctl() {
	curl -sS --cacert "$PKI/ca.pem" -X "${2:-POST}" "https://127.0.0.1:$OAUTH_PORT$1"
}

oauth_seed() {
	_oauth_ctl /test/seed | python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])'
}

oauth_delay() { _oauth_ctl "/test/delay?ms=$1" >/dev/null; }

oauth_calls() { grep -c '^token grant=' "$OAUTH_LOG"; }

oauth_active() {
	[[ $(curl -sS -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" \
		"https://127.0.0.1:$OAUTH_PORT/test/introspect?token=$1") == 200 ]]
}

oauth_revoke() { _oauth_ctl "/test/revoke?token=$1" >/dev/null; }

oauth_revoke_at() { _oauth_ctl "/test/revoke-at?token=$1" >/dev/null; }

# oauth_httpd_start NAME [SNIPPET] - Apache with mod_oauth2 in front of
# t/eas-responder, accepting only tokens of the running oauth_start
# server (SNIPPET, default t/lib/vhost-eas-oauth.conf; vhost-eas-oauth-cert
# demands a client certificate too); sets HTTPD_PORT. The introspection
# call does not verify the test server's certificate (mod_oauth2 takes no
# CA file there): loopback only.
oauth_httpd_start() {
	[[ -f ${HTTPD_MODDIR:-/usr/lib/apache2/modules}/mod_oauth2.so ]] || return 1
	HTTPD_EXTRA="        OAuth2TokenVerify introspect https://127.0.0.1:$OAUTH_PORT/token/introspection introspect.ssl_verify=false&introspect.auth=client_secret_basic&client_id=eas-rs&client_secret=eas-rs-secret" \
		httpd_start "$1" "${2:-vhost-eas-oauth}"
}
