#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 78-oauth.t - bearer tokens held headless (issue 17, common/oauth): a real
# authorization server (oidc-provider from npm, t/oauth/server.mjs: the
# refresh-token grant, rotated on every use, a used refresh token refused
# and its grant revoked) and an ActiveSync server that accepts only its
# tokens (Apache's mod_oauth2 in front of t/eas-responder, introspecting
# each token, passing the user on). check_eas_options with
# --oauth-token-cache and --bearer-token-file: the refresh and the cache's
# reuse (the token endpoint's log counted), the rotation written back,
# invalid_grant in plain words, slow and hanging token endpoints within
# -t, a cache others may write refused, 20 checks at once with one
# rotating refresh token, and no token in any output.
. "$(dirname "$0")/lib/test.sh"
. "$T_LIB/oauth.sh"
. "$T_LIB/syncd.sh"
t_setup
t_pki
oauth_available || t_bail "node or t/oauth/node_modules missing (contrib/setup.sh installs them)"
t_setup_ok "the authorization server starts" oauth_start
t_setup_ok "Apache with mod_oauth2 starts" oauth_httpd_start rs
RS=$HTTPD_PORT

# cache_expire FILE - the access token due (60 s left: inside the margin)
cache_expire() {
	python3 - "$1" <<'PY'
import json, os, sys, time
p = sys.argv[1]
c = json.load(open(p))
c["expires_at"] = int(time.time()) + 60
with open(p + ".new", "w") as f:
    json.dump(c, f)
os.chmod(p + ".new", 0o600)
os.replace(p + ".new", p)
PY
}
OPTS=(-H localhost -p "$RS" --ca-file "$PKI/ca.pem" --oauth-token-url "$OAUTH_URL"
	--oauth-client-id check-eas --oauth-scope "openid offline_access")
check() { run check_eas_options "${OPTS[@]}" "$@"; }

# ------------------------------------------------- the server wants tokens
run check_eas_options -v -H localhost -p "$RS" --ca-file "$PKI/ca.pem"
expect_summary "anonymous: the endpoint demands a token" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Bearer \(Basic off\) \|'

# ------------------------------------------------ refresh, then the cache
C=$T/cache.json
t_setup_ok "cache seeded" oauth_cache_seed "$C"
RT0=$(oauth_cache_get "$C" refresh_token)
check --oauth-token-cache "$C" -v
expect_first "refreshed: the bearer token opens the endpoint" 0 \
	'^EAS OPTIONS OK - ActiveSync 15\.1 answers: protocol 16\.1'
expect_perf token_time '^0\.[0-9]+s;;;0$' "token_time: the refresh took time"
expect_perf token_lifetime '^(3600|359[89])\.0+s$' "token_lifetime: the access token's hour (a second may pass between the answer and the report)"
expect_out '^token refresh at https://127\.0\.0\.1:[0-9]+/token: [0-9.]+ s, refresh token rotated and written back$' \
	"-v: the refresh and the rotation"
expect_out '^OPTIONS https://localhost:[0-9]+/Microsoft-Server-ActiveSync with bearer token sha256:[0-9a-f]{12}$' \
	"-v: the request names the token by its fingerprint"
t_is "$(oauth_calls)" 1 "one token endpoint call"
t_is "$(grep -c '^token grant=refresh_token status=200 rotated=1$' "$OAUTH_LOG")" 1 \
	"the server rotated the refresh token"
RT1=$(oauth_cache_get "$C" refresh_token)
AT1=$(oauth_cache_get "$C" access_token)
t_ok "the rotated refresh token was written back" test -n "$RT1" -a "$RT1" != "$RT0"
t_ok "the access token was cached" test -n "$AT1"
t_is "$(stat -c %a "$C")" 600 "the cache is written 0600"
t_ok "no temporary file left" test ! -e "$C.tmp"
expect_no_str "$RT0" "the old refresh token in no output"
expect_no_str "$RT1" "the new refresh token in no output"
expect_no_str "$AT1" "the access token in no output"
t_like "$(tail -1 "$T/rs/access.log")" '^127\.0\.0\.1 monitor .*"OPTIONS /Microsoft-Server-ActiveSync HTTP/1\.1" 200 ' \
	"the ActiveSync server accepted the token as the monitoring user"

for i in 1 2 3 4 5; do
	check --oauth-token-cache "$C" -v
	[[ $RC == 0 ]] || break
