#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# 35-challenge.t - what a 401 offers, audited without signing in (issue 17,
# item 3) and a refused bearer token in plain words (item 4), against real
# servers: Apache's mod_auth_basic (Basic realm=...), mod_auth_gssapi
# (Negotiate and Basic as two lines, no KDC needed to challenge), an
# Exchange-Online-like 401 (one WWW-Authenticate line per scheme, Bearer
# with client_id, trusted_issuers, authorization_uri; error="invalid_token"
# and X-MS-Diagnostics to a token: t/lib/vhost-challenge.conf) and
# mod_oauth2 in front of t/eas-responder with a real authorization server
# (t/lib/oauth.sh). check_eas_options: the first line, -v, JSON,
# --expect-schemes OK/CRITICAL/UNKNOWN and the empty bearer it sends;
# -v of check_eas_basic lists the offer too.
. "$(dirname "$0")/lib/test.sh"
. "$T_LIB/httpd.sh"
. "$T_LIB/oauth.sh"
t_setup
t_pki
httpd_htpasswd "$T/htpasswd" monitor secret
printf secret >"$T/pw.right"
printf wrong >"$T/pw.wrong"
chmod 600 "$T/pw.right" "$T/pw.wrong"
GSS=${HTTPD_MODDIR:-/usr/lib/apache2/modules}/mod_auth_gssapi.so
HTTPD_EXTRA=
if [[ -f $GSS ]]; then
	HTTPD_EXTRA="    LoadModule auth_gssapi_module \"$GSS\"
    <LocationMatch \"^/gssapi/\">
        AuthType GSSAPI
        AuthName \"mail.example.com\"
        GssapiBasicAuth On
        GssapiCredStore keytab:$T/no.keytab
        Require valid-user
    </LocationMatch>"
fi
t_setup_ok "Apache with the challenge vhosts starts" httpd_start ch vhost-challenge
CH=$HTTPD_PORT
export HTTPD_EXTRA=

url() { printf 'https://localhost:%s/%s/Microsoft-Server-ActiveSync' "$CH" "$1"; }
opts() {
	local where=$1
	shift
	run check_eas_options -U "$(url "$where")" --ca-file "$PKI/ca.pem" "$@"
}
# json_challenges - the probe's challenges as "scheme:param=value;..." lines
json_challenges() {
	python3 -c '
import json, sys
d = json.load(sys.stdin)
for c in d["probe"].get("challenges", []):
    print(c["scheme"] + ":" + ";".join("%s=%s" % kv for kv in c["params"].items()))
' <<<"$OUT"
}
EXO_BEARER='Bearer: client_id=00000002-0000-0ff1-ce00-000000000000, trusted_issuers=00000001-0000-0000-c000-000000000000@\*, token_types=app_asserted_user_v1 service_asserted_app_v1, authorization_uri=https://login\.microsoftonline\.com/common/oauth2/authorize'

# ------------------------------------------------ Basic (mod_auth_basic)
opts basic -v
expect_first "Basic: the offer on the first line" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Basic \(Bearer off\) \|'
expect_out '^offered: Basic: realm=mail\.example\.com$' "-v: Basic with its realm"
expect_out '^HTTP 401: .*; server offers Basic$' "-v: the 401's sentence names the scheme"
opts basic --expect-schemes 'Bearer,!Basic'
expect_first "Basic only, the policy wants modern auth: CRITICAL naming both differences" 2 \
	'^EAS OPTIONS CRITICAL - Bearer is not offered, the policy says it must be, Basic is offered, the policy says it must be off: HTTP 401, offers Basic \(Bearer off\) \|'
opts basic --expect-schemes Basic
expect_first "the policy Basic holds: OK" 0 '^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Basic \(Bearer off\) \|'
opts basic --expect-schemes 'Basic' --on-auth-required WARNING
expect_first "...--on-auth-required still sets the state of a 401" 1 '^EAS OPTIONS WARNING - HTTP 401, offers Basic'
run check_eas_basic -U "$(url basic)" --ca-file "$PKI/ca.pem" --user monitor --password-file "$T/pw.wrong" -v
expect_first "check_eas_basic, a wrong password: refused" 2 '^EAS BASIC CRITICAL - basic auth for monitor refused: HTTP 401'
expect_out '^offered: Basic: realm=mail\.example\.com$' "-v of another plugin lists the offer too (one home: the report)"
run check_eas_basic -U "$(url basic)" --ca-file "$PKI/ca.pem" --user monitor --password-file "$T/pw.right"
expect_first "...the right one: accepted (the vhost is real)" 0 '^EAS BASIC OK - basic auth accepted for monitor'

