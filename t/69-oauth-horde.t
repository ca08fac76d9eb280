#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t/run timeout: 600
# 69-oauth-horde.t - check_eas_sync with bearer tokens against a real
# ActiveSync server behind a real resource server (issue 17 item 6): the
# Horde ActiveSync server (t/lib/horde-eas.sh) behind Apache's mod_oauth2,
# which validates JWT access tokens locally (RS256 against the issuer's
# /jwks, exp, the audience and the issuer: t/lib/vhost-horde-oauth.conf)
# and passes the token's subject on as the user Horde serves, with no
# password. The tokens come from oidc-provider in JWT mode
# (t/oauth/server.mjs, oauth_start_jwt). The full sync, the user the
# servers saw, Basic and anonymous refused, a token for another audience
# refused, an expired JWT renewed (the 401 retry and the due refresh), and
# slow and hanging token endpoints within -t.
. "$(dirname "$0")/lib/test.sh"
. "$T_LIB/horde-eas.sh"
. "$T_LIB/oauth.sh"
. "$T_LIB/mailchain.sh"
t_setup
t_pki
oauth_available || t_bail "node or t/oauth/node_modules missing (contrib/setup.sh installs them)"
if missing_pkgs=$(horde_missing); then
	t_bail "Debian packages missing for the Horde test server: $missing_pkgs (see contrib/setup.sh)"
fi
t_setup_ok "the authorization server starts (JWT access tokens)" oauth_start_jwt
oauth_horde_setup || t_bail "the Horde ActiveSync server behind mod_oauth2 did not start"
ALOG=$T/$HORDE_INSTANCE/access.log

# cache_seed FILE - a fresh refresh token of the test account as the cache
cache_seed() { oauth_cache_seed "$1" "$(oauth_seed_jwt "$HORDE_USER")"; }
# cache_put FILE AT RT EXPIRES_IN - a cache holding AT, claimed valid for
# EXPIRES_IN more seconds, and the refresh token RT
cache_put() {
	python3 - "$@" <<'PY'
import json, os, sys, time
p, at, rt, left = sys.argv[1:5]
now = int(time.time())
with open(p + ".new", "w") as f:
    json.dump({"access_token": at, "refresh_token": rt, "expires_at": now + int(left),
               "rotated_at": now}, f)
os.chmod(p + ".new", 0o600)
os.replace(p + ".new", p)
PY
}
# jwt_claim AT NAME - a claim of the JWT AT (not verified: for asserts)
jwt_claim() {
	python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]
print(json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4))).get(sys.argv[2], ""))' "$1" "$2"
}

TGT=(-H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost --user "$HORDE_USER")
OA=(--oauth-token-url "$OAUTH_URL" --oauth-client-id check-eas --oauth-scope "offline_access eas")
sync() { run check_eas_sync "${TGT[@]}" "$@"; }
OKLINE='^EAS SYNC OK - mailbox user@example\.com syncs over ActiveSync 16\.0: policy acknowledged, 6 folders'

# ----------------------------------------------------- the full sync
C=$T/cache.json
t_setup_ok "cache seeded" cache_seed "$C"
calls=$(oauth_calls)
n0=$(wc -l <"$ALOG")
sync "${OA[@]}" --oauth-token-cache "$C" --sync-folder inbox -v
expect_first "a JWT from the cache's refresh token: the whole sync" 0 "$OKLINE, Inbox: 1 item synced"
expect_perf folders '^6;;;0$' "folder count perfdata"
expect_perf items '^[0-9]+;;;0$' "items perfdata"
expect_perf token_time '^0\.[0-9]+s;;;0$' "token_time: refreshed"
expect_perf token_lifetime '^3600\.0+s$' "token_lifetime: the JWT's hour"
t_is "$(($(oauth_calls) - calls))" 1 "one token endpoint call"
AT=$(oauth_cache_get "$C" access_token)
t_is "$(jwt_claim "$AT" aud)" "$OAUTH_AUDIENCE" "the cached access token is a JWT for the ActiveSync server"
t_is "$(jwt_claim "$AT" sub)" "$HORDE_USER" "...whose subject is the test account"
expect_no_str "$AT" "the access token in no output"
t_is "$(tail -n "+$((n0 + 1))" "$ALOG" | awk '{print $2}' | sort -u)" "$HORDE_USER" \
	"Apache: every request's user is the token's subject"