done
expect_first "five more checks: OK" 0 '^EAS OPTIONS OK - ActiveSync'
expect_perf token_time '^0\.0+s;;;0$' "token_time 0: the token came from the cache"
expect_out '^access token from the token cache ' "-v: from the cache"
t_is "$(oauth_calls)" 1 "six checks, still one token endpoint call: the access token is reused"
t_is "$(oauth_cache_get "$C" refresh_token)" "$RT1" "the cache's refresh token unchanged while the access token is fresh"

check --oauth-token-cache "$C" --output-format json
expect_json_field fingerprint '"sha256:[0-9a-f]{12}"' "JSON: the token's fingerprint"
expect_json_field refreshed 'false' "JSON: not refreshed"
expect_no_str "$AT1" "the access token not in JSON"

# Due within the margin: refreshed, rotated again.
cache_expire "$C"
check --oauth-token-cache "$C"
expect_first "an access token about to expire is renewed" 0 '^EAS OPTIONS OK'
t_is "$(oauth_calls)" 2 "a second token endpoint call"
RT2=$(oauth_cache_get "$C" refresh_token)
t_ok "rotated again" test -n "$RT2" -a "$RT2" != "$RT1"
t_ok "the old access token is still valid at the server (it lives its hour)" oauth_active "$AT1"

# A cached access token revoked before its time: the server's 401, one
# refresh, the request sent again (as TbSync does), never a loop. The
# token is refreshed behind the check's back first, so that mod_oauth2
# has never seen it (it caches what introspection said).
D=$T/revoked.json
t_setup_ok "cache seeded" oauth_cache_seed "$D"
t_setup_ok "refreshed behind the check's back" oauth_direct_refresh "$D"
AT2=$(oauth_cache_get "$D" access_token)
oauth_revoke_at "$AT2"
calls=$(oauth_calls)
check --oauth-token-cache "$D" -v
expect_first "a revoked cached token: refreshed once and sent again" 0 '^EAS OPTIONS OK - ActiveSync 15\.1'
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"-v: the 401 and the retry"
expect_perf token_time '^0\.[0-9]+s;;;0$' "token_time of the retry's refresh"
t_is "$(grep -o "'token_time'" <<<"$LINE1" | wc -l)" 1 "token_time once in the perfdata"
t_is "$(($(oauth_calls) - calls))" 1 "one token endpoint call for the retry"
t_ok "a new access token in the cache" test "$(oauth_cache_get "$D" access_token)" != "$AT2"
t_setup_ok "refreshed behind the check's back" oauth_direct_refresh "$D"
oauth_revoke_at "$(oauth_cache_get "$D" access_token)"
oauth_revoke "$(oauth_cache_get "$D" refresh_token)"
calls=$(oauth_calls)
check --oauth-token-cache "$D"
expect_first "access token and grant revoked: the 401, one refresh, refused in words" 2 \
	'^EAS OPTIONS CRITICAL - token refresh refused \(HTTP 400\): invalid_grant'
t_is "$(($(oauth_calls) - calls))" 1 "...after one token endpoint call, no loop"

# ------------------------------------------------------- refused refreshes
refused0=$(grep -c 'error=invalid_grant' "$OAUTH_LOG")
B=$T/bad.json
printf '{"refresh_token": "not-a-token-of-this-server"}\n' >"$B"
chmod 600 "$B"
check -v --oauth-token-cache "$B"
expect_summary "an unknown refresh token: invalid_grant in plain words" 2 \
	'^EAS OPTIONS CRITICAL - token refresh refused \(HTTP 400\): invalid_grant: the refresh token was refused \(expired, revoked, or already used by another run\): obtain a new one'
expect_perf token_time '^0\.[0-9]+s;;;0$' "token_time of a refused refresh"
expect_no_str "not-a-token-of-this-server" "the refused token not quoted"

# A rotated-away refresh token used again: refused, and the provider
# revokes the whole grant (why refreshes must never overlap).
R=$T/replay.json
printf '{"refresh_token": "%s"}\n' "$RT1" >"$R"
chmod 600 "$R"
check --oauth-token-cache "$R"
expect_first "a used refresh token: invalid_grant" 2 '^EAS OPTIONS CRITICAL - token refresh refused \(HTTP 400\): invalid_grant'
t_is "$(($(grep -c 'error=invalid_grant' "$OAUTH_LOG") - refused0))" 2 "the server logged both refusals"
cache_expire "$C"
check --oauth-token-cache "$C"
expect_first "...and the provider revoked the grant: the current one fails too" 2 \
	'^EAS OPTIONS CRITICAL - token refresh refused \(HTTP 400\): invalid_grant'