# ----------------------------------- Negotiate and Basic (mod_auth_gssapi)
if [[ -f $GSS ]]; then
	opts gssapi -v --output-format json
	t_is "$(json_challenges)" $'Negotiate:\nBasic:realm=mail.example.com' \
		"mod_auth_gssapi's two lines: two challenges in JSON"
	opts gssapi --expect-schemes 'Negotiate,!Bearer'
	expect_first "Negotiate offered, Bearer not: the policy holds" 0 \
		'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Negotiate, Basic \(Bearer off\) \|'
	opts gssapi --expect-schemes '!Negotiate'
	expect_first "a policy against Negotiate: CRITICAL" 2 \
		'^EAS OPTIONS CRITICAL - Negotiate is offered, the policy says it must be off: HTTP 401'
else
	t_skip "mod_auth_gssapi not installed (libapache2-mod-auth-gssapi)" 3
fi

# ------------------------------------------------- Exchange Online's 401
opts exo -v
expect_first "Exchange Online: four schemes, one line each" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Negotiate, NTLM, Basic, Bearer \|'
expect_out '^WWW-Authenticate: Negotiate, NTLM, Basic realm="mail\.example\.com", Bearer client_id=' \
	"-v: the four lines joined into one header"
expect_out '^offered: Negotiate$' "-v: Negotiate"
expect_out '^offered: NTLM$' "-v: NTLM"
expect_out '^offered: Basic: realm=mail\.example\.com$' "-v: Basic's realm"
expect_out "^offered: $EXO_BEARER\$" "-v: Bearer's authorization_uri and trusted_issuers"
expect_no_out '^sent with an empty bearer' "no empty bearer without --expect-schemes naming Bearer"
t_is "$(grep -c '"OPTIONS /exo/' "$T/ch/access.log")" 1 "one request"

opts exo --output-format json
t_is "$(json_challenges | cut -d: -f1 | tr '\n' ' ')" "Negotiate NTLM Basic Bearer " "JSON: the four schemes in order"
t_like "$(json_challenges | grep '^Bearer:')" \
	'authorization_uri=https://login\.microsoftonline\.com/common/oauth2/authorize' \
	"JSON: Bearer's params hold authorization_uri"
t_like "$(json_challenges | grep '^Bearer:')" 'trusted_issuers=00000001-0000-0000-c000-000000000000@\*' \
	"JSON: ...and trusted_issuers"

opts exo -v --expect-schemes 'Bearer,!Basic'
expect_first "Exchange Online with Basic still on: CRITICAL, the cause first" 2 \
	'^EAS OPTIONS CRITICAL - Basic is offered, the policy says it must be off: HTTP 401, offers Negotiate, NTLM, Basic, Bearer \|'
expect_out '^sent with an empty bearer token \(Authorization: Bearer\), as Microsoft' \
	"-v: the empty bearer named"
t_like "$(tail -1 "$T/ch/access.log")" '"OPTIONS /exo/Microsoft-Server-ActiveSync HTTP/1\.1" 401 ' \
	"the server's log: the OPTIONS, answered 401"
opts modern -v --expect-schemes 'Bearer,!Basic'
expect_first "modern auth only: the policy holds, OK" 0 \
	'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Negotiate, NTLM, Bearer \(Basic off\) \|'
expect_out '^--expect-schemes Bearer,!Basic: the offer meets it$' "-v: the policy met"
expect_out "^offered: $EXO_BEARER\$" "-v: Bearer's parameters, no error (the empty bearer is no token)"
opts modern --expect-schemes '!Bearer'
expect_first "a policy against Bearer: CRITICAL" 2 '^EAS OPTIONS CRITICAL - Bearer is offered, the policy says it must be off'

# The policy is about an unauthenticated request; a 200 has no challenge.
opts exo --expect-schemes Bearer --user monitor --password-file "$T/pw.right"
expect_first "--expect-schemes with credentials: refused" 3 \
	'^EAS OPTIONS UNKNOWN - --expect-schemes audits the challenge of an unauthenticated request'
