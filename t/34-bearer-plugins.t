#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 34-bearer-plugins.t - every plugin that authenticates takes a bearer token
# (issue 17, item 2): check_eas_basic, check_eas_cert --with-bearer,
# check_eas_auth and check_eas_autodiscover with --oauth-token-cache and
# --bearer-token-file, against a real authorization server (oidc-provider,
# t/lib/oauth.sh) and an ActiveSync server that accepts only its tokens
# (mod_oauth2 in front of t/eas-responder, t/lib/vhost-eas-oauth.conf): the
# token cache reused, one refresh and one more try after the server
# refuses a revoked token, check_eas_auth's modern-auth policy (bearer
# accepted, Basic refused, anonymous refused) OK there and CRITICAL where
# Basic still works (t/lib/vhost-eas.conf), Autodiscover's POX request
# with the token only where the credential rule allows it (the server's
# log), the JSON request anonymous, and no token in any output.
. "$(dirname "$0")/lib/test.sh"
. "$T_LIB/oauth.sh"
. "$T_LIB/autodiscover.sh"
t_setup
t_pki
oauth_available || t_bail "node or t/oauth/node_modules missing (contrib/setup.sh installs them)"
t_setup_ok "the authorization server starts" oauth_start
t_setup_ok "Apache with mod_oauth2 starts" oauth_httpd_start rs
RS=$HTTPD_PORT
t_setup_ok "Apache that still takes Basic starts" httpd_start basicvh vhost-eas
BV=$HTTPD_PORT
t_setup_ok "Apache with a client certificate and mod_oauth2 starts" oauth_httpd_start cb vhost-eas-oauth-cert
CB=$HTTPD_PORT

TOKEN=(--oauth-token-url "$OAUTH_URL" --oauth-client-id check-eas --oauth-scope "openid offline_access")
TGT=(-H localhost -p "$RS" --ca-file "$PKI/ca.pem")
printf 's3cret pass\n' >"$T/pw" && chmod 600 "$T/pw"

# ------------------------------------------------------- check_eas_basic
C=$T/basic.json
t_setup_ok "cache seeded" oauth_cache_seed "$C"
run check_eas_basic "${TGT[@]}" --user monitor@example.com "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "check_eas_basic: the bearer token gets in (refreshed)" 0 \
	'^EAS BASIC OK - bearer token accepted for monitor@example\.com: ActiveSync 15\.1, protocol 16\.1 \|'
expect_perf token_time '^0\.[0-9]+s;;;0$' "check_eas_basic: token_time of the refresh"
expect_perf token_lifetime '^(3599|3600)\.0+s$' "check_eas_basic: the access token's hour (a second may pass)"
expect_out '^OPTIONS https://localhost:[0-9]+/Microsoft-Server-ActiveSync with bearer token sha256:[0-9a-f]{12}$' \
	"check_eas_basic -v: the request names the token by its fingerprint"
t_is "$(oauth_calls)" 1 "one token endpoint call"
AT1=$(oauth_cache_get "$C" access_token)
run check_eas_basic "${TGT[@]}" "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "check_eas_basic again, no --user: the cached token" 0 \
	'^EAS BASIC OK - bearer token accepted: ActiveSync 15\.1, protocol 16\.1 \|'
expect_perf token_time '^0\.0+s;;;0$' "check_eas_basic: token_time 0, from the cache"
expect_out '^access token from the token cache ' "check_eas_basic -v: from the cache"
t_is "$(oauth_calls)" 1 "still one token endpoint call: the cache's access token reused"
t_like "$(tail -1 "$T/rs/access.log")" '^127\.0\.0\.1 monitor .*"OPTIONS /Microsoft-Server-ActiveSync HTTP/1\.1" 200 ' \
	"mod_oauth2 took the token as the monitoring user"
expect_no_str "$AT1" "check_eas_basic: the access token in no output"
expect_no_str "$(oauth_cache_get "$C" refresh_token)" "check_eas_basic: the refresh token in no output"