t_is "$(tail -n "+$((n0 + 1))" "$ALOG" | grep -c ' 200 ')" "$(tail -n "+$((n0 + 1))" "$ALOG" | wc -l)" \
	"Apache: every request answered 200"
t_ok "Horde served the proxy-authenticated user, no password" \
	grep -q "Proxy-authenticated user $HORDE_USER\\." "$HORDE_LOG"
t_ok "Horde never saw the bearer token" bash -c '! grep -qF "$1" "$2"' _ "$AT" "$HORDE_LOG"

calls=$(oauth_calls)
sync "${OA[@]}" --oauth-token-cache "$C"
expect_first "again: the cached JWT" 0 "$OKLINE"
expect_perf token_time '^0\.0+s;;;0$' "token_time 0: from the cache"
t_is "$(oauth_calls)" "$calls" "no token endpoint call"

# ------------------------------------------ what the vhost refuses
printf '%s\n' "$HORDE_PASSWORD" >"$T/pw"
chmod 600 "$T/pw"
n0=$(wc -l <"$ALOG")
sync --password-file "$T/pw"
expect_first "Basic (the right password) is refused by the bearer-only vhost: CRITICAL" 2 '^EAS SYNC CRITICAL - '
t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | head -1)" '^127\.0\.0\.1 - .*" 401 ' "...Apache answered 401, no user"
t_ok "...and Horde never ran for it" bash -c '! grep -q "Login failed" "$1"' _ "$HORDE_LOG"

run check_eas_options -v -H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost
expect_summary "no token: the endpoint demands one (401, Bearer offered)" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Bearer \(Basic off\) \|'

printf 'not-a-jwt\n' >"$T/garbage"
chmod 600 "$T/garbage"
n0=$(wc -l <"$ALOG")
sync -v --bearer-token-file "$T/garbage"
expect_first "a token that is no JWT: CRITICAL" 2 '^EAS SYNC CRITICAL - '
expect_out 'HTTP 401' "...-v: the 401"
t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | head -1)" '^127\.0\.0\.1 - .*" 401 ' "...Apache answered 401, no user"
expect_no_str "not-a-jwt" "...the token not quoted"

# ------------------------------------ a token for another audience
O=$T/other.json
t_setup_ok "cache seeded" cache_seed "$O"
n0=$(wc -l <"$ALOG")
sync -v --oauth-token-url "$OAUTH_URL" --oauth-client-id check-eas --oauth-scope "offline_access other" \
	--oauth-token-cache "$O"
expect_first "a valid JWT of this issuer for another audience: CRITICAL, the token refused" 2 \
	"^EAS SYNC CRITICAL - OPTIONS: HTTP 401: the bearer token is for another audience: request it for this server's resource \\(see -v\\) \\|"
t_is "$(jwt_claim "$(oauth_cache_get "$O" access_token)" aud)" "$OAUTH_AUDIENCE/other" "...the token was for the other API"
expect_out '^OPTIONS: WWW-Authenticate: Bearer error="invalid_token", error_description="The token is not for this resource \(audience or issuer\)\."$' \
	"...-v: the server's invalid_token"
t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | awk '{print $(NF-3)}' | sort -u | tr '\n' ' ')" '^401 $' \
	"...every request answered 401"
t_ok "...Horde never ran for it" bash -c '! grep -q "Proxy login refused" "$1"' _ "$HORDE_LOG"

