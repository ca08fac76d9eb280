#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t/eas-syncd, the ActiveSync test server, behind real Apache: the normal
# flow (OPTIONS, Provision in two phases, FolderSync, Settings, Sync,
# GetItemEstimate) in the plain and the base64 query form, one case of each
# misbehaviour, the once-only state and the request log. Requests are
# t/wbxml-tool's, with their keys replaced; answers are read back with
# "wbxml-tool canon" (and once with libwbxml2's wbxml2xml, if installed).
. "$(dirname "$0")/lib/test.sh"
. "$T_LIB/syncd.sh"
t_setup
t_setup_script # it checks the test servers, not the plugins
t_pki

TOOL=$BUILDDIR/t/wbxml-tool
[[ -x $BUILDDIR/t/eas-syncd ]] || t_bail "t/eas-syncd is not built"
httpd_start main vhost-eas || t_bail "apache did not start"
SYNCD_STATE=$T/syncd-state
t_ok "the state directory exists and is writable by everyone" test -d "$SYNCD_STATE" -a -k "$SYNCD_STATE"

# ------------------------------------------------------------- requests
R=$T/req
mkdir -p "$R"
enc() { "$TOOL" encode "$1" >"$R/$2" || t_bail "wbxml-tool encode $1"; }
enc provision1 prov1
enc provision1-devinfo prov1-dev
enc provision2 prov2-wrong
enc foldersync0 foldersync
enc settings-userinfo settings
enc sync-initial sync0
enc sync-window1 sync-other
enc getitemestimate estimate-other
# the same requests with our keys (inline strings end in NUL: any length)
perl -0777 -pe 's/1307199584/1111/' "$R/prov2-wrong" >"$R/prov2"
perl -0777 -pe 's/1757403316/s1/' "$R/sync-other" >"$R/sync1"
perl -0777 -pe 's/1757403316/s1/' "$R/estimate-other" >"$R/estimate"
# a wipe acknowledgement: Provision/RemoteWipe/Status 1 (page 14)
printf '\x03\x01\x6a\x00\x00\x0e\x45\x4c\x4b\x03\x31\x00\x01\x01\x01' >"$R/wipeack"
printf '\x03\x01\x6a\x00\x45\x46' >"$R/garbage"