# A cached token revoked at the server: its 401, one refresh, once more.
t_setup_ok "refreshed behind the check's back" oauth_direct_refresh "$C"
AT2=$(oauth_cache_get "$C" access_token)
oauth_revoke_at "$AT2"
calls=$(oauth_calls)
run check_eas_basic "${TGT[@]}" --user monitor@example.com "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "check_eas_basic: a revoked token refreshed once, then accepted" 0 \
	'^EAS BASIC OK - bearer token accepted for monitor@example\.com: ActiveSync 15\.1'
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"check_eas_basic -v: the 401 and the one retry"
t_is "$(($(oauth_calls) - calls))" 1 "check_eas_basic: one token endpoint call for the retry"
t_is "$(grep -o "'token_time'" <<<"$LINE1" | wc -l)" 1 "token_time once in the perfdata"
expect_no_str "$AT2" "the revoked token in no output"

# --bearer-token-file: no refresh there, the 401 in words.
oauth_cache_get "$C" access_token >"$T/token" && chmod 600 "$T/token"
run check_eas_basic "${TGT[@]}" --bearer-token-file "$T/token"
expect_first "check_eas_basic --bearer-token-file: OK" 0 '^EAS BASIC OK - bearer token accepted: ActiveSync 15\.1'
printf 'WRONG-TOKEN\n' >"$T/wrong" && chmod 600 "$T/wrong"
calls=$(oauth_calls)
run check_eas_basic "${TGT[@]}" --user monitor@example.com --bearer-token-file "$T/wrong"
expect_first "check_eas_basic with a token the server refuses: CRITICAL in words" 2 \
	'^EAS BASIC CRITICAL - bearer token for monitor@example\.com refused: HTTP 401: the server refused the bearer token: it was revoked \(see -v\) \|'
t_is "$(oauth_calls)" "$calls" "a token from a file is not refreshed"
expect_no_str "WRONG-TOKEN" "the refused token not quoted"
run check_eas_basic "${TGT[@]}" --user monitor@example.com --password-file "$T/pw" --bearer-token-file "$T/token"
expect_first "check_eas_basic: a token or a password, as every plugin but check_eas_auth" 3 \
	'^EAS BASIC UNKNOWN - a bearer token or a password: a check authenticates with one of them$'

# ------------------------------------------------ check_eas_cert --with-bearer
# The mod_oauth2 vhost asks for no client certificate: the certificate
# plus token combination is refused for that in plain words (the
# combination exists where a TLS proxy asks for the certificate).
run check_eas_cert "${TGT[@]}" --cert "$PKI/client.pem" --key "$PKI/client.key" --with-bearer \
	"${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "check_eas_cert --with-bearer: the server never asked for the certificate" 2 \
	'^EAS CERT CRITICAL - the server never asked for a client certificate: it let us in without one on the token alone \|'
expect_out '^OPTIONS https://localhost:[0-9]+/Microsoft-Server-ActiveSync with client certificate and bearer token sha256:[0-9a-f]{12}$' \
	"check_eas_cert -v: the token went with the certificate"
run check_eas_cert "${TGT[@]}" --cert "$PKI/client.pem" --key "$PKI/client.key" --with-bearer
expect_first "--with-bearer without a token" 3 \
	'^EAS CERT UNKNOWN - --with-bearer needs the token: --bearer-token-file or --oauth-token-cache$'
run check_eas_cert "${TGT[@]}" --cert "$PKI/client.pem" --key "$PKI/client.key" --with-bearer --with-basic \
	--bearer-token-file "$T/token"
expect_first "--with-bearer and --with-basic" 3 \
	'^EAS CERT UNKNOWN - --with-basic or --with-bearer: a request carries one of them$'
run check_eas_cert "${TGT[@]}" --cert "$PKI/client.pem" --key "$PKI/client.key" --bearer-token-file "$T/token" -v
expect_first "check_eas_cert without --with-bearer: the token is not sent, the server's 401" 2 \
	'^EAS CERT CRITICAL - the server never asked for a client certificate: HTTP 401: the server wants credentials \(offers Bearer\) \|'