# ------------------------------------------- slow and hanging token endpoint
S=$T/slow.json
t_setup_ok "cache seeded" oauth_cache_seed "$S"
oauth_delay 1500
check --oauth-token-cache "$S" -t 6
expect_first "a slow token endpoint (1.5 s) within -t 6: OK" 0 '^EAS OPTIONS OK'
expect_perf token_time '^1\.[0-9]+s;;;0$' "token_time shows the slow endpoint"
cache_expire "$S"
oauth_delay 30000
start=$(date +%s%N)
check --oauth-token-cache "$S" -t 2
took=$((($(date +%s%N) - start) / 1000000))
expect_first "a hanging token endpoint: the -t state, naming the step" 3 \
	'^EAS OPTIONS UNKNOWN - token endpoint https://127\.0\.0\.1:[0-9]+/token: .*token refresh'
t_ok "...within -t 2 (took ${took} ms)" test "$took" -lt 3500
check --oauth-token-cache "$S" -t 2:CRITICAL
expect_first "-t 2:CRITICAL: the hanging endpoint is CRITICAL" 2 '^EAS OPTIONS CRITICAL - token endpoint'
oauth_delay 0
check --oauth-token-cache "$S"
expect_first "the refresh token survived the timeouts (not rotated: no answer came)" 0 '^EAS OPTIONS OK'

# ------------------------------------------------------- the cache's rules
chmod 620 "$S"
check -v --oauth-token-cache "$S"
expect_summary "a cache the group may write is refused" 3 \
	"^EAS OPTIONS UNKNOWN - token cache $T/slow\.json is writable by other users, who could choose the tokens sent: chmod 600 it"
chmod 644 "$S"
check --oauth-token-cache "$S" -v
expect_first "a cache others may read works" 0 '^EAS OPTIONS OK'
expect_out "^note: the token cache $T/slow\\.json can be read by other users" "...with a note in -v"
chmod 600 "$S"
check --oauth-token-cache "$T/none.json"
expect_first "a missing cache" 3 '^EAS OPTIONS UNKNOWN - .*none\.json'
printf 'just-a-token\n' >"$T/plain.json"
chmod 600 "$T/plain.json"
check -v --oauth-token-cache "$T/plain.json"
expect_summary "a cache that is not JSON names the seed format" 3 \
	'^EAS OPTIONS UNKNOWN - token cache .*plain\.json is not one JSON object \(seed it with \{"refresh_token": "\.\.\."\}\)'
expect_no_str "just-a-token" "...without quoting it"

t_setup_ok "cache seeded" oauth_cache_seed "$T/link.json"
ln -s "$T/elsewhere" "$T/link.json.lock"
check -v --oauth-token-cache "$T/link.json"
expect_summary "a lock file that is a symbolic link is refused" 3 \
	"^EAS OPTIONS UNKNOWN - the lock file $T/link\.json\.lock is a symbolic link: check-eas never follows one there \(another user could point it anywhere\); remove it$"
t_ok "...and nothing was created where it points" test ! -e "$T/elsewhere"
printf '{"access_token": "OLD-AT", "expires_at": 1000}\n' >"$T/noref.json"
chmod 600 "$T/noref.json"
check -v --oauth-token-cache "$T/noref.json"
expect_summary "an expired access token without a refresh token: say what to seed" 3 \
	'^EAS OPTIONS UNKNOWN - the token cache .*noref\.json holds no refresh token and its access token has expired: seed it with'
t_setup_ok "cache seeded" oauth_cache_seed "$T/html.json"
run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" --oauth-client-id check-eas \
	--oauth-token-url "https://localhost:$RS/Microsoft-Server-ActiveSync" --oauth-token-cache "$T/html.json"
expect_first "a token endpoint that answers a web page" 2 \
	'^EAS OPTIONS CRITICAL - the token endpoint answered HTTP 401, not with one JSON document \| '
t_is "$(oauth_cache_get "$T/html.json" access_token)" "" "...the cache is left as it was"