# ------------------------------------------------- an expired JWT
# The cache believes its access token has an hour left, but the JWT
# lived 2 s: mod_oauth2 refuses it (exp). check_eas_options, which holds
# the one 401 retry, refreshes once and sends the request again; the
# sync check then runs on the new token. check_eas_sync holds the same
# retry at its OPTIONS step (below).
E=$T/expired.json
RT=$(oauth_seed_jwt "$HORDE_USER")
oauth_jwt_ttl 2
read -r EAT ERT < <(oauth_jwt_token "$RT")
oauth_jwt_ttl 0
t_setup_ok "a 2-second JWT in a cache that claims an hour" cache_put "$E" "$EAT" "$ERT" 3600
t_is "$(($(jwt_claim "$EAT" exp) - $(jwt_claim "$EAT" iat)))" 2 "...the JWT's own lifetime is 2 s"
sleep 3
calls=$(oauth_calls)
n0=$(wc -l <"$ALOG")
run check_eas_options -H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost "${OA[@]}" \
	--oauth-token-cache "$E" -v
expect_first "an expired JWT: the 401, one refresh, sent again: OK" 0 '^EAS OPTIONS OK - ActiveSync 16\.0 answers'
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"-v: the 401 and the retry"
t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | awk '{print $2, $(NF-3)}' | tr '\n' ' ')" "^- 401 $HORDE_USER 200 \$" \
	"Apache: the expired JWT refused, the new one accepted as the token's subject"
t_is "$(($(oauth_calls) - calls))" 1 "...one token endpoint call"
t_ok "...a new access token in the cache" test "$(oauth_cache_get "$E" access_token)" != "$EAT"
expect_perf token_lifetime '^(3600|359[89])\.0+s$' "token_lifetime: the new JWT's hour"
sync "${OA[@]}" --oauth-token-cache "$E"
expect_first "check_eas_sync on the renewed cache: OK" 0 "$OKLINE"
expect_perf token_time '^0\.0+s;;;0$' "...from the cache"

# The same for check_eas_sync: its OPTIONS step gets the 401, refreshes
# once, sends OPTIONS again; every later step carries the new token.
RT=$(oauth_seed_jwt "$HORDE_USER")
oauth_jwt_ttl 2
read -r EAT ERT < <(oauth_jwt_token "$RT")
oauth_jwt_ttl 0
t_setup_ok "a 2-second JWT in a cache that claims an hour (sync)" cache_put "$E" "$EAT" "$ERT" 3600
sleep 3
calls=$(oauth_calls)
n0=$(wc -l <"$ALOG")
sync "${OA[@]}" --oauth-token-cache "$E" -v
expect_first "check_eas_sync, an expired JWT: the 401 at OPTIONS, one refresh, the sync OK" 0 "$OKLINE"
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"...-v: the 401 and the retry"
t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | awk '{print $(NF-3)}' | tr '\n' ' ')" '^401 (200 )+$' \
	"...Apache: the expired JWT refused once, every later request accepted"
t_is "$(($(oauth_calls) - calls))" 1 "...one token endpoint call"
t_ok "...a new access token in the cache" test "$(oauth_cache_get "$E" access_token)" != "$EAT"

# Expired by the cache's own clock (inside the renewal margin): refreshed
# before the first request, no 401 at all.
read -r EAT ERT < <(oauth_jwt_token "$(oauth_cache_get "$E" refresh_token)")
t_setup_ok "a JWT the cache says expires in 30 s" cache_put "$E" "$EAT" "$ERT" 30
calls=$(oauth_calls)
n0=$(wc -l <"$ALOG")
sync "${OA[@]}" --oauth-token-cache "$E"
expect_first "an access token due: refreshed first, the sync OK" 0 "$OKLINE"
t_is "$(($(oauth_calls) - calls))" 1 "...one token endpoint call"
t_is "$(tail -n "+$((n0 + 1))" "$ALOG" | grep -c '" 401 ')" 0 "...and no 401"

# ------------------------------------------- slow and hanging token endpoint
S=$T/slow.json
t_setup_ok "cache seeded" cache_seed "$S"
oauth_delay 1500
sync "${OA[@]}" --oauth-token-cache "$S" -t 8
expect_first "a slow token endpoint (1.5 s) within -t 8: OK" 0 "$OKLINE"
expect_perf token_time '^1\.[0-9]+s;;;0$' "token_time shows the slow endpoint"
read -r EAT ERT < <(oauth_delay 0 && oauth_jwt_token "$(oauth_cache_get "$S" refresh_token)")
t_setup_ok "a JWT the cache says expires in 30 s" cache_put "$S" "$EAT" "$ERT" 30
oauth_delay 30000
start=$(date +%s%N)
sync "${OA[@]}" --oauth-token-cache "$S" -t 2
took=$((($(date +%s%N) - start) / 1000000))
expect_first "a hanging token endpoint: the -t state, naming the step" 3 \
	'^EAS SYNC UNKNOWN - token endpoint https://127\.0\.0\.1:[0-9]+/token: .*token refresh'
