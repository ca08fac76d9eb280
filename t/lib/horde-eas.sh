# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/horde-eas.sh - a real ActiveSync server for tests: Horde_ActiveSync
# (Debian's php-horde-activesync) with the small test backend in
# t/lib/horde/, run by Debian's php-cgi under the suite's own Apache
# (t/lib/httpd.sh), TLS from the test PKI, on 127.0.0.1 only.
# Source after test.sh; call horde_setup after t_setup and t_pki.
#
#   horde_setup [NAME]   (NAME: Apache instance name, default "horde")
#       Writes $T/horde-eas/ (config.ini, the PHP files, state.db made with the
#       package's own migrations, activesync.log, php-error.log), the CGI
#       wrapper $T/bin/horde-eas.cgi, starts Apache and waits until an
#       authenticated OPTIONS answers 200. Apache is stopped by the test's
#       clean-up (httpd_stop_all) or by horde_stop.
#       Sets HORDE_PORT, HORDE_URL (https://127.0.0.1:PORT/Microsoft-
#       Server-ActiveSync), HORDE_USER, HORDE_PASSWORD, HORDE_DIR,
#       HORDE_CONF, HORDE_LOG, HORDE_INSTANCE.
#       Knobs read at set-up (also changeable later with horde_config):
#         HORDE_PROVISIONING  force (default: a policy must be acknowledged,
#                             as on Exchange), loose, or none (no policy)
#         HORDE_VERSION       highest EAS version offered (default 16.0,
#                             Horde's maximum)
#         HORDE_INBOX_COUNT   messages in the Inbox (default 3)
#         HORDE_POLICY        policy lines "Name=value" (default: a PIN of
#                             at least 6 characters, lock after 900 s)
#         HORDE_VHOST         the Apache vhost (default vhost-horde; the
#                             bearer-only one, vhost-horde-oauth, is set
#                             up by oauth_horde_setup in t/lib/oauth.sh)
#         HORDE_BEARER        a bearer token for the readiness check
#                             instead of the test account's password
#   horde_config KEY VALUE   set a key of config.ini (read per request):
#                            provisioning, version, inbox_count,
#                            blocked_devices (comma list: answered with
#                            status 129 / HTTP 403), policy_<Name>, ...
#   horde_device_count USER  device partnerships of USER in Horde's state
#   horde_devices [USER]     "devid user type policykey rwstatus" lines
#   horde_admin CMD ARGS...  t/lib/horde/admin.php (wipe DEVID, block DEVID,
#                            unblock DEVID, remove DEVID, policykey DEVID)
#   horde_request [-v VER] [-k POLICYKEY] [-d DEVID] [-t DEVTYPE]
#                 [-a USER:PASSWORD] [-X METHOD] CMD [XML]
#       One EAS request as a device sends it: XML (ActiveSync XML as
#       wbxml2xml writes it, with xmlns="Provision:" etc.; the DOCTYPE is
#       added) is turned into WBXML with xml2wbxml and POSTed to
#       $HORDE_URL?Cmd=CMD&User=...&DeviceId=...&DeviceType=... with
#       MS-ASProtocolVersion (default 14.1), X-MS-PolicyKey (if given) and
#       basic auth (default the test account). Sets HORDE_HTTP (status
#       code), HORDE_HEADERS (response headers, CRs removed) and HORDE_XML
#       (the answer decoded with wbxml2xml -l ACTIVESYNC, one element a
#       line; empty for an empty body). Returns non-zero only if curl or
#       the conversion failed.
#   horde_xml TAG [N]        text of the Nth (default 1st) <TAG> in HORDE_XML
#   horde_header NAME        value of a response header in HORDE_HEADERS
#   horde_stop               stop Apache
#   horde_missing            print the missing Debian packages (none: 1)
#
# Debian packages: php-horde-activesync php-horde-db php-horde-controller
# php-sqlite3 php-mbstring php-cgi php-cli libwbxml2-utils (and apache2,
# openssl, curl).