expect_no_out 'with bearer token' "...no request carried it"

# Where the combination exists: a TLS proxy demands the device
# certificate, mod_oauth2 the token (t/lib/vhost-eas-oauth-cert.conf).
CBT=(-H localhost -p "$CB" --ca-file "$PKI/ca.pem")
CERT=(--cert "$PKI/client.pem" --key "$PKI/client.key")
run check_eas_cert "${CBT[@]}" "${CERT[@]}" --with-bearer --user monitor@example.com "${TOKEN[@]}" --oauth-token-cache "$C"
expect_first "check_eas_cert --with-bearer, certificate and token both required: OK" 0 \
	'^EAS CERT OK - client certificate user@example\.com accepted with the bearer token for monitor@example\.com: ActiveSync 15\.1, protocol 16\.1'
t_like "$(tail -1 "$T/cb/access.log")" '^127\.0\.0\.1 monitor .*"OPTIONS /Microsoft-Server-ActiveSync HTTP/1\.1" 200 ' \
	"...the token's user let in behind the certificate"
run check_eas_cert "${CBT[@]}" "${CERT[@]}"
expect_first "check_eas_cert without the token there: the certificate alone is not enough" 2 \
	'^EAS CERT CRITICAL - client certificate user@example\.com refused: HTTP 401: the client certificate alone is not enough'
t_setup_ok "refreshed behind the check's back" oauth_direct_refresh "$C"
oauth_revoke_at "$(oauth_cache_get "$C" access_token)"
calls=$(oauth_calls)
run check_eas_cert "${CBT[@]}" "${CERT[@]}" --with-bearer "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "check_eas_cert --with-bearer, the cached token revoked: refreshed once, OK" 0 \
	'^EAS CERT OK - client certificate user@example\.com accepted with the bearer token: ActiveSync 15\.1'
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"check_eas_cert -v: the retry"
t_is "$(($(oauth_calls) - calls))" 1 "check_eas_cert: one token endpoint call for the retry"

# ----------------------------------------------------------- check_eas_auth
P=(--policy bearer --user monitor@example.com --password-file "$T/pw" "${TOKEN[@]}" --oauth-token-cache "$C")
run check_eas_auth "${TGT[@]}" "${P[@]}" -v
expect_first "policy bearer against mod_oauth2: bearer accepted, Basic refused, anonymous refused: OK" 0 \
	'^EAS AUTH OK - policy bearer only holds: anonymous refused, basic refused, bearer accepted \|'
expect_out '^policy bearer, bearer only: anonymous must be refused, basic refused, cert refused, cert\+basic refused, bearer accepted, cert\+bearer accepted$' \
	"-v states the policy with the bearer probes"
expect_out '^\[OK\] basic refused as expected: 401, credentials rejected \(HTTP 401' "-v: Basic refused with the right password"
expect_perf bearer_time '^[0-9.]+s;;;0$' "the bearer probe's perfdata"
expect_no_str "s3cret pass" "the password in no output"
expect_no_str "$(oauth_cache_get "$C" access_token)" "the token in no output"
run check_eas_auth "${TGT[@]}" "${P[@]}" --output-format json
t_is "$(python3 -c 'import json,sys; print(" ".join(p["name"]+"="+p.get("outcome","skipped") for p in json.load(sys.stdin)["probes"]))' <<<"$OUT")" \
	"anonymous=refused basic=refused cert=skipped cert+basic=skipped bearer=accepted cert+bearer=skipped" \
	"JSON: every probe and its outcome"

# The token revoked at the server: the bearer probe's 401, one refresh,
# the probe again.
t_setup_ok "refreshed behind the check's back" oauth_direct_refresh "$C"
oauth_revoke_at "$(oauth_cache_get "$C" access_token)"
calls=$(oauth_calls)
run check_eas_auth "${TGT[@]}" "${P[@]}" -v
expect_first "policy bearer, the cached token revoked: refreshed once, OK" 0 '^EAS AUTH OK - policy bearer only holds'
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"check_eas_auth -v: the retry"
t_is "$(($(oauth_calls) - calls))" 1 "check_eas_auth: one token endpoint call for the retry"

