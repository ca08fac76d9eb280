#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 79-oauth-grants.t - issue 17 items 1 and 4 against the real authorization
# server (oidc-provider, t/oauth/server.mjs): check_eas_oauth_setup's
# device-code bootstrap end to end (the setup in the background, the user
# code read from its output and approved through the provider's models,
# the cache written 0600, then check_eas_options with it against
# mod_oauth2), declined, expired, slow_down, an existing cache; the
# password grant (--oauth-grant password: OK, a wrong password in plain
# words, the password in no output, argument or EAS request); each class
# of Entra error in plain words (the server answers Entra's error bodies,
# injected); the rotation-age WARNING (--oauth-rotation-warn, the age set
# in the cache file).
. "$(dirname "$0")/lib/test.sh"
. "$T_LIB/oauth.sh"
t_setup
t_pki
oauth_available || t_bail "node or t/oauth/node_modules missing (contrib/setup.sh installs them)"
t_setup_ok "the authorization server starts" oauth_start
t_setup_ok "Apache with mod_oauth2 starts" oauth_httpd_start rs
RS=$HTTPD_PORT
BASE=https://127.0.0.1:$OAUTH_PORT
PASSWORD=pw-Monitor-7f3a # the test user's, in t/oauth/server.mjs

# cache_set FILE KEY VALUE - a member of the cache (a number), 0600 kept
cache_set() {
	python3 - "$@" <<'PY'
import json, os, sys
p, k, v = sys.argv[1:4]
c = json.load(open(p))
c[k] = int(v)
with open(p + ".new", "w") as f:
    json.dump(c, f)
os.chmod(p + ".new", 0o600)
os.replace(p + ".new", p)
PY
}
ctl() { _oauth_ctl "$1" >/dev/null; }
SETUP=(--ca-file "$PKI/ca.pem" --oauth-device-url "$BASE/device/auth" --oauth-token-url "$OAUTH_URL"
	--oauth-client-id check-eas --oauth-scope "openid offline_access")

# setup_bg ARGS... - check_eas_oauth_setup in the background, its output
# into $T/setup.out; setup_code waits for the user code it prints;
# setup_wait waits for the end: RC, OUT and LINE1 from the result line on
# (the prompt comes first, in $T/setup.out)
setup_bg() {
	: >"$T/setup.out"
	"$BUILDDIR/plugins/check_eas_oauth_setup" "${SETUP[@]}" "$@" </dev/null >"$T/setup.out" 2>&1 &
	SETUP_PID=$!
	T_PIDS+=("$SETUP_PID")
}
setup_code() {
	local i
	for ((i = 0; i < 100; i++)); do
		CODE=$(sed -n 's/^To sign in as the monitoring user, open .* and enter the code \(.*\)$/\1/p' "$T/setup.out")
		[[ -n $CODE ]] && return 0
		sleep 0.05
	done
	return 1
}
setup_wait() {
	wait "$SETUP_PID"
	RC=$?
	OUT=$(sed -n '/^EAS OAUTH SETUP /,$p' "$T/setup.out")
	LINE1=${OUT%%$'\n'*}
	_t_guard_line1 check_eas_oauth_setup
}

# ------------------------------------------------ the device-code bootstrap
C=$T/dev.json
setup_bg --oauth-token-cache "$C" -v
t_setup_ok "the setup prints a user code" setup_code
t_like "$(head -1 "$T/setup.out")" "^To sign in as the monitoring user, open $BASE/device and enter the code [A-Z]{4}-[A-Z]{4}\$" \
	"the verification URL and the user code, on stdout first"
t_like "$(sed -n 2p "$T/setup.out")" "^Or open $BASE/device\\?user_code=$CODE \\(the code filled in\\)\$" \
	"...and verification_uri_complete"
sleep 1.2 # at least one authorization_pending first
ctl "/test/approve?user_code=$CODE&account=monitor"
setup_wait
expect_first "approved: the cache is written, naming the user from the id_token" 0 \
	"^EAS OAUTH SETUP OK - token cache $C written for monitor@example\\.com, [2-9] polls \\| 'time'=[0-9.]+s;;;0\$"