t_setup_ok "cache seeded" oauth_cache_seed "$T/k.json"
run check_eas_options -H localhost -p "$RS" -k --oauth-client-id check-eas \
	--oauth-token-url "$OAUTH_URL" --oauth-token-cache "$T/k.json" --oauth-scope "openid offline_access"
expect_first "-k does not reach the token endpoint: its certificate is still verified" 2 \
	'^EAS OPTIONS CRITICAL - token endpoint https://127\.0\.0\.1:[0-9]+/token: server certificate not trusted'
t_is "$(oauth_cache_get "$T/k.json" access_token)" "" "...no refresh token went there"

# ------------------------------------------------------------ the options
run check_eas_options -H localhost --oauth-token-cache "$C"
expect_first "a cache needs the client" 3 '^EAS OPTIONS UNKNOWN - --oauth-token-cache needs --oauth-client-id$'
run check_eas_options -H localhost --oauth-token-cache "$C" --oauth-client-id x
expect_first "...and the endpoint" 3 '^EAS OPTIONS UNKNOWN - --oauth-token-cache needs the token endpoint'
run check_eas_options -H localhost --oauth-token-cache "$C" --oauth-client-id x --oauth-tenant t \
	--oauth-token-url "$OAUTH_URL"
expect_first "...only one endpoint" 3 '^EAS OPTIONS UNKNOWN - --oauth-token-cache needs the token endpoint'
run check_eas_options -H localhost --oauth-token-cache "$C" --oauth-client-id x \
	--oauth-token-url "http://127.0.0.1:1/token"
expect_first "a plain http:// token endpoint is refused" 3 "^EAS OPTIONS UNKNOWN - --oauth-token-url: invalid value"
run check_eas_options -H localhost --oauth-token-cache "$C" --oauth-client-id x --oauth-tenant 'a/b'
expect_first "a tenant that is no name is refused" 3 "^EAS OPTIONS UNKNOWN - --oauth-tenant: invalid value"
run check_eas_options -H localhost --oauth-client-id x
expect_first "--oauth-* without a cache" 3 '^EAS OPTIONS UNKNOWN - the --oauth-\* options need --oauth-token-cache$'
run check_eas_options -H localhost --bearer-token-file "$C" --oauth-token-cache "$C"
expect_first "one source of the token" 3 '^EAS OPTIONS UNKNOWN - --bearer-token-file or --oauth-token-cache'
run check_eas_options -H localhost --bearer-token-file "$C" --user u --password-file "$C"
expect_first "a token or a password" 3 '^EAS OPTIONS UNKNOWN - a bearer token or a password'

# ------------------------------------------------------ --bearer-token-file
F=$T/token
t_setup_ok "cache seeded" oauth_cache_seed "$T/forfile.json"
check --oauth-token-cache "$T/forfile.json"
oauth_cache_get "$T/forfile.json" access_token >"$F"
chmod 600 "$F"
AT=$(<"$F")
calls=$(oauth_calls)
run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" --bearer-token-file "$F" -v
expect_first "--bearer-token-file: the token opens the endpoint" 0 '^EAS OPTIONS OK - ActiveSync 15\.1'
expect_out '^bearer token sha256:[0-9a-f]{12} from ' "-v: named by its fingerprint"
expect_no_str "$AT" "the token in no output"
t_is "$(oauth_calls)" "$calls" "--bearer-token-file calls no token endpoint"
printf 'WRONG-TOKEN\n' >"$T/wrong"
chmod 600 "$T/wrong"
run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" --bearer-token-file "$T/wrong"
expect_first "a token the server does not know: refused, in words" 0 \
	'^EAS OPTIONS OK - alive, but not with our credentials \(the bearer token\): HTTP 401'
expect_no_str "WRONG-TOKEN" "the wrong token not quoted"
chmod 666 "$T/wrong"
run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" --bearer-token-file "$T/wrong"
expect_first "a token file others may write is refused" 3 \
	"^EAS OPTIONS UNKNOWN - bearer token file $T/wrong is writable by other users: chmod go-w$"
printf '\xef\xbb\xbfTOKEN\n' >"$T/bom"
chmod 600 "$T/bom"
run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" --bearer-token-file "$T/bom"
expect_first "a token file with a byte-order mark is refused" 3 \
	"^EAS OPTIONS UNKNOWN - bearer token file $T/bom starts with a UTF-8 byte-order mark"