# A vhost that still accepts Basic (and knows nothing of tokens).
run check_eas_auth -H localhost -p "$BV" --ca-file "$PKI/ca.pem" -u /s/basic/Microsoft-Server-ActiveSync \
	--policy bearer --user user@example.com --password-file "$T/pw" --bearer-token-file "$T/token"
expect_first "policy bearer where Basic still works: CRITICAL, the regression first" 2 \
	'^EAS AUTH CRITICAL - basic auth accepted although policy is bearer only, bearer token refused: 401, bearer token rejected \|'
PC=(--policy cert+bearer "${CERT[@]}" --user monitor@example.com --password-file "$T/pw" "${TOKEN[@]}" --oauth-token-cache "$C")
run check_eas_auth "${CBT[@]}" "${PC[@]}" -v
expect_first "policy cert+bearer where both are required: OK, all six probes" 0 \
	'^EAS AUTH OK - policy cert\+bearer \(two factors\) holds: anonymous refused, basic refused, cert refused, cert\+basic refused, bearer refused, cert\+bearer accepted \|'
expect_out '^\[OK\] bearer refused as expected: TLS: client certificate required' "-v: the token alone stops at the TLS proxy"
expect_perf certbearer_time '^[0-9.]+s;;;0$' "the cert+bearer probe's perfdata"
run check_eas_auth "${TGT[@]}" "${PC[@]}"
expect_first "policy cert+bearer where the token alone gets in: CRITICAL" 2 \
	'^EAS AUTH CRITICAL - bearer token accepted although policy is cert\+bearer \(two factors\) \(see -v\) \|'
run check_eas_auth "${CBT[@]}" "${P[@]}" "${CERT[@]}"
expect_first "policy bearer behind a proxy that demands the certificate: CRITICAL" 2 \
	'^EAS AUTH CRITICAL - bearer token refused: TLS: client certificate required'
run check_eas_auth "${TGT[@]}" --policy bearer --user monitor@example.com --password-file "$T/pw"
expect_first "policy bearer without a token: UNKNOWN, what to give" 3 \
	'^EAS AUTH UNKNOWN - policy bearer names a bearer token, but no bearer token given: use --oauth-token-cache'
run check_eas_auth "${TGT[@]}" --policy bearer --user monitor@example.com "${TOKEN[@]}" --oauth-token-cache "$C"
expect_first "policy bearer, a user without a password: Basic not probed, said so" 0 \
	'^EAS AUTH OK - policy bearer only holds: anonymous refused, bearer accepted, basic not probed \(no password given\)'

# ---------------------------------------------------- check_eas_autodiscover
ad_test_setup
oauth_cache_get "$C" access_token >"$T/adtoken" && chmod 600 "$T/adtoken"
AD=(--address user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}")
URL="https://mail\\.example\\.test:$AD_PORT_MAIL/Microsoft-Server-ActiveSync"
ad_reset
ad_case example.test bearer
run check_eas_autodiscover "${AD[@]}" "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "Autodiscover POX with a bearer token after the host's Bearer challenge: OK" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@example\\.test from candidate 1 \\|"
t_is "$(sed -E 's/^vhost=([^ ]*) .* auth=([^ ]*) .*/\1 \2/' "$AD_LOG" | tr '\n' ';')" \
	"example.test none;example.test Bearer;" \
	"asked anonymously first, the token only in answer to the challenge (server log)"
expect_no_str "$(oauth_cache_get "$C" access_token)" "Autodiscover: the token in no output"

# A discovered host outside the trusted domains challenges for the token:
# it never gets it.
ad_reset
ad_case example.test redirect-addr user@other.test
ad_case other.test bearer
ad_case autodiscover.other.test bearer
run check_eas_autodiscover "${AD[@]}" --bearer-token-file "$T/adtoken" -v
expect_first "a redirect to a host outside the rule that wants the token: WARNING, a device goes on" 1 \
	"^EAS AUTODISCOVER WARNING - found $URL \\(candidate 3\\), candidate 1: Autodiscover host other\\.test \\(see -v\\) \\|"
