# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/auth-servers.sh - Apache set up the ways an EAS endpoint
# authenticates, for 30-basic.t, 31-cert.t and 32-auth.t. Source after
# test.sh; call auth_setup after t_setup and t_pki.
#
# Every vhost serves these paths (Apache answers OPTIONS with Exchange's
# headers for the modes; eas-responder the others):
#   /basic/$EAS      mode 1: basic auth, client certificates ignored
#   /cert/$EAS       mode 2: client certificate required, basic off
#   /both/$EAS       mode 3: client certificate and basic both required
#   /fallback/$EAS   mode 4: certificate if the client has one, else basic
#                    (ForeFront TMG "fallback")
#   /open/$EAS       no authentication at all (a regression to detect)
#   /s/certmap/$EAS  IIS-like certificate mapping: the TLS layer takes a
#                    certificate of any CA (optional_no_ca; expired ones
#                    still fail the handshake), the application answers
#                    403.7 (none), 403.16 (untrusted), 401.2 (not mapped)
#                    or 200 (CN=user@example.com)
#   /noask/$EAS      the application demands a certificate (403.7) but the
#                    TLS layer never asks for one (IIS SSL setting "Ignore")
#   /s/403.16/$EAS, /s/403.17/$EAS  ask for any certificate, then answer
#                    403.16 / 403.17 like IIS
#   /s/<case>/$EAS   any other eas-responder case, no client certificate
# Client certificates are requested per location, after the handshake:
# TLS 1.3 post-handshake authentication, or TLS 1.2 renegotiation.
#
# Instances (ports in $PORT13, $PORT12, $PORTHS):
#   auth13  TLS 1.2 + 1.3 (clients negotiate 1.3: post-handshake auth)
#   auth12  TLS 1.2 only (renegotiation)
#   authhs  (auth_setup hs) the whole vhost requires a certificate in the
#           handshake itself
# Each vhost also logs "STATUS RESUMED SESSIONID KEEPALIVES CN" per request
# to $T/<instance>/tls.log.
#
# Credentials (arrays): PEM ENCPEM P12 P12LEGACY EXPIRED FOREIGN WRONGPW
# MISMATCH OTHERCN (CN=other@example.com by the root: not mapped), INTP12
# (by the intermediate, PKCS#12 with the intermediate inside), INTLEAF (the
# same certificate alone, as PEM); BASIC
# (--user user@example.com --password-file), BASIC_DOMAIN (EXAMPLE\user),
# BASIC_WRONG. Every secret contains "s3cret" ($PASSWORD, and the PKI's
# PKCS#12 and key passwords), for expect_no_out; $AUTH_B64 is the
# Authorization header value.

EAS=/Microsoft-Server-ActiveSync
PASSWORD='s3cret pass'
AUTH_B64='dXNlckBleGFtcGxlLmNvbTpzM2NyZXQgcGFzcw=='