t_ok "...within -t 2 (took ${took} ms)" test "$took" -lt 3500
sync "${OA[@]}" --oauth-token-cache "$S" -t 2:CRITICAL
expect_first "-t 2:CRITICAL: the hanging endpoint is CRITICAL" 2 '^EAS SYNC CRITICAL - token endpoint'
oauth_delay 0
sync "${OA[@]}" --oauth-token-cache "$S"
expect_first "the refresh token survived the timeouts" 0 "$OKLINE"

# ------------------------------------ check_eas_mailloop on bearer tokens
# The mail loop is the sync check's device: the same credentials and the
# same one retry after a 401 at OPTIONS. Horde reads the Inbox of a
# private Dovecot and submits SendMail to a private Postfix
# (t/lib/mailchain.sh).
if missing_pkgs=$(mailchain_missing | tr '\n' ' '); [[ -n ${missing_pkgs// /} ]]; then
	t_skip "check_eas_mailloop on bearer tokens" "Debian packages missing: $missing_pkgs"
else
	t_setup_ok "the mail chain (Postfix, Dovecot) starts" mailchain_setup "$HORDE_USER" "$HORDE_PASSWORD"
	horde_config mail_imap_port "$MC_IMAP_PORT"
	horde_config mail_smtp_port "$MC_SMTP_PORT"
	mkdir -m 700 "$T/mlstate"
	M=$T/mail.json
	t_setup_ok "cache seeded" cache_seed "$M"
	loop() { run check_eas_mailloop "${TGT[@]}" --state-dir "$T/mlstate" "${OA[@]}" --oauth-token-cache "$M" "$@"; }
	n0=$(wc -l <"$ALOG")
	loop -v
	expect_first "check_eas_mailloop with a bearer token: the first run sends" 0 \
		'^EAS MAILLOOP OK - first run, nothing to collect yet: test message sent \|'
	expect_out "^SendMail: sent 'check-eas mailloop [^ ]*' to $HORDE_USER\$" "...-v: SendMail as the token's user"
	t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | awk '{print $(NF-3)}' | sort -u | tr '\n' ' ')" '^200 $' \
		"...Apache: every request accepted on the token"
	RT=$(oauth_cache_get "$M" refresh_token)
	oauth_jwt_ttl 2
	read -r EAT ERT < <(oauth_jwt_token "$RT")
	oauth_jwt_ttl 0
	t_setup_ok "a 2-second JWT in a cache that claims an hour (mail loop)" cache_put "$M" "$EAT" "$ERT" 3600
	sleep 3 # the JWT expires, the message arrives
	calls=$(oauth_calls)
	n0=$(wc -l <"$ALOG")
	loop -v
	expect_first "an expired JWT: the 401 at OPTIONS, one refresh, the earlier message collected" 0 \
		'^EAS MAILLOOP OK - mail comes back: round trip [0-9.]+ s \|'
	expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
		"...-v: the 401 and the retry"
	t_like "$(tail -n "+$((n0 + 1))" "$ALOG" | awk '{print $(NF-3)}' | tr '\n' ' ')" '^401 (200 )+$' \
		"...Apache: the expired JWT refused once, every later request accepted"
	t_is "$(($(oauth_calls) - calls))" 1 "...one token endpoint call"
	printf '%s\n' "$(oauth_cache_get "$M" access_token)" >"$T/at"
	chmod 600 "$T/at"
	run check_eas_mailloop "${TGT[@]}" --state-dir "$T/mlstate" --bearer-token-file "$T/at" -v
	expect_first "--bearer-token-file: the mail loop OK" 0 '^EAS MAILLOOP OK - (mail comes back|nothing came back)'
	mailchain_stop
fi

t_done