run check_eas_options -H 127.0.0.1 -p "$RS" -k --bearer-token-file "$F"
expect_first "the credential rule holds for tokens: -k with a configured host is allowed" 0 '^EAS OPTIONS OK - ActiveSync'
run check_eas_options -U "http://127.0.0.1:$RS/Microsoft-Server-ActiveSync" --bearer-token-file "$F"
expect_first "...plain http:// without --allow-plaintext is refused, as for a password" 3 \
	'^EAS OPTIONS UNKNOWN - .*--allow-plaintext'
expect_no_str "$AT" "the token in no refusal"

# ------------------------------------- check_eas_sync with a bearer token
Y=$T/sync.json
t_setup_ok "cache seeded for the sync" oauth_cache_seed "$Y"
syncd_reset
SYNC=(-U "$(syncd_url ok "$RS")" --ca-file "$PKI/ca.pem" --user monitor@example.com
	--oauth-token-url "$OAUTH_URL" --oauth-client-id check-eas --oauth-scope "openid offline_access")
run check_eas_sync "${SYNC[@]}" --oauth-token-cache "$Y" -v
expect_first "check_eas_sync: the mailbox syncs with a bearer token" 0 '^EAS SYNC OK - mailbox .* syncs over ActiveSync'
expect_perf token_time '^0\.[0-9]+s;;;0$' "check_eas_sync: token_time"
t_is "$(syncd_log | awk '{print $2, $NF}' | tr '\n' ' ')" \
	"OPTIONS bearer Provision bearer Provision bearer FolderSync bearer Settings bearer " \
	"every command carried the bearer token (the server's log)"
t_is "$(grep -c '^127\.0\.0\.1 monitor .*"[A-Z]* /e/ok/Microsoft-Server-ActiveSync' "$T/rs/access.log")" 5 \
	"mod_oauth2 passed the token's user on for each of them"
expect_no_str "$(oauth_cache_get "$Y" access_token)" "check_eas_sync: the token in no output"
syncd_reset
run check_eas_sync "${SYNC[@]}" --oauth-token-cache "$Y"
expect_first "check_eas_sync again: the cached token" 0 '^EAS SYNC OK'
expect_perf token_time '^0\.0+s;;;0$' "check_eas_sync: the token came from the cache"
chmod 600 "$T/wrong"
run check_eas_sync -U "$(syncd_url ok "$RS")" --ca-file "$PKI/ca.pem" --user monitor@example.com \
	--bearer-token-file "$T/wrong"
expect_first "check_eas_sync with a token the server refuses: CRITICAL" 2 '^EAS SYNC CRITICAL - '
run check_eas_sync -U "$(syncd_url ok "$RS")" --ca-file "$PKI/ca.pem" --oauth-token-cache "$Y" \
	--oauth-token-url "$OAUTH_URL" --oauth-client-id check-eas
expect_first "check_eas_sync with a token still needs --user (the device's User)" 3 \
	'^EAS SYNC UNKNOWN - no --user or --cert given: check_eas_sync needs --user with a password \(--password-file, EAS_PASSWORD\) or a bearer token'

# ---------------------------------------- the rotation race: 20 at once
X=$T/race.json
t_setup_ok "cache seeded for the race" oauth_cache_seed "$X"
before=$(oauth_calls)
pids=()
for i in $(seq 1 20); do
	"$BUILDDIR/plugins/check_eas_options" "${OPTS[@]}" --oauth-token-cache "$X" -t 20 \
		>"$T/race.$i.out" 2>&1 </dev/null &
	pids+=($!)
done
ok=0
for i in "${!pids[@]}"; do
	wait "${pids[$i]}" && ok=$((ok + 1))
done
t_is "$ok" 20 "20 checks started at once with one rotating refresh token: all OK"
t_is "$(cat "$T"/race.*.out | grep -c '^EAS OPTIONS OK - ActiveSync')" 20 "...all 20 opened the endpoint"
t_is "$(($(oauth_calls) - before))" 1 "...with one token endpoint call between them (the lock, the cache read again)"
after=$(tail -n +$((before + 2)) "$OAUTH_LOG")
t_is "$(grep -c 'error=' <<<"$after")" 0 \
	"...no refresh token used twice"
cache_expire "$X"
check --oauth-token-cache "$X"
expect_first "...and the refresh token left behind is valid" 0 '^EAS OPTIONS OK'
t_is "$(($(oauth_calls) - before))" 2 "...it refreshed once more"

t_done
