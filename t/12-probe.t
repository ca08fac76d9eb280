#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The probe's request model against real Apache + the responder's echo
# case: bodies with their content type, query parameters (URL-encoded),
# extra headers, Basic and Bearer authentication, and keep-alive: several
# requests over one connection when asked, a fresh one each when not.
. "$(dirname "$0")/lib/test.sh"
t_setup
t_pki

httpd_start main vhost-eas || t_bail "apache did not start"
URL="https://localhost:$HTTPD_PORT/s/echo/Microsoft-Server-ActiveSync"
pr() { run_cmd "$BUILDDIR/t/probe-run" --ca-file "$PKI/ca.pem" "$@"; }

pr --post 'hello wbxml' --type application/vnd.ms-sync.wbxml "$URL" 1
expect_rc 0 "POST with a body"
expect_out 'status=200 .*method=POST\|.*content-type=application/vnd\.ms-sync\.wbxml\|body=11\|' \
	"the body arrives, with its content type"
pr --query Cmd=FolderSync --query 'User=EXAMPLE\user' --query DeviceId=ABC123 "$URL" 1
expect_out 'query=Cmd=FolderSync&User=EXAMPLE%5[Cc]user&DeviceId=ABC123\|' \
	"query parameters appended, URL-encoded"
pr --header 'X-Check-EAS-Test: yes' "$URL" 1
expect_out 'x-check-eas-test=yes\|' "extra request headers are sent"
pr --basic 'user:pw' "$URL" 1
expect_out 'authorization=Basic \|' "Basic authentication"
pr --bearer 'token123' "$URL" 1
expect_out 'authorization=Bearer\|' "Bearer authentication"
pr "$URL" 1
expect_out 'authorization=\|' "no authentication unless asked"

pr --keep "$URL" 3
expect_out '^status=200 reused=0 .*tls=TLSv1\.3' \
	"keep-alive: the first request opens the connection"
t_is "$(grep -c 'reused=1 .*tls=TLSv1\.3' <<<"$OUT")" 2 \
	"keep-alive: the next two reuse it, TLS facts carried"
pr "$URL" 3
t_is "$(grep -c 'reused=0' <<<"$OUT")" 3 "without keep-alive: a fresh connection each"

t_done