# fetch URL CURL-ARGS... - sets CODE, CURLRC, HDRS (CR-less), SIZE, CANON
fetch() {
	local url=$1
	shift
	CODE=$(curl -sS --max-time 20 --cacert "$PKI/ca.pem" -D "$T/h" -o "$T/b" \
		-w '%{http_code}' "$@" "$url" 2>"$T/curl.err")
	CURLRC=$?
	HDRS=$(tr -d '\r' <"$T/h")
	SIZE=$(stat -c %s "$T/b" 2>/dev/null || echo 0)
	CANON=$("$TOOL" canon "$T/b" 2>&1)
}
# post CASE CMD REQUEST [CURL-ARGS...] - the plain query form; KEY (policy
# key, default none), VER (default 14.1) and DEV (DeviceId) from the caller
post() {
	local case=$1 cmd=$2 body=$3
	local -a h=(-H "Content-Type: application/vnd.ms-sync.wbxml")
	shift 3
	[[ -n ${VER-14.1} ]] && h+=(-H "MS-ASProtocolVersion: ${VER-14.1}")
	[[ -n ${KEY:-} ]] && h+=(-H "X-MS-PolicyKey: $KEY")
	fetch "$(syncd_url "$case")?Cmd=$cmd&User=user%40example.com&DeviceId=${DEV:-CheckEas1}&DeviceType=CheckEAS" \
		-X POST "${h[@]}" --data-binary "@$R/$body" "$@"
}
# post64 CASE QUERY REQUEST [CURL-ARGS...] - the base64 query form
post64() {
	local case=$1 q=$2 body=$3
	shift 3
	fetch "$(syncd_url "$case")?$q" -X POST \
		-H "Content-Type: application/vnd.ms-sync.wbxml" --data-binary "@$R/$body" "$@"
}
header() { sed -n "s/^$1: //Ip" <<<"$HDRS" | head -n 1; }
canon_has() { grep -qxF -- "$1" <<<"$CANON"; }
canon_lacks() { ! grep -q -- "$1" <<<"$CANON"; }
# expect_answer DESC HTTP-CODE LINE... - the status and these canon lines
expect_answer() {
	local desc=$1 code=$2 line missing=()
	shift 2
	for line in "$@"; do
		canon_has "$line" || missing+=("missing: $line")
	done
	if [[ $CODE == "$code" && ${#missing[@]} == 0 ]]; then
		t_pass "$desc"
	else
		t_fail "$desc" "HTTP $CODE (want $code), curl rc $CURLRC" "${missing[@]}"
		printf '%s\n' "$HDRS" "$CANON" | head -n 40 | sed 's/^/#   /'
	fi
}

# ------------------------------------------------------- OPTIONS, plain flow
fetch "$(syncd_url ok)" -X OPTIONS
t_is "$CODE $(header MS-Server-ActiveSync)" "200 15.1" "OPTIONS: 200, MS-Server-ActiveSync 15.1"
t_is "$(header MS-ASProtocolVersions)" "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1" "OPTIONS: nine versions"
t_like "$(header MS-ASProtocolCommands)" '^Sync,.*FolderSync,.*GetItemEstimate,.*Settings,.*Provision,' "OPTIONS: the commands"

syncd_reset
post ok Provision prov1-dev
t_is "$(header Content-Type)" application/vnd.ms-sync.wbxml "Provision: a WBXML answer"
expect_answer "Provision phase 1: temporary key 1111, a policy, DeviceInformation echoed" 200 \
	"Provision:Provision" "  Settings:DeviceInformation" "    Settings:Status=1" \
	"  Provision:Status=1" "      Provision:PolicyType=MS-EAS-Provisioning-WBXML" \
	"      Provision:PolicyKey=1111" "          Provision:DevicePasswordEnabled=0"
KEY=1111 post ok Provision prov2
expect_answer "Provision phase 2: final key 2222" 200 "  Provision:Status=1" \
	"      Provision:Status=1" "      Provision:PolicyKey=2222"
KEY=1111 post ok Provision prov2-wrong
expect_answer "acknowledging a key never given: Policy Status 5, no key" 200 "      Provision:Status=5"
t_ok "... and no key" canon_lacks PolicyKey
post ok FolderSync foldersync
expect_answer "FolderSync without a policy key at 14.1: Status 142" 200 "  FolderHierarchy:Status=142"
KEY=1111 post ok FolderSync foldersync
expect_answer "FolderSync with the temporary key: Status 142" 200 "  FolderHierarchy:Status=142"
VER=12.1 post ok FolderSync foldersync
t_is "$CODE" 449 "FolderSync without a policy key at 12.1: HTTP 449"
KEY=2222 post ok FolderSync foldersync
expect_answer "FolderSync SyncKey 0: Status 1, SyncKey 1, Inbox is 5" 200 \
	"  FolderHierarchy:Status=1" "  FolderHierarchy:SyncKey=1" "    FolderHierarchy:Count=6" \
	"      FolderHierarchy:ServerId=5" "      FolderHierarchy:DisplayName=Inbox" \
	"      FolderHierarchy:Type=2" "      FolderHierarchy:DisplayName=Calendar"
t_is "$(grep -c '^    FolderHierarchy:Add$' <<<"$CANON")" 6 "FolderSync: Count equals the Adds"
t_is "$(header X-MS-RP)" "2.0,2.1,2.5,12.0,12.1,14.0,14.1,16.0,16.1" "FolderSync SyncKey 0: X-MS-RP, as Exchange sends it"
KEY=2222 post ok Settings settings
expect_answer "Settings at 14.1: PrimarySmtpAddress in Accounts/Account" 200 \
	"  Settings:Status=1" "    Settings:Status=1" \
	"            Settings:PrimarySmtpAddress=user@example.com"
KEY=2222 VER=14.0 post ok Settings settings
expect_answer "Settings at 14.0: Get/EmailAddresses/SmtpAddress" 200 \
	"        Settings:SmtpAddress=user@example.com"
t_ok "... without Accounts" canon_lacks Accounts
KEY=2222 post ok Sync sync0
expect_answer "Sync SyncKey 0: Status 1, SyncKey s1" 200 \
	"      AirSync:SyncKey=s1" "      AirSync:CollectionId=5" "      AirSync:Status=1"
KEY=2222 post ok Sync sync1
expect_answer "Sync s1, GetChanges, WindowSize 1: one Add, MoreAvailable, s2" 200 \
	"      AirSync:SyncKey=s2" "      AirSync:MoreAvailable" "          AirSync:ServerId=5:1" \
	"            Email:Subject=check-eas test message 1"
t_is "$(grep -c '^        AirSync:Add$' <<<"$CANON")" 1 "Sync: exactly one item for WindowSize 1"
if command -v wbxml2xml >/dev/null; then
	cp "$T/b" "$T/sync.wbxml"
	run_cmd wbxml2xml -m 0 -l ACTIVESYNC -o "$T/sync.xml" "$T/sync.wbxml"
	t_like "$(cat "$T/sync.xml" 2>/dev/null)" 'check-eas test message 1' "libwbxml2 reads the Sync answer too"
else
	t_skip "libwbxml2 reads the Sync answer too" "libwbxml2-utils is not installed"
fi
# sync-initial with key s2: no GetChanges, which then defaults to 1
perl -0777 -pe 's/\x{4B}\x{03}0\x{00}/\x{4B}\x{03}s2\x{00}/' "$R/sync0" >"$R/sync2"
KEY=2222 post ok Sync sync2
expect_answer "Sync s2 without GetChanges: changes anyway, items 2 and 3, key s4" 200 \
	"      AirSync:SyncKey=s4" "          AirSync:ServerId=5:2" "          AirSync:ServerId=5:3"
t_ok "... and no MoreAvailable after the last item" canon_lacks MoreAvailable
KEY=2222 post ok Sync sync-other
expect_answer "Sync with a key we never gave: collection Status 3" 200 "      AirSync:Status=3"
KEY=2222 post ok GetItemEstimate estimate
expect_answer "GetItemEstimate: Status 1, collection 5, Estimate 3" 200 \
	"    GetItemEstimate:Status=1" "      GetItemEstimate:CollectionId=5" \
	"      GetItemEstimate:Estimate=3"

mapfile -t log < <(syncd_log)
t_is "${#log[@]}" 14 "the log has a line per POST"
t_is "${log[0]}" "ok Provision 14.1 - CheckEas1 CheckEAS user@example.com plain yes no none" \
	"log: Provision phase 1 with DeviceInformation, no key"
t_is "${log[1]}" "ok Provision 14.1 1111 CheckEas1 CheckEAS user@example.com plain no no none" \
	"log: phase 2 with the temporary key"
t_is "${log[5]}" "ok FolderSync 12.1 - CheckEas1 CheckEAS user@example.com plain no no none" \
	"log: the protocol version"
t_is "${log[6]}" "ok FolderSync 14.1 2222 CheckEas1 CheckEAS user@example.com plain no no none" \
	"log: the final key"

# ------------------------------------------------------------ request checks
VER=14.0 post ok Provision prov1-dev
t_is "$CODE $(header X-EAS-Syncd-Reason)" \
	"400 settings:DeviceInformation in Provision at protocol 14.0 (allowed from 14.1)" \
	"DeviceInformation in Provision at 14.0: HTTP 400, the reason named"
VER=12.1 post ok Provision prov1
expect_answer "Provision at 12.1 without DeviceInformation: key 1111" 200 "      Provision:PolicyKey=1111"
post ok Provision prov1
expect_answer "Provision at 14.1 without DeviceInformation: still answered" 200 "      Provision:PolicyKey=1111"
t_like "$(syncd_log | tail -n 1)" ' plain no no none$' "... and logged as devinfo no"
post ok Provision garbage
t_is "$CODE" 400 "a body that does not decode: HTTP 400"
t_like "$(header X-EAS-Syncd-Reason)" '^the body does not decode' "... the reason named"
fetch "$(syncd_url ok)?Cmd=Provision&User=u&DeviceId=CheckEas1&DeviceType=CheckEAS" -X POST \
	-H "Content-Type: text/xml" -H "MS-ASProtocolVersion: 14.1" --data-binary "@$R/prov1"
t_is "$CODE" 400 "a WBXML body sent as text/xml: HTTP 400"
KEY=2222 post ok Settings foldersync
t_is "$CODE $(header X-EAS-Syncd-Reason)" "400 the body is not a Settings request" "a FolderSync body for Cmd=Settings: HTTP 400"
DEV=Check-Eas post ok Provision prov1
t_is "$CODE" 400 "a DeviceId with a hyphen: HTTP 400"
VER='' post ok Provision prov1
t_is "$CODE $(header X-EAS-Syncd-Reason)" "400 no MS-ASProtocolVersion" "no MS-ASProtocolVersion: HTTP 400"
VER=13.0 post ok Provision prov1
t_is "$CODE" 400 "an unknown protocol version: HTTP 400"
fetch "$(syncd_url no-such-case)" -X OPTIONS
t_is "$CODE" 500 "an unknown case: HTTP 500"
fetch "$(syncd_url http-999-sync)" -X OPTIONS
t_is "$CODE" 500 "an HTTP code it does not offer: HTTP 500"

# ------------------------------------------------------- the base64 query form
syncd_reset
post64 ok "$(syncd_b64query 141 20 CheckEas2 "" CheckEAS user@example.com)" prov1-dev
expect_answer "base64 form: Provision phase 1" 200 "      Provision:PolicyKey=1111" "    Settings:Status=1"
post64 ok "$(syncd_b64query 141 20 CheckEas2 1111 CheckEAS user@example.com)" prov2
expect_answer "base64 form: Provision phase 2" 200 "      Provision:PolicyKey=2222"
post64 ok "$(syncd_b64query 141 9 CheckEas2 "" CheckEAS user@example.com)" foldersync
expect_answer "base64 form: FolderSync without a key: Status 142" 200 "  FolderHierarchy:Status=142"
post64 ok "$(syncd_b64query 141 9 CheckEas2 2222 CheckEAS user@example.com)" foldersync
expect_answer "base64 form: FolderSync with key 2222" 200 "  FolderHierarchy:Status=1" "    FolderHierarchy:Count=6"
q=$(syncd_b64query 141 17 CheckEas2 2222 CheckEAS user@example.com)
post64 ok "${q//%3D/=}" settings
expect_answer "base64 form with raw '=' padding: Settings" 200 \
	"            Settings:PrimarySmtpAddress=user@example.com"
post64 ok "$(syncd_b64query 121 9 CheckEas2 "" CheckEAS user@example.com)" foldersync
t_is "$CODE" 449 "base64 form at 12.1 without a key: HTTP 449"
post64 ok "$(syncd_b64query 141 0 "$(printf 'bin\x01')" 2222 CheckEAS user@example.com)" sync0
expect_answer "base64 form: Sync with a binary DeviceId" 200 "      AirSync:SyncKey=s1"
post64 ok "AQID" foldersync
t_is "$CODE" 400 "a base64 query that is too short: HTTP 400"
mapfile -t log < <(syncd_log)
t_is "${log[0]}" "ok Provision 14.1 - CheckEas2 CheckEAS user@example.com base64 yes no none" \
	"log: base64 form, version from the query"
t_is "${log[3]}" "ok FolderSync 14.1 2222 CheckEas2 CheckEAS user@example.com base64 no no none" \
	"log: base64 form, the policy key from the query"
t_is "${log[6]}" "ok Sync 14.1 2222 62696e01 CheckEAS user@example.com base64 no no none" \
	"log: a binary DeviceId in hex"

# ------------------------------------------------------------ misbehaviour
# http-CODE-STEP
KEY=2222 post http-503-foldersync FolderSync foldersync
t_is "$CODE $(header Retry-After) $(header X-MS-ASThrottle)" "503 30 CommandFrequency" \
	"http-503-foldersync: 503, Retry-After 30, X-MS-ASThrottle"
post http-503-foldersync Provision prov1
t_is "$CODE" 200 "http-503-foldersync: other steps answer normally"
post http-451-provision1 Provision prov1
t_is "$CODE $(header X-MS-Location)" "451 https://mail2.example.com/Microsoft-Server-ActiveSync" \
	"http-451-provision1: 451 with X-MS-Location"
KEY=2222 post http-456-settings Settings settings
t_like "$(head -n 1 <<<"$HDRS")" '^HTTP/[0-9.]+ 456 ' "http-456-settings: the status line says 456"
KEY=2222 post http-457-sync Sync sync0
t_is "$CODE" 457 "http-457-sync: 457"
t_like "$(header X-MS-Credential-Service-Url)" '^https://' "... with X-MS-Credential-Service-Url"
KEY=1111 post http-449-provision2 Provision prov2
t_is "$CODE" 449 "http-449-provision2: 449 at phase 2"
fetch "$(syncd_url http-401-options)" -X OPTIONS
t_is "$CODE $(header WWW-Authenticate)" '401 Basic realm="mail.example.com"' "http-401-options: 401 Basic"

# status-N-STEP
KEY=2222 post status-129-foldersync FolderSync foldersync
expect_answer "status-129-foldersync: FolderSync Status 129" 200 "  FolderHierarchy:Status=129"
KEY=2222 post status-110-sync Sync sync0
expect_answer "status-110-sync: Sync Status 110 at the top" 200 "  AirSync:Status=110"
KEY=2222 post status-3-sync Sync sync0
expect_answer "status-3-sync: Status 3 in the collection" 200 "      AirSync:Status=3"
KEY=2222 post status-3-sync1 Sync sync0
expect_answer "status-3-sync1: SyncKey 0 is sync0, answered normally" 200 "      AirSync:SyncKey=s1"
post status-177-provision1 Provision prov1
expect_answer "status-177-provision1: Provision Status 177" 200 "  Provision:Status=177"
KEY=2222 post status-2-estimate GetItemEstimate estimate
expect_answer "status-2-estimate: Response Status 2" 200 "    GetItemEstimate:Status=2"
KEY=2222 post wipe140-settings Settings settings
expect_answer "wipe140-settings: Settings Status 140" 200 "  Settings:Status=140"

# once449 / once142 / once451
syncd_reset
KEY=2222 post once449-foldersync FolderSync foldersync
t_is "$CODE" 449 "once449-foldersync: 449 the first time"
KEY=2222 DEV=OtherDev post once449-foldersync FolderSync foldersync
t_is "$CODE" 449 "once449-foldersync: 449 the first time for another DeviceId too"
KEY=2222 post once449-foldersync FolderSync foldersync
expect_answer "once449-foldersync: then normal" 200 "  FolderHierarchy:Status=1"
KEY=2222 post once449-foldersync FolderSync foldersync
expect_answer "once449-foldersync: and normal after that" 200 "  FolderHierarchy:Status=1"
KEY=2222 post once142-sync Sync sync0
expect_answer "once142-sync: Status 142 the first time" 200 "  AirSync:Status=142"
KEY=2222 post once142-sync Sync sync0
expect_answer "once142-sync: then normal" 200 "      AirSync:SyncKey=s1"
post once451-provision Provision prov1
t_is "$CODE $(header X-MS-Location)" "451 https://localhost:$HTTPD_PORT/e/ok/Microsoft-Server-ActiveSync" \
	"once451-provision: 451 to this host's /e/ok/"
loc=$(header X-MS-Location)
fetch "$loc?Cmd=Provision&User=u&DeviceId=CheckEas1&DeviceType=CheckEAS" -X POST \
	-H "Content-Type: application/vnd.ms-sync.wbxml" -H "MS-ASProtocolVersion: 14.1" \
	--data-binary "@$R/prov1"
expect_answer "... and that URL works" 200 "      Provision:PolicyKey=1111"
post once451-provision Provision prov1
expect_answer "once451-provision: normal the second time" 200 "      Provision:PolicyKey=1111"
t_ok "the marks are files in the state directory" test -e "$SYNCD_STATE/once.once449-foldersync.CheckEas1"
syncd_reset
KEY=2222 post once449-foldersync FolderSync foldersync
t_is "$CODE" 449 "after syncd_reset: 449 again"

# wipe
syncd_reset
post wipe Provision prov1
expect_answer "wipe: Provision answers Status 1 and RemoteWipe" 200 "  Provision:Status=1" "  Provision:RemoteWipe"
KEY=2222 post wipe FolderSync foldersync
expect_answer "wipe: other commands want provisioning" 200 "  FolderHierarchy:Status=142"
post wipe Provision wipeack
expect_answer "wipe: the acknowledgement is answered" 200 "  Provision:Status=1"
t_like "$(syncd_log | tail -n 1)" '^wipe Provision 14\.1 .* no yes none$' "wipe: the acknowledgement is logged"
t_is "$(syncd_log | grep -c ' yes none$')" 1 "wipe: nothing else counts as an acknowledgement"

# nopolicy
post nopolicy Provision prov1
expect_answer "nopolicy: Policy Status 2" 200 "  Provision:Status=1" "      Provision:Status=2"
t_ok "nopolicy: ... without a PolicyKey" canon_lacks PolicyKey
post nopolicy FolderSync foldersync
expect_answer "nopolicy: FolderSync needs no key" 200 "  FolderHierarchy:Status=1"

# mailbox-ADDRESS
KEY=2222 post mailbox-boss@example.com Settings settings
expect_answer "mailbox-boss@example.com: that address" 200 \
	"            Settings:PrimarySmtpAddress=boss@example.com"
KEY=2222 post mailbox-boss%40example.com Settings settings
expect_answer "mailbox-boss%40example.com: the case is URL-decoded" 200 \
	"            Settings:PrimarySmtpAddress=boss@example.com"

# versions-LIST
fetch "$(syncd_url versions-12.1_14.0)" -X OPTIONS
t_is "$(header MS-ASProtocolVersions)" "12.1,14.0" "versions-12.1_14.0: OPTIONS offers 12.1,14.0"
post versions-12.1_14.0 Provision prov1
t_is "$CODE" 400 "versions-12.1_14.0: a 14.1 request is refused"
VER=14.0 post versions-12.1_14.0 Provision prov1
expect_answer "versions-12.1_14.0: a 14.0 request is answered" 200 "      Provision:PolicyKey=1111"

# the body cases
KEY=2222 post malformed-foldersync FolderSync foldersync
t_is "$CODE $(header Content-Type)" "200 application/vnd.ms-sync.wbxml" "malformed-foldersync: 200 WBXML"
t_like "$CANON" '^wbxml-tool: ' "malformed-foldersync: ... that does not decode"
t_like "$(head -c 4 "$T/b" | od -An -tx1)" '03 01 6a 00' "malformed-foldersync: ... after a valid header"
KEY=2222 post truncated-foldersync FolderSync foldersync
t_is "$CODE $CURLRC" "200 0" "truncated-foldersync: 200, complete as HTTP"
t_like "$CANON" '^wbxml-tool: truncated WBXML' "truncated-foldersync: ... but the WBXML ends early"
start=${EPOCHREALTIME/[.,]/}
KEY=2222 post cut-settings Settings settings
el=$(((${EPOCHREALTIME/[.,]/} - start) / 1000))
t_is "$CODE $CURLRC" "200 18" "cut-settings: the connection closes inside the body (curl: partial file)"
t_ok "cut-settings: ... at once (${el} ms)" test "$el" -lt 3000
t_ok "cut-settings: ... after half of Content-Length" test "$SIZE" -gt 0 -a "$((SIZE * 2))" -le "$(header Content-Length)"
post cut-settings Provision prov1
expect_answer "cut-settings: other steps answer in full (NPH)" 200 "      Provision:PolicyKey=1111"
t_is "$CURLRC $(header Connection)" "0 close" "cut-settings: ... with Connection: close"
KEY=2222 post oversized-sync Sync sync1
t_is "$CODE" 200 "oversized-sync: 200"
t_ok "oversized-sync: ... more than 5 MiB" test "$SIZE" -gt 5242880
t_like "$CANON" 'exceeds the limit' "oversized-sync: ... too much for the decoder's limit"
KEY=2222 post html-foldersync FolderSync foldersync
t_like "$CODE $(header Content-Type)" '^200 text/html' "html-foldersync: 200 text/html"
t_like "$(cat "$T/b")" 'logonForm' "html-foldersync: ... a login page"
KEY=2222 post wrongtype-settings Settings settings
t_is "$CODE $(header Content-Type)" "200 text/plain" "wrongtype-settings: 200 text/plain"
t_like "$CANON" 'PrimarySmtpAddress=user@example.com' "wrongtype-settings: ... with a valid WBXML body"
KEY=2222 post empty-sync Sync sync0
t_is "$CODE $SIZE" "200 0" "empty-sync: 200, empty body"
KEY=2222 post empty-sync Settings settings
t_like "$CANON" 'PrimarySmtpAddress' "empty-sync: Settings is not touched"

# hang
start=${EPOCHREALTIME/[.,]/}
KEY=2222 post hang1-foldersync FolderSync foldersync
el=$(((${EPOCHREALTIME/[.,]/} - start) / 1000))
expect_answer "hang1-foldersync: answers after the wait" 200 "  FolderHierarchy:Status=1"
t_ok "hang1-foldersync: ... of at least 1 s (${el} ms)" test "$el" -ge 1000
start=${EPOCHREALTIME/[.,]/}
fetch "$(syncd_url hang-options)?n=1" -X OPTIONS
el=$(((${EPOCHREALTIME/[.,]/} - start) / 1000))
t_ok "hang-options?n=1: OPTIONS after 1 s (${el} ms)" test "$CODE" = 200 -a "$el" -ge 1000
start=${EPOCHREALTIME/[.,]/}
fetch "$(syncd_url hang-options)" -X OPTIONS --max-time 1
el=$(((${EPOCHREALTIME/[.,]/} - start) / 1000))
t_ok "hang-options: a client giving up after 1 s gets nothing (curl rc $CURLRC)" test "$CURLRC" = 28

t_done
