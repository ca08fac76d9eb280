# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/syncd.sh - helpers for tests against t/eas-syncd, the ActiveSync
# test server (source after test.sh; start Apache with vhost-eas, which
# serves it at /e/<case>/Microsoft-Server-ActiveSync). The cases, steps
# and the log format are described at the top of t/eas-syncd.c.
#
#   syncd_url CASE [PORT]  https://localhost:PORT/e/CASE/Microsoft-Server-ActiveSync
#                          (PORT defaults to $HTTPD_PORT)
#   syncd_reset            forget the state: the request log and the once*
#                          marks (empties $T/syncd-state, the directory
#                          the vhost names in EAS_SYNCD_STATE; never
#                          remove it, the CGI user may not recreate it)
#   syncd_log              print the request log, one line a request:
#                          case cmd version policykey deviceid devicetype
#                          user form devinfo wipeack
#   syncd_b64query VERSION CMDCODE DEVICEID POLICYKEY DEVICETYPE USER
#                          the base64 query of [MS-ASHTTP] 2.2.1.1.1.1,
#                          URL-encoded: VERSION as a byte (141 = 14.1),
#                          CMDCODE (Sync 0, FolderSync 9, GetItemEstimate
#                          14, Settings 17, Provision 20), POLICYKEY a
#                          number or "" for none, locale en-US

syncd_url() {
	printf 'https://localhost:%s/e/%s/Microsoft-Server-ActiveSync\n' \
		"${2:-$HTTPD_PORT}" "$1"
}

syncd_reset() {
	find "$T/syncd-state" -mindepth 1 -delete 2>/dev/null
	return 0
}

syncd_log() {
	cat "$T/syncd-state/requests.log" 2>/dev/null
}

# _syncd_byte N - one byte
_syncd_byte() {
	# shellcheck disable=SC2059 # the format is the escape we build
	printf "\\x$(printf %02x "$1")"
}

# _syncd_str S - a length byte, then S
_syncd_str() {
	_syncd_byte "${#1}"
	printf '%s' "$1"
}

syncd_b64query() {
	local ver=$1 cmd=$2 dev=$3 key=$4 type=$5 user=$6
	{
		_syncd_byte "$ver"
		_syncd_byte "$cmd"
		printf '\x09\x04'
		_syncd_str "$dev"
		if [[ -n $key ]]; then
			_syncd_byte 4
			_syncd_byte $((key & 255))
			_syncd_byte $((key >> 8 & 255))
			_syncd_byte $((key >> 16 & 255))
			_syncd_byte $((key >> 24 & 255))
		else
			_syncd_byte 0
		fi
		_syncd_str "$type"
		_syncd_byte 8
		_syncd_str "$user"
	} | base64 -w0 | sed 's/+/%2B/g; s#/#%2F#g; s/=/%3D/g'
}