t_like "$(grep -c 'error=authorization_pending' "$OAUTH_LOG")" '^[1-9]' "authorization_pending was polled through"
t_is "$(stat -c %a "$C")" 600 "the cache is 0600"
t_ok "no temporary file left" test ! -e "$C.tmp"
RT=$(oauth_cache_get "$C" refresh_token)
AT=$(oauth_cache_get "$C" access_token)
t_ok "a refresh token and an access token in it" test -n "$RT" -a -n "$AT"
t_like "$(oauth_cache_get "$C" rotated_at)" '^[0-9]{10}$' "the refresh token's time recorded"
expect_no_str "$RT" "the refresh token in no output"
expect_no_str "$AT" "the access token in no output"
OPTS=(-H localhost -p "$RS" --ca-file "$PKI/ca.pem" --oauth-token-url "$OAUTH_URL"
	--oauth-client-id check-eas --oauth-scope "openid offline_access")
run check_eas_options "${OPTS[@]}" --oauth-token-cache "$C" -v
expect_first "the bootstrapped cache opens the endpoint behind mod_oauth2" 0 '^EAS OPTIONS OK - ActiveSync 15\.1'
expect_perf refresh_token_age '^0(\.[0-9]+)?;60;;0$' "refresh_token_age in days, the warn threshold 60"
t_like "$(tail -1 "$T/rs/access.log")" '^127\.0\.0\.1 monitor ' "...as the monitoring user"

setup_bg --oauth-token-cache "$C"
setup_wait
expect_first "an existing cache is not replaced" 3 \
	"^EAS OAUTH SETUP UNKNOWN - the token cache $C exists: not replaced \\(--force replaces it\\)"
t_is "$(oauth_cache_get "$C" refresh_token)" "$RT" "...and is unchanged"

setup_bg --oauth-token-cache "$T/denied.json"
t_setup_ok "the setup prints a user code" setup_code
ctl "/test/deny?user_code=$CODE"
setup_wait
expect_first "declined: access_denied in words" 2 \
	'^EAS OAUTH SETUP CRITICAL - sign-in refused \(HTTP 400\): access_denied: the sign-in was declined: run the setup again and approve it'
t_ok "...no cache written" test ! -e "$T/denied.json"

ctl "/test/device-ttl?s=2"
setup_bg --oauth-token-cache "$T/expired.json"
t_setup_ok "the setup prints a user code" setup_code
start=$(date +%s%N)
setup_wait
took=$((($(date +%s%N) - start) / 1000000))
expect_first "nobody signs in: the device code expires, in words" 2 \
	'^EAS OAUTH SETUP CRITICAL - .*expired_token: the device code expired before the sign-in was done: run the setup again and sign in sooner'
t_ok "...bounded by the code's life, not -t's default (took ${took} ms)" test "$took" -lt 4000
ctl "/test/device-ttl?s=600"

setup_bg --oauth-token-cache "$T/t.json" -t 2
t_setup_ok "the setup prints a user code" setup_code
setup_wait
expect_first "-t bounds the wait: the -t state" 3 '^EAS OAUTH SETUP UNKNOWN - no sign-in within -t'

setup_bg --oauth-token-cache "$T/slow.json" -v
t_setup_ok "the setup prints a user code" setup_code
ctl "/test/fail-next?error=slow_down&desc=poll%20slower"
start=$(date +%s%N)
sleep 1.5 # the slow_down answered
ctl "/test/approve?user_code=$CODE"
setup_wait
took=$((($(date +%s%N) - start) / 1000000))
expect_summary "slow_down: polled slower, then written" 0 \
	"^EAS OAUTH SETUP OK - token cache $T/slow\\.json written for monitor@example\\.com, [2-9] polls \\(slowed down\\)"
expect_out '^slow_down: polling every 6 s from now on$' "-v: the interval grew by 5 s"
t_ok "...the next poll came 6 s later (took ${took} ms)" test "$took" -ge 5500

calls=$(grep -c '^device authorization' "$OAUTH_LOG")
run check_eas_oauth_setup "${SETUP[@]}" --oauth-token-cache "$T/nodir/x.json" -v
expect_summary "a cache whose directory is missing: refused before anyone signs in" 3 \
	"^EAS OAUTH SETUP UNKNOWN - cannot write the token cache $T/nodir/x\.json: its directory is missing or not writable by this user"
t_is "$(grep -c '^device authorization' "$OAUTH_LOG")" "$calls" "...no device code asked for"
run check_eas_oauth_setup --oauth-client-id x --oauth-tenant example.com
expect_first "the cache to write is required" 3 '^EAS OAUTH SETUP UNKNOWN - .*--oauth-token-cache'
run check_eas_oauth_setup --oauth-client-id x --oauth-tenant example.com --oauth-token-cache "$T/x.json" \
	--oauth-device-url "$BASE/device/auth"