_auth_snippet() {
	local protocols=$1 vhost_verify=$2
	local EAS_COMMANDS="Sync,SendMail,SmartForward,SmartReply,GetAttachment,GetHierarchy,CreateCollection,DeleteCollection,MoveCollection,FolderSync,FolderCreate,FolderDelete,FolderUpdate,MoveItems,GetItemEstimate,MeetingResponse,Search,Settings,Ping,ItemOperations,Provision,ResolveRecipients,ValidateCert,Find"
	cat <<EOF
<VirtualHost 127.0.0.1:@PORT@>
    ServerName localhost
    SSLEngine on
    SSLProtocol $protocols
    SSLCertificateFile "@CERT@"
    SSLCertificateKeyFile "@KEY@"
    SSLCACertificateFile "@PKI@/ca.pem"
    SSLOptions +StdEnvVars
    SSLVerifyClient $vhost_verify
    SSLVerifyDepth 2
    CustomLog "@DIR@/tls.log" "%>s %{SSL_SESSION_RESUMED}x %{SSL_SESSION_ID}x %k %{SSL_CLIENT_S_DN_CN}x"
    # Apache itself answers OPTIONS for the modes, with Exchange 2016's
    # headers on success: no CGI per request keeps the matrices fast.
    AliasMatch "^/(basic|cert|both|fallback|open)/Microsoft-Server-ActiveSync$" "@DIR@/htdocs/index.html"
    <LocationMatch "^/(basic|cert|both|fallback|open)/">
        Header set MS-Server-ActiveSync "15.1"
        Header set MS-ASProtocolVersions "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1"
        Header set MS-ASProtocolCommands "$EAS_COMMANDS"
    </LocationMatch>
    ScriptAlias /noask/Microsoft-Server-ActiveSync "@RESPONDER@"
    ScriptAliasMatch "^/s/([^/]+)/Microsoft-Server-ActiveSync(.*)$" "@RESPONDER@"
    <Location />
        CGIPassAuth On
    </Location>
    <Location /basic/>
        AuthType Basic
        AuthName "mail.example.com"
        AuthUserFile "@T@/htpasswd"
        Require valid-user
    </Location>
    <Location /cert/>
        SSLVerifyClient require
    </Location>
    <Location /both/>
        SSLVerifyClient require
        AuthType Basic
        AuthName "mail.example.com"
        AuthUserFile "@T@/htpasswd"
        Require valid-user
    </Location>
    <Location /fallback/>
        SSLVerifyClient optional
        AuthType Basic
        AuthName "mail.example.com"
        AuthUserFile "@T@/htpasswd"
        <RequireAny>
            Require expr %{SSL_CLIENT_VERIFY} == 'SUCCESS'
            Require valid-user
        </RequireAny>
    </Location>
    <Location /s/certmap/>
        SSLVerifyClient optional_no_ca
    </Location>
    <Location /noask/>
        SetEnv EAS_CASE certmap
    </Location>
    <LocationMatch "^/s/403\.1[67]/">
        SSLVerifyClient optional_no_ca
    </LocationMatch>
</VirtualHost>
EOF
}

# auth_setup [hs] - credentials, htpasswd, and the instances.
auth_setup() {
	httpd_htpasswd "$T/htpasswd" user@example.com "$PASSWORD" || return 1
	httpd_htpasswd "$T/htpasswd" 'EXAMPLE\user' "$PASSWORD" || return 1
	(umask 077
	 printf '%s\n' "$PASSWORD" >"$T/pass"
	 printf '%s\n' 'not the password' >"$T/wrong.pass")
	# A certificate from the trusted root for a user that is not mapped.
	openssl req -new -key "$PKI/client.key" -subj "/CN=other@example.com" \
		-out "$T/other.csr" 2>/dev/null &&
		openssl x509 -req -in "$T/other.csr" -CA "$PKI/ca.pem" \
			-CAkey "$PKI/ca.key" -CAcreateserial -CAserial "$T/ca.srl" \
			-days 365 -out "$T/other.pem" 2>/dev/null || return 1
	# The user's certificate from the intermediate CA (the server trusts
	# only the root): it verifies only if the chain is sent with it.
	openssl req -new -key "$PKI/client.key" -subj "/CN=user@example.com" \
		-out "$T/user.csr" 2>/dev/null &&
		openssl x509 -req -in "$T/user.csr" -CA "$PKI/int.pem" \
			-CAkey "$PKI/int.key" -CAcreateserial -CAserial "$T/int.srl" \
			-days 365 -out "$T/client-int.pem" 2>/dev/null &&
		openssl pkcs12 -export -in "$T/client-int.pem" -inkey "$PKI/client.key" \
			-certfile "$PKI/int.pem" -passout "file:$PKI/client.p12.pass" \
			-out "$T/client-int.p12" 2>/dev/null || return 1

	PEM=(--cert "$PKI/client.pem" --key "$PKI/client.key")
	ENCPEM=(--cert "$PKI/client.pem" --key "$PKI/client-enc.key"
		--key-password-file "$PKI/client-key.pass")
	P12=(--cert "$PKI/client.p12" --cert-password-file "$PKI/client.p12.pass")
	P12LEGACY=(--cert "$PKI/client-legacy.p12"
		--cert-password-file "$PKI/client.p12.pass")
	EXPIRED=(--cert "$PKI/client-expired.pem" --key "$PKI/client-expired.key")
	FOREIGN=(--cert "$PKI/client-foreign.pem" --key "$PKI/client-foreign.key")
	WRONGPW=(--cert "$PKI/client.p12" --cert-password-file "$PKI/client-wrong.pass")
	MISMATCH=(--cert "$PKI/client.pem" --key "$PKI/client-nomatch.key")
	OTHERCN=(--cert "$T/other.pem" --key "$PKI/client.key")
	INTP12=(--cert "$T/client-int.p12" --cert-password-file "$PKI/client.p12.pass")
	INTLEAF=(--cert "$T/client-int.pem" --key "$PKI/client.key")
	BASIC=(--user user@example.com --password-file "$T/pass")
	BASIC_DOMAIN=(--user 'EXAMPLE\user' --password-file "$T/pass")
	BASIC_WRONG=(--user user@example.com --password-file "$T/wrong.pass")

	# (not a pipe: httpd_start must run in this shell to record the pid)
	httpd_start auth13 - < <(_auth_snippet '-all +TLSv1.2 +TLSv1.3' none) || return 1
	PORT13=$HTTPD_PORT_auth13
	httpd_start auth12 - < <(_auth_snippet '-all +TLSv1.2' none) || return 1
	PORT12=$HTTPD_PORT_auth12
	if [[ ${1:-} == hs ]]; then
		httpd_start authhs - < <(_auth_snippet '-all +TLSv1.2 +TLSv1.3' require) || return 1
		PORTHS=$HTTPD_PORT_authhs
	fi
	return 0
}