t_is "$(grep -c 'vhost=[a-z.]*other\.test ' "$AD_LOG")" "$(grep 'vhost=[a-z.]*other\.test ' "$AD_LOG" | grep -c 'auth=none')" \
	"every request to other.test went without the token (server log)"
t_ok "...and other.test was asked" grep -q 'vhost=other\.test ' "$AD_LOG"
t_is "$(grep -c 'auth=Bearer' "$AD_LOG")" 0 "no Authorization: Bearer header anywhere (only example.test was allowed, and it did not ask)"
run check_eas_autodiscover "${AD[@]}" --bearer-token-file "$T/adtoken" --trust-domain other.test
expect_first "...with --trust-domain other.test, the rule allows it: OK" 0 "^EAS AUTODISCOVER OK - $URL for user@other\\.test"
t_like "$(grep 'vhost=other\.test ' "$AD_LOG" | tail -1)" 'auth=Bearer' "...and other.test got the token then"

# The JSON request is anonymous, as clients send it.
ad_reset
run check_eas_autodiscover "${AD[@]}" --method json --bearer-token-file "$T/adtoken"
expect_first "Autodiscover JSON with a token given: OK" 0 "^EAS AUTODISCOVER OK - JSON: $URL"
t_is "$(grep -c 'auth=none' "$AD_LOG")" "$(wc -l <"$AD_LOG")" "the JSON request carried no token (server log)"

# --autodiscover of a plugin that logs in: discovery with the token too.
ad_reset
ad_case example.test bearer
run check_eas_basic --autodiscover user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${TOKEN[@]}" --oauth-token-cache "$C"
expect_first "check_eas_basic --autodiscover: the token found the URL, then opened it" 0 \
	"^EAS BASIC OK - bearer token accepted: ActiveSync 15\\.1, protocol 16\\.1, URL from Autodiscover for user@example\\.test \\(candidate 1\\)"
t_is "$(sed -E 's/^vhost=([^ ]*) .* auth=([^ ]*) .*/\1 \2/' "$AD_LOG" | tr '\n' ';')" \
	"example.test none;example.test Bearer;" "...the token went to the Autodiscover host after its challenge"
oauth_cache_get "$C" access_token >"$T/ad-bearer-revoked"
calls=$(oauth_calls)
run check_eas_basic --autodiscover user@example.test "${NET[@]}" "${AD_CONNECT_TO[@]}" "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "check_eas_basic --autodiscover, the host refuses the cached token: refreshed once, OK" 0 \
	"^EAS BASIC OK - bearer token accepted: .*URL from Autodiscover for user@example\\.test \\(candidate 1\\)"
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"check_eas_basic --autodiscover -v: the retry"
t_is "$(($(oauth_calls) - calls))" 1 "...one token endpoint call"
rm -f "$T/ad-bearer-revoked"

# A cached token the Autodiscover host refuses: refreshed once, asked again.
ad_reset
ad_case example.test bearer
oauth_cache_get "$C" access_token >"$T/ad-bearer-revoked"
calls=$(oauth_calls)
run check_eas_autodiscover "${AD[@]}" "${TOKEN[@]}" --oauth-token-cache "$C" -v
expect_first "Autodiscover: the refused cached token refreshed once, then OK" 0 \
	"^EAS AUTODISCOVER OK - $URL for user@example\\.test from candidate 1"
expect_out '^the server refused the cached bearer token sha256:[0-9a-f]{12} \(HTTP 401\): refreshing it once$' \
	"check_eas_autodiscover -v: the retry"
t_is "$(($(oauth_calls) - calls))" 1 "check_eas_autodiscover: one token endpoint call for the retry"
t_is "$(grep -c 'auth=Bearer' "$AD_LOG")" 2 "the token went twice: refused, then the new one"

t_done