expect_first "--oauth-device-url goes with --oauth-token-url" 3 \
	'^EAS OAUTH SETUP UNKNOWN - --oauth-device-url goes with --oauth-token-url, not --oauth-tenant$'
run check_eas_oauth_setup "${SETUP[@]}" --oauth-token-cache "$T/x.json" --oauth-device-url "http://127.0.0.1:1/d"
expect_first "a plain http:// device endpoint is refused" 3 '^EAS OAUTH SETUP UNKNOWN - --oauth-device-url'
ctl "/test/fail-next?error=invalid_client&desc=AADSTS7000218:%20The%20request%20body%20must%20contain%20client_assertion"
ctl "/test/interval?s=1"
setup_bg --oauth-token-cache "$T/pc.json" -v
setup_code
setup_wait
expect_summary "not a public client (AADSTS7000218), in words" 2 \
	'^EAS OAUTH SETUP CRITICAL - sign-in refused \(HTTP 400\): AADSTS7000218: the application asks for a client secret: enable "Allow public client flows" in its registration'

# --------------------------------------------------------- the password grant
printf '%s\n' "$PASSWORD" >"$T/pw"
chmod 600 "$T/pw"
P=$T/pw.json
calls=$(oauth_calls)
run check_eas_options "${OPTS[@]}" --oauth-grant password --user monitor --password-file "$T/pw" \
	--oauth-token-cache "$P" -v
expect_first "the password grant: a missing cache is created, the token opens the endpoint" 0 \
	'^EAS OPTIONS OK - ActiveSync 15\.1'
expect_out '^password grant at https://127\.0\.0\.1:[0-9]+/token: [0-9.]+ s$' "-v: the password grant"
t_is "$(grep -c '^token grant=password status=200' "$OAUTH_LOG")" 1 "the server granted by password"
t_is "$(stat -c %a "$P")" 600 "the cache is written 0600"
RTP=$(oauth_cache_get "$P" refresh_token)
t_ok "the refresh token it gave is kept" test -n "$RTP"
expect_no_str "$PASSWORD" "the password in no output"
t_ok "the password in no argument" test "${T_LASTCMD/$PASSWORD/}" == "$T_LASTCMD"
t_ok "...nor in the cache" test "$(grep -c -- "$PASSWORD" "$P")" == 0
t_like "$(tail -1 "$T/rs/access.log")" '^127\.0\.0\.1 monitor .*" 200 ' \
	"the EAS server got the bearer token (mod_oauth2 names the user), no password"
cache_set "$P" expires_at 1
run check_eas_options "${OPTS[@]}" --oauth-grant password --user monitor --password-file "$T/pw" \
	--oauth-token-cache "$P" -v
expect_first "the access token due: the kept refresh token is used first" 0 '^EAS OPTIONS OK'
expect_out '^token refresh at ' "-v: a refresh, not the password"
t_is "$(grep -c '^token grant=password' "$OAUTH_LOG")" 1 "no second password grant"
oauth_revoke "$(oauth_cache_get "$P" refresh_token)"
cache_set "$P" expires_at 1
run check_eas_options "${OPTS[@]}" --oauth-grant password --user monitor --password-file "$T/pw" \
	--oauth-token-cache "$P" -v
expect_first "the refresh token revoked: the password grant again" 0 '^EAS OPTIONS OK'
expect_out '^token refresh refused \(HTTP 400\): invalid_grant: .*: trying the password grant$' \
	"-v: the refusal, then the password"
t_is "$(grep -c '^token grant=password status=200' "$OAUTH_LOG")" 2 "a second password grant"

printf 'wrong-password\n' >"$T/badpw"
chmod 600 "$T/badpw"
run check_eas_options "${OPTS[@]}" --oauth-grant password --user monitor --password-file "$T/badpw" \
	--oauth-token-cache "$T/badpw.json" -v
expect_summary "a wrong password in plain words" 2 \
	'^EAS OPTIONS CRITICAL - password grant refused \(HTTP 400\): invalid_grant: the user name or password was refused: check --user and its password'