run check_eas_options -H localhost -p "$CH" -u /plain/Microsoft-Server-ActiveSync --ca-file "$PKI/ca.pem" --expect-schemes Bearer
expect_first "a 200 without a challenge: the policy cannot be checked, UNKNOWN" 3 \
	'^EAS OPTIONS UNKNOWN - ActiveSync 15\.1 answers: .*, cannot check --expect-schemes: HTTP 200 has no challenge'
for bad in '' 'Bearer,' 'Bea rer' '!' 'a,b,c,d,e,f,g,h,i'; do
	opts exo --expect-schemes "$bad"
	expect_first "--expect-schemes '$bad' refused" 3 \
		"^EAS OPTIONS UNKNOWN - --expect-schemes: '$bad' is not a comma list of scheme names, each NAME or !NAME \\(at most 8\\), e\\.g\\. Bearer,!Basic\$"
done

# ---------------------------------------- a refused bearer token in words
tok() { printf '%s\n' "$1" >"$T/token" && chmod 600 "$T/token"; }
tok expired
opts exo -v --bearer-token-file "$T/token"
expect_summary "an expired token: said so, with Exchange's diagnostic and what to do" 0 \
	"^EAS OPTIONS OK - alive, but not with our credentials \\(the bearer token\\): HTTP 401: the bearer token has expired: the token source must renew it before it lapses"
expect_out '^X-MS-Diagnostics: 2000008;reason="The token has expired";error_category="invalid_token"$' \
	"-v: X-MS-Diagnostics captured"
expect_out '^offered: Bearer: .*, error=invalid_token$' "-v: the Bearer challenge's error"
expect_no_str 'Authorization: Bearer expired' "the token not in the output"
run check_eas_sync -U "$(url exo)" --ca-file "$PKI/ca.pem" --user monitor@example.com --bearer-token-file "$T/token" -v
expect_first "check_eas_sync with an expired token: CRITICAL, the cause on the line" 2 \
	'^EAS SYNC CRITICAL - OPTIONS: HTTP 401: the bearer token has expired: the token source must renew it'
expect_out '^OPTIONS: HTTP 401: the bearer token has expired: the token source must renew it before it lapses .*\(X-MS-Diagnostics 2000008 invalid_token: The token has expired\)$' \
	"check_eas_sync -v: what to do"
expect_out "^OPTIONS: offered: $EXO_BEARER, error=invalid_token\$" "check_eas_sync -v: the step's offer, labelled"
tok audience
opts exo --bearer-token-file "$T/token" -v
expect_summary "a token for another audience: said so, with what to do" 0 \
	"HTTP 401: the bearer token is for another audience: request it for this server's resource .*\\(X-MS-Diagnostics 2000003 invalid_resource: The audience claim value is invalid 'https://other\\.example\\.com'\\.\\) \\|"
tok some-other-token
opts exo --bearer-token-file "$T/token" -v
expect_summary "invalid_token without a diagnostic: RFC 6750's words" 0 \
	'HTTP 401: the server refused the bearer token: it was revoked, is malformed or comes from an issuer the server does not trust: obtain a new one \(error=invalid_token\) \|'

# --------------------------------------- mod_oauth2, a real Bearer challenge
if oauth_available && oauth_start; then
	t_setup_ok "Apache with mod_oauth2 starts" oauth_httpd_start rs
	RS=$HTTPD_PORT
	run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" -v --output-format json
	t_like "$(json_challenges)" '^Bearer:' "mod_oauth2: a Bearer challenge in JSON"
	run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" -v --expect-schemes 'Bearer,!Basic'
	expect_first "mod_oauth2 anonymous (empty bearer sent): modern auth only, the policy holds" 0 \
		'^EAS OPTIONS OK - alive, authentication enforced: HTTP 401, offers Bearer \(Basic off\) \|'
	tok WRONG-TOKEN
	run check_eas_options -H localhost -p "$RS" --ca-file "$PKI/ca.pem" -v --bearer-token-file "$T/token"
	expect_summary "mod_oauth2 refuses an unknown token: invalid_token in words" 0 \
		'^EAS OPTIONS OK - alive, but not with our credentials \(the bearer token\): HTTP 401: the server refused the bearer token: it was revoked'
	expect_out '^offered: Bearer: .*error=invalid_token' "-v: mod_oauth2's error"
	expect_no_str WRONG-TOKEN "the token in no output"
else
	t_skip "node or t/oauth/node_modules missing (contrib/setup.sh installs them)" 5
fi

t_done
