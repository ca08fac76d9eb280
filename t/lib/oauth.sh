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
#   oauth_cache_seed FILE [RT]  a token cache (0600) holding refresh token RT,
#                         by default a fresh one (a new grant)
#   oauth_cache_get FILE KEY    a member of a token cache
#   oauth_direct_refresh FILE   the cache refreshed behind the checks' back
#                         (so a resource server has never seen its token)
#
# JWT access tokens (issue 17's resource server side), own block below:
#   oauth_start_jwt [AT_TTL]  oauth_start in JWT mode: access tokens are
#                         RS256 JWTs for audience $OAUTH_AUDIENCE (scope
#                         "eas"), or $OAUTH_AUDIENCE/other (scope "other")
#   oauth_seed_jwt SUB    print a refresh token of SUB granted both
#   oauth_jwt_ttl S       JWTs issued from now on live S s (0: AT_TTL)
#   oauth_jwt_token RT [SCOPE]  refresh RT once: print "AT RT2" (the new
#                         access token and the rotated refresh token)
#   oauth_horde_setup [DEFINE...]  the Horde ActiveSync server behind
#                         mod_oauth2 checking those JWTs
#                         (t/lib/vhost-horde-oauth.conf); sets what
#                         horde_setup sets

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

oauth_cache_seed() {
	local rt=${2:-}
	[[ -n $rt ]] || rt=$(oauth_seed) || return 1
	[[ -n $rt ]] || return 1
	printf '{"refresh_token": "%s"}\n' "$rt" >"$1" && chmod 600 "$1"
}

oauth_cache_get() {
	python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ""))' "$1" "$2"
}

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

# ---- JWT access tokens --------------------------------------------------
OAUTH_AUDIENCE=https://localhost/eas

oauth_start_jwt() {
	OAUTH_JWT_AUDIENCE=$OAUTH_AUDIENCE oauth_start "$@"
}

oauth_seed_jwt() {
	_oauth_ctl "/test/seed-jwt?sub=${1:?usage: oauth_seed_jwt SUB}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["refresh_token"])'
}

oauth_jwt_ttl() { _oauth_ctl "/test/jwt-ttl?s=$1" >/dev/null; }

oauth_jwt_token() {
	curl -sS --cacert "$PKI/ca.pem" "$OAUTH_URL" -d grant_type=refresh_token \
		-d client_id=check-eas --data-urlencode "refresh_token=${1:?usage: oauth_jwt_token RT [SCOPE]}" \
		--data-urlencode "scope=${2:-offline_access eas}" |
		python3 -c 'import json,sys; a=json.load(sys.stdin); print(a["access_token"], a["refresh_token"])'
}

# oauth_horde_setup [DEFINE...] - after oauth_start_jwt: Horde
# (t/lib/horde-eas.sh, sourced by the caller) behind mod_oauth2 checking
# the JWTs of this issuer for $OAUTH_AUDIENCE (t/lib/vhost-horde-oauth.conf;
# DEFINE: an Apache Define such as HORDE_BASIC_TOO). The readiness check
# uses a token of the test account.
oauth_horde_setup() {
	local tok extra d
	[[ -f ${HTTPD_MODDIR:-/usr/lib/apache2/modules}/mod_oauth2.so ]] || return 1
	tok=$(oauth_jwt_token "$(oauth_seed_jwt "$HORDE_USER")") || return 1
	extra="Define OAUTH_ISSUER https://127.0.0.1:$OAUTH_PORT
Define OAUTH_AUDIENCE $OAUTH_AUDIENCE"
	for d in "$@"; do
		extra+=$'\n'"Define $d"
	done
	HORDE_BEARER=${tok%% *} HORDE_VHOST=vhost-horde-oauth HTTPD_EXTRA=$extra horde_setup horde
}

oauth_direct_refresh() {
	python3 - "$1" "$OAUTH_URL" "$PKI/ca.pem" <<'PY'
import json, os, ssl, sys, time, urllib.parse, urllib.request
path, url, ca = sys.argv[1:4]
c = json.load(open(path))
body = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": "check-eas",
    "refresh_token": c["refresh_token"], "scope": "openid offline_access"}).encode()
with urllib.request.urlopen(url, body, context=ssl.create_default_context(cafile=ca)) as r:
    a = json.load(r)
c.update(access_token=a["access_token"], refresh_token=a["refresh_token"],
    expires_at=int(time.time()) + a["expires_in"], rotated_at=int(time.time()))
with open(path + ".new", "w") as f:
    json.dump(c, f)
os.chmod(path + ".new", 0o600)
os.replace(path + ".new", path)
PY
}