expect_no_str "wrong-password" "...the password not quoted"
t_ok "...no cache written" test ! -e "$T/badpw.json"
run check_eas_options "${OPTS[@]}" --oauth-grant password --oauth-token-cache "$T/x.json"
expect_first "the password grant needs --user" 3 '^EAS OPTIONS UNKNOWN - --oauth-grant password needs --user and its password$'
EAS_PASSWORD= run check_eas_options "${OPTS[@]}" --oauth-grant password --user monitor --oauth-token-cache "$T/x.json"
expect_first "...and its password" 3 '^EAS OPTIONS UNKNOWN - --oauth-grant password needs the password of --user'
run check_eas_options "${OPTS[@]}" --oauth-grant implicit --oauth-token-cache "$T/x.json"
expect_first "an unknown grant is refused" 3 "^EAS OPTIONS UNKNOWN - --oauth-grant: invalid value 'implicit'"
run check_eas_options "${OPTS[@]}" --user monitor --password-file "$T/pw" --oauth-token-cache "$P"
expect_first "a password with the refresh-token grant: still one or the other" 3 \
	'^EAS OPTIONS UNKNOWN - a bearer token or a password'

# ----------------------------------------------- Entra's errors in plain words
# ERROR DESCRIPTION SUMMARY-ERE [GRANT]: the next token request answers
# Entra's error body; the check's summary, exactly.
E=$T/err.json
errcase() {
	local grant=${4:-refresh_token}
	if [[ $grant == password ]]; then
		rm -f "$E"
		ctl "/test/fail-next?error=$1&desc=$2"
		run check_eas_options "${OPTS[@]}" --oauth-grant password --user monitor --password-file "$T/pw" \
			--oauth-token-cache "$E" -v
	else
		cp "$P" "$E"
		cache_set "$E" expires_at 1
		ctl "/test/fail-next?error=$1&desc=$2"
		run check_eas_options "${OPTS[@]}" --oauth-token-cache "$E" -v
	fi
	expect_summary "$1 ${2%%:*}: in words" 2 "$3"
}
W='^EAS OPTIONS CRITICAL - token refresh refused \(HTTP 400\): '
PW='^EAS OPTIONS CRITICAL - password grant refused \(HTTP 400\): '
errcase invalid_grant 'AADSTS70008:%20The%20refresh%20token%20has%20expired' \
	"${W}AADSTS70008: the refresh token has expired \\(unused too long or past its lifetime\\): obtain a new one for the monitoring user \\(check_eas_oauth_setup\\) \\| "
errcase invalid_grant 'AADSTS700082:%20expired%20due%20to%20inactivity' \
	"${W}AADSTS700082: the refresh token has expired after 90 days without use: obtain a new one for the monitoring user \\(check_eas_oauth_setup\\) \\| "
errcase invalid_grant 'AADSTS50173:%20The%20provided%20grant%20has%20expired%20due%20to%20it%20being%20revoked' \
	"${W}AADSTS50173: the refresh token was revoked \\(the password changed or the sessions were revoked\\): obtain a new one \\| "
errcase invalid_grant 'AADSTS70043:%20sign-in%20frequency' \
	"${W}AADSTS70043: the refresh token has expired under a conditional-access sign-in frequency: exclude the monitoring user from that policy, then obtain a new one \\| "
errcase invalid_grant 'AADSTS700084:%20SPA' \
	"${W}AADSTS700084: the refresh token \\(of a single-page application\\) has expired: obtain a new one \\| "
errcase interaction_required 'AADSTS50076:%20Due%20to%20a%20configuration%20change%20made%20by%20your%20administrator' \
	"${W}AADSTS50076: multi-factor authentication is required for this sign-in: exclude the monitoring user from the MFA rule, or obtain the refresh token with MFA \\(device code\\) and keep it used \\| "
errcase interaction_required 'AADSTS50079:%20enroll' \
	"${W}AADSTS50079: the monitoring user must register for multi-factor authentication: register it, then obtain a new refresh token \\| "
errcase interaction_required 'AADSTS50158:%20External%20security%20challenge' \
	"${W}AADSTS50158: a conditional access policy \\(external security challenge\\) requires an interactive sign-in: review the policies that apply to the monitoring user \\| "
errcase invalid_grant 'AADSTS53003:%20Access%20has%20been%20blocked%20by%20Conditional%20Access%20policies' \
	"${W}AADSTS53003: a conditional access policy blocked the token: review the policies that apply to the monitoring user and this host's address \\| "
errcase invalid_grant 'AADSTS530003:%20device%20must%20be%20managed' \
	"${W}AADSTS530003: a conditional access policy requires a managed or compliant device: exclude the monitoring user from it \\| "
errcase invalid_grant 'AADSTS65001:%20The%20user%20or%20administrator%20has%20not%20consented' \
	"${W}AADSTS65001: the application has no consent for the permission \\(EAS\\.AccessAsUser\\.All of Office 365 Exchange Online\\): grant admin consent or sign in once with consent \\| "