# at PORT PATH - TGT=(target options) for /PATH/$EAS on that instance
at() {
	TGT=(-H localhost -p "$1" --ca-file "$PKI/ca.pem" -u "/$2$EAS")
}

# tlslog INSTANCE - the instance's TLS log lines so far
tlslog() {
	cat "$T/$1/tls.log" 2>/dev/null
}

# Many independent runs (the mode x credential matrices) are queued and run
# several at a time, then checked in order, to keep each script short.
#   bq DESC RC ERE PLUGIN ARGS...  queue a run (with -v), checked like
#                                  expect_summary, its first line by the
#                                  guard of every run (t/lib/test.sh)
#   bq_run                         run the queue, BQ_JOBS at a time
#                                  (default 6), and check every result
BQ_DESC=() BQ_RC=() BQ_ERE=() BQ_CMD=() BQ_PLUGIN=()
bq() {
	local cmd
	BQ_DESC+=("$1") BQ_RC+=("$2") BQ_ERE+=("$3")
	shift 3
	printf -v cmd '%q ' "$BUILDDIR/plugins/$1" -v "${@:2}"
	BQ_CMD+=("$cmd") BQ_PLUGIN+=("$1")
}

bq_run() {
	local n=${#BQ_CMD[@]} jobs=${BQ_JOBS:-6} i done_pid p
	local -a pids=() left
	for ((i = 0; i < n; i++)); do
		if ((${#pids[@]} >= jobs)); then
			# only our own jobs: Apache instances are children too
			wait -n -p done_pid "${pids[@]}"
			left=()
			for p in "${pids[@]}"; do [[ $p == "$done_pid" ]] || left+=("$p"); done
			pids=("${left[@]}")
		fi
		(
			eval "timeout -k 5 ${T_TIMEOUT:-60} ${BQ_CMD[i]}" \
				</dev/null >"$T/bq.$i.out" 2>"$T/bq.$i.err"
			echo $? >"$T/bq.$i.rc"
		) &
		pids+=($!)
	done
	for p in "${pids[@]}"; do
		wait "$p"
	done
	for ((i = 0; i < n; i++)); do
		T_LASTCMD=${BQ_CMD[i]}
		RC=$(<"$T/bq.$i.rc")
		IFS= read -r -d '' OUT <"$T/bq.$i.out"
		IFS= read -r -d '' ERR <"$T/bq.$i.err"
		while [[ $OUT == *$'\n' ]]; do OUT=${OUT%$'\n'}; done
		while [[ $ERR == *$'\n' ]]; do ERR=${ERR%$'\n'}; done
		LINE1=${OUT%%$'\n'*}
		_t_guard_line1 "${BQ_PLUGIN[i]}"
		expect_summary "${BQ_DESC[i]}" "${BQ_RC[i]}" "${BQ_ERE[i]}"
		rm -f "$T/bq.$i.out" "$T/bq.$i.err" "$T/bq.$i.rc"
	done
	BQ_DESC=() BQ_RC=() BQ_ERE=() BQ_CMD=() BQ_PLUGIN=()
}