HORDE_SRC=${HORDE_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/horde" && pwd)}
HORDE_PHPCGI=${HORDE_PHPCGI:-/usr/bin/php-cgi}
HORDE_PHP=${HORDE_PHP:-/usr/bin/php}
HORDE_USER=user@example.com
HORDE_PASSWORD='s3cret pass'
HORDE_INSTANCE=

# horde_missing - print what is missing (Debian package names); returns 0
# if something is missing
horde_missing() {
	local -a miss=()
	[[ -x $HORDE_PHPCGI ]] || miss+=(php-cgi)
	[[ -x $HORDE_PHP ]] || miss+=(php-cli)
	[[ -f /usr/share/php/Horde/ActiveSync.php ]] || miss+=(php-horde-activesync)
	[[ -f /usr/share/php/Horde/Db/Adapter/Pdo/Sqlite.php ]] || miss+=(php-horde-db)
	[[ -f /usr/share/php/Horde/Controller/Request/Http.php ]] || miss+=(php-horde-controller)
	if [[ -x $HORDE_PHP ]]; then
		"$HORDE_PHP" -r 'exit(extension_loaded("pdo_sqlite") ? 0 : 1);' || miss+=(php-sqlite3)
		"$HORDE_PHP" -r 'exit(extension_loaded("mbstring") ? 0 : 1);' || miss+=(php-mbstring)
	fi
	((${#miss[@]})) || return 1
	printf '%s\n' "${miss[*]}"
	return 0
}

_horde_log() {
	printf '# horde: %s\n' "$*" >&2
}

# horde_config KEY VALUE - set KEY in config.ini (replacing it)
horde_config() {
	local key=${1:?usage: horde_config KEY VALUE} val=${2?} tmp
	[[ -n ${HORDE_CONF:-} && -f $HORDE_CONF ]] || { _horde_log "horde_config before horde_setup"; return 1; }
	tmp=$HORDE_CONF.tmp
	grep -v "^$key=" "$HORDE_CONF" >"$tmp"
	printf '%s=%s\n' "$key" "$val" >>"$tmp"
	chmod 644 "$tmp" && mv -f "$tmp" "$HORDE_CONF"
}

# horde_admin CMD ARGS... - run admin.php as the user Apache runs PHP as,
# so that files sqlite creates next to the database stay writable for it
horde_admin() {
	local -a run=()
	if [[ $(id -u) == 0 ]] && id www-data >/dev/null 2>&1; then
		run=(setpriv --reuid=www-data --regid=www-data --clear-groups --)
	fi
	CHECK_EAS_HORDE_CONF=$HORDE_CONF "${run[@]}" "$HORDE_PHP" -d display_errors=stderr \
		-d error_reporting='E_ALL & ~E_DEPRECATED' "$HORDE_DIR/www/admin.php" "$@"
}

horde_device_count() {
	horde_admin count "${1:?usage: horde_device_count USER}"
}

horde_devices() {
	horde_admin devices "$@"
}

_horde_write_conf() {
	local line
	{
		echo "; generated by t/lib/horde-eas.sh"
		echo "state_db=$HORDE_DIR/state/state.db"
		echo "log=$HORDE_LOG"
		echo "user=$HORDE_USER"
		echo "password=$HORDE_PASSWORD"
		echo "email=$HORDE_USER"
		echo "provisioning=${HORDE_PROVISIONING:-force}"
		echo "version=${HORDE_VERSION:-16.0}"
		echo "inbox_count=${HORDE_INBOX_COUNT:-3}"
		while IFS= read -r line; do
			[[ -n $line ]] && echo "policy_$line"
		done <<<"${HORDE_POLICY-DevicePasswordEnabled=1
MinDevicePasswordLength=6
MaxInactivityTimeDeviceLock=900}"
	} >"$HORDE_CONF"
	chmod 644 "$HORDE_CONF"
}

# The CGI: php-cgi on index.php, with our error log and no error display
# (a PHP notice must never end up inside a WBXML body).
_horde_write_cgi() {
	local q_conf q_index q_err
	printf -v q_conf '%q' "$HORDE_CONF"
	printf -v q_index '%q' "$HORDE_DIR/www/index.php"
	printf -v q_err '%q' "$HORDE_DIR/php-error.log"
	mkdir -p "$T/bin"
	cat >"$T/bin/horde-eas.cgi" <<EOF
#!/bin/sh
# generated by t/lib/horde-eas.sh
CHECK_EAS_HORDE_CONF=$q_conf
SCRIPT_FILENAME=$q_index
REDIRECT_STATUS=200
export CHECK_EAS_HORDE_CONF SCRIPT_FILENAME REDIRECT_STATUS
exec $HORDE_PHPCGI -d display_errors=0 -d log_errors=1 -d error_log=$q_err \\
	-d 'error_reporting=E_ALL & ~E_DEPRECATED' -d expose_php=0 \\
	-d output_buffering=0 -d max_execution_time=60
EOF
	chmod 755 "$T/bin" "$T/bin/horde-eas.cgi"
}

# _horde_wait_ready - an authenticated OPTIONS answers 200 (10 s at most)
_horde_wait_ready() {
	local i code
	local -a auth=(-u "$HORDE_USER:$HORDE_PASSWORD")
	[[ -n ${HORDE_BEARER:-} ]] && auth=(-H "Authorization: Bearer $HORDE_BEARER")
	for ((i = 0; i < 100; i++)); do
		code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
			--cacert "$PKI/ca.pem" "${auth[@]}" \
			-X OPTIONS "$HORDE_URL" 2>/dev/null)
		[[ $code == 200 ]] && return 0
		sleep 0.1
	done
	_horde_log "OPTIONS did not answer 200 (last: $code)"
	return 1
}

horde_setup() {
	local name=${1:-horde} f owner=
	local portvar=HTTPD_PORT_$name
	[[ -n ${T:-} && -d $T ]] || { _horde_log "T is not set (call t_setup)"; return 1; }
	[[ -n ${PKI:-} ]] || { _horde_log "PKI is not set (call t_pki)"; return 1; }
	if f=$(horde_missing); then
		_horde_log "missing Debian packages: $f"
		return 1
	fi
	HORDE_DIR=$T/horde-eas
	HORDE_CONF=$HORDE_DIR/config.ini
	HORDE_LOG=$HORDE_DIR/activesync.log
	mkdir -p "$HORDE_DIR/www" "$HORDE_DIR/state" || return 1
	# www-data may not enter the source tree: copy the PHP files.
	for f in "$HORDE_SRC"/*.php; do
		cp "$f" "$HORDE_DIR/www/" || return 1
	done
	chmod 755 "$T" "$HORDE_DIR" "$HORDE_DIR/www"
	chmod 644 "$HORDE_DIR/www/"*.php
	_horde_write_conf
	_horde_write_cgi
	# Apache runs PHP as www-data when we are root: it owns the state
	# directory (sqlite writes a journal next to the database) and logs.
	if [[ $(id -u) == 0 ]] && id www-data >/dev/null 2>&1; then
		owner=www-data
	fi
	: >"$HORDE_LOG"
	: >"$HORDE_DIR/php-error.log"
	if [[ -n $owner ]]; then
		chown "$owner:" "$HORDE_DIR/state" "$HORDE_LOG" "$HORDE_DIR/php-error.log" || return 1
	fi
	if ! horde_admin init >"$HORDE_DIR/init.log" 2>&1; then
		_horde_log "creating the state database failed:"
		sed 's/^/#   /' "$HORDE_DIR/init.log" >&2
		return 1
	fi
	httpd_start "$name" "${HORDE_VHOST:-vhost-horde}" || return 1
	HORDE_INSTANCE=$name
	HORDE_PORT=${!portvar}
	HORDE_URL="https://127.0.0.1:$HORDE_PORT/Microsoft-Server-ActiveSync"
	if ! _horde_wait_ready; then
		_horde_dump_logs
		return 1
	fi
	return 0
}

# Logs as TAP comments (after a failure)
_horde_dump_logs() {
	local f
	for f in "$HORDE_DIR/php-error.log" "$T/$HORDE_INSTANCE/error.log"; do
		[[ -s $f ]] || continue
		printf '# ---- %s\n' "$f" >&2
		tail -n 30 "$f" | sed 's/^/#   /' >&2
	done
}

horde_request() {
	local ver=14.1 key='' dev=CHECKEAS0001 type=CheckEAS auth="$HORDE_USER:$HORDE_PASSWORD"
	local method=POST opt cmd xml dir=$HORDE_DIR/req
	local -a args=()
	OPTIND=1
	while getopts 'v:k:d:t:a:X:' opt; do
		case $opt in
		v) ver=$OPTARG ;;
		k) key=$OPTARG ;;
		d) dev=$OPTARG ;;
		t) type=$OPTARG ;;
		a) auth=$OPTARG ;;
		X) method=$OPTARG ;;
		*) return 2 ;;
		esac
	done
	shift $((OPTIND - 1))
	cmd=${1:?usage: horde_request [options] CMD [XML]}
	xml=${2:-}
	# shellcheck disable=SC2034 # results for the test scripts
	HORDE_HTTP='' HORDE_HEADERS='' HORDE_XML=''
	mkdir -p "$dir" || return 1
	rm -f "$dir/req.wbxml" "$dir/resp.wbxml" "$dir/resp.xml" "$dir/headers"
	args=(-s -S --max-time 30 --cacert "$PKI/ca.pem" -X "$method" -D "$dir/headers"
		-o "$dir/resp.wbxml" -w '%{http_code}' -H "MS-ASProtocolVersion: $ver"
		-H 'Content-Type: application/vnd.ms-sync.wbxml' -H 'User-Agent: check-eas-test/1.0')
	[[ -n $auth ]] && args+=(-u "$auth")
	[[ -n $key ]] && args+=(-H "X-MS-PolicyKey: $key")
	if [[ -n $xml ]]; then
		printf '%s\n%s\n%s\n' '<?xml version="1.0" encoding="utf-8"?>' \
			'<!DOCTYPE ActiveSync PUBLIC "-//MICROSOFT//DTD ActiveSync//EN" "http://www.microsoft.com/">' \
			"$xml" >"$dir/req.xml"
		if ! xml2wbxml -n -a -v 1.3 -o "$dir/req.wbxml" "$dir/req.xml" >"$dir/xml2wbxml.out" 2>&1; then
			_horde_log "xml2wbxml failed: $(cat "$dir/xml2wbxml.out")"
			return 1
		fi
		args+=(--data-binary "@$dir/req.wbxml")
	fi
	# shellcheck disable=SC2034
	HORDE_HTTP=$(curl "${args[@]}" "$HORDE_URL?Cmd=$cmd&User=${auth%%:*}&DeviceId=$dev&DeviceType=$type") || {
		_horde_log "curl failed for $cmd"
		return 1
	}
	HORDE_HEADERS=$(tr -d '\r' <"$dir/headers")
	if [[ -s $dir/resp.wbxml && $(horde_header Content-Type) == application/vnd.ms-sync.wbxml ]]; then
		if ! wbxml2xml -l ACTIVESYNC -m 1 -i 0 -o "$dir/resp.xml" "$dir/resp.wbxml" >"$dir/wbxml2xml.out" 2>&1; then
			_horde_log "wbxml2xml failed: $(cat "$dir/wbxml2xml.out")"
			return 1
		fi
		HORDE_XML=$(<"$dir/resp.xml")
	fi
	return 0
}

horde_xml() {
	local tag=${1:?usage: horde_xml TAG [N]} n=${2:-1}
	grep -o "<$tag>[^<]*</$tag>" <<<"$HORDE_XML" | sed -n "${n}s|^<$tag>\\(.*\\)</$tag>\$|\\1|p"
}

horde_header() {
	local name=${1:?usage: horde_header NAME} line
	while IFS= read -r line; do
		if [[ ${line,,} == "${name,,}:"* ]]; then
			line=${line#*:}
			printf '%s\n' "${line# }"
			return 0
		fi
	done <<<"$HORDE_HEADERS"
	return 1
}

horde_stop() {
	[[ -n $HORDE_INSTANCE ]] || return 0
	httpd_stop "$HORDE_INSTANCE"
	HORDE_INSTANCE=
}