errcase unauthorized_client 'AADSTS700016:%20Application%20not%20found%20in%20the%20directory' \
	"${W}AADSTS700016: the application \\(--oauth-client-id\\) is not found in the tenant: check the client ID and --oauth-tenant \\| "
errcase invalid_client 'AADSTS7000218:%20client_assertion%20or%20client_secret' \
	"${W}AADSTS7000218: the application asks for a client secret: enable \"Allow public client flows\" in its registration \\| "
errcase invalid_request 'AADSTS90002:%20Tenant%20not%20found' \
	"${W}AADSTS90002: the tenant is not found: check --oauth-tenant \\| "
errcase invalid_request 'AADSTS900023:%20Specified%20tenant%20identifier%20is%20neither' \
	"${W}AADSTS900023: the tenant is not valid: check --oauth-tenant \\| "
errcase invalid_scope 'AADSTS70011:%20The%20provided%20value%20for%20scope%20is%20not%20valid' \
	"${W}AADSTS70011: the scope is not valid: check --oauth-scope \\| "
errcase invalid_resource 'AADSTS500011:%20The%20resource%20principal%20was%20not%20found' \
	"${W}AADSTS500011: the resource of the scope is not in the tenant: check --oauth-scope \\(https://outlook\\.office\\.com/\\.default\\) \\| "
errcase invalid_grant 'AADSTS50126:%20Error%20validating%20credentials' \
	"${PW}AADSTS50126: the user name or password is wrong: check --user and its password \\| " password
errcase invalid_grant 'AADSTS50053:%20account%20is%20locked' \
	"${PW}AADSTS50053: the monitoring user's account is locked \\(too many wrong passwords\\): wait or unlock it \\| " password
errcase invalid_grant 'AADSTS50057:%20The%20user%20account%20is%20disabled' \
	"${PW}AADSTS50057: the monitoring user's account is disabled: enable it \\| " password
errcase invalid_grant 'AADSTS50055:%20The%20password%20is%20expired' \
	"${PW}AADSTS50055: the monitoring user's password has expired: set a new one \\(and exempt the account from expiry\\) \\| " password
errcase invalid_grant 'MSIS9615:%20The%20refresh%20token%20is%20invalid' \
	"${W}MSIS9615: the refresh token was refused \\(expired, revoked, or already used by another run\\): obtain a new one for the monitoring user \\(check_eas_oauth_setup\\) \\| "

# ------------------------------------------------------ the rotation's age
A=$T/age.json
cp "$P" "$A"
cache_set "$A" rotated_at $(($(date +%s) - 75 * 86400))
run check_eas_options "${OPTS[@]}" --oauth-token-cache "$A" -v
expect_summary "a refresh token not rotated for 75 days: WARNING, the cause first" 1 \
	'^EAS OPTIONS WARNING - refresh token not rotated for 75 days \(warn 60\): it will lapse, use it more often or seed the cache again, ActiveSync 15\.1'
expect_perf refresh_token_age '^75(\.[0-9]+)?;60;;0$' "refresh_token_age 75 days, warn 60"
run check_eas_options "${OPTS[@]}" --oauth-token-cache "$A" --oauth-rotation-warn 90
expect_first "--oauth-rotation-warn 90: OK" 0 '^EAS OPTIONS OK - ActiveSync'
expect_perf refresh_token_age '^75(\.[0-9]+)?;90;;0$' "...the threshold 90 in the perfdata"
run check_eas_options "${OPTS[@]}" --oauth-token-cache "$A" --oauth-rotation-warn 0
expect_first "--oauth-rotation-warn 0: never" 0 '^EAS OPTIONS OK - ActiveSync'
expect_perf refresh_token_age '^75(\.[0-9]+)?;;;0$' "...no threshold"
cache_set "$A" expires_at 1
run check_eas_options "${OPTS[@]}" --oauth-token-cache "$A"
expect_first "a refresh rotates it: OK again" 0 '^EAS OPTIONS OK - ActiveSync'
expect_perf refresh_token_age '^0(\.[0-9]+)?;60;;0$' "...age 0"
run check_eas_options "${OPTS[@]}" --oauth-token-cache "$A" --oauth-rotation-warn -1
expect_first "a negative age is refused" 3 "^EAS OPTIONS UNKNOWN - --oauth-rotation-warn: invalid value '-1'"

t_done
