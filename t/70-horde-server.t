#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Horde_ActiveSync test server (t/lib/horde-eas.sh) speaks EAS as a
# device sees it: curl with WBXML bodies made by xml2wbxml, answers read
# with wbxml2xml. OPTIONS, Provision (both phases), FolderSync, Settings
# UserInformation, Sync, GetItemEstimate; what Horde does without or with a
# wrong policy key at each protocol version; device partnerships counted in
# Horde's state; remote wipe, blocking and "no policy".
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
t_setup
t_setup_script # it checks the test servers, not the plugins
t_pki
if missing_pkgs=$(horde_missing); then
	t_bail "Debian packages missing for the Horde test server: $missing_pkgs (see contrib/setup.sh)"
fi
command -v xml2wbxml >/dev/null || t_bail "xml2wbxml missing (Debian: libwbxml2-utils)"
horde_setup || t_bail "the Horde ActiveSync server did not start"
t_pass "Horde ActiveSync server up at $HORDE_URL"

USER=$HORDE_USER
FS0='<FolderSync xmlns="FolderHierarchy:"><SyncKey>0</SyncKey></FolderSync>'
UINFO='<Settings xmlns="Settings:"><UserInformation><Get/></UserInformation></Settings>'
P1_DI='<Provision xmlns="Provision:" xmlns:settings="Settings:">
 <settings:DeviceInformation><settings:Set>
  <settings:Model>check-eas</settings:Model>
  <settings:FriendlyName>check-eas test device</settings:FriendlyName>
  <settings:OS>Linux</settings:OS>
  <settings:UserAgent>check-eas-test/1.0</settings:UserAgent>
 </settings:Set></settings:DeviceInformation>
 <Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies>
</Provision>'
P1='<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType></Policy></Policies></Provision>'
p2() { # acknowledge the policy with temporary key $1
	printf '<Provision xmlns="Provision:"><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><PolicyKey>%s</PolicyKey><Status>1</Status></Policy></Policies></Provision>' "$1"
}
sync0() { printf '<Sync xmlns="AirSync:"><Collections><Collection><SyncKey>0</SyncKey><CollectionId>%s</CollectionId></Collection></Collections></Sync>' "$1"; }
sync_get() { # SYNCKEY COLLECTION WINDOWSIZE
	printf '<Sync xmlns="AirSync:" xmlns:airsyncbase="AirSyncBase:"><Collections><Collection><SyncKey>%s</SyncKey><CollectionId>%s</CollectionId><DeletesAsMoves>1</DeletesAsMoves><GetChanges>1</GetChanges><WindowSize>%s</WindowSize><Options><FilterType>0</FilterType><airsyncbase:BodyPreference><airsyncbase:Type>1</airsyncbase:Type><airsyncbase:TruncationSize>200</airsyncbase:TruncationSize></airsyncbase:BodyPreference></Options></Collection></Collections></Sync>' "$1" "$2" "$3"
}
estimate() { # SYNCKEY COLLECTION (EAS 14.x form)
	printf '<GetItemEstimate xmlns="GetItemEstimate:" xmlns:airsync="AirSync:"><Collections><Collection><airsync:SyncKey>%s</airsync:SyncKey><CollectionId>%s</CollectionId><airsync:Options><airsync:FilterType>0</airsync:FilterType></airsync:Options></Collection></Collections></GetItemEstimate>' "$1" "$2"
}
# the answer on one line, for matching across elements
flat() { tr -d '\n' <<<"$HORDE_XML"; }
# diagnostics for a failed request check
diag() { printf '#   HTTP %s\n' "$HORDE_HTTP"; flat | cut -c1-600 | sed 's/^/#   xml: /'; echo; }
# req_ok DESC HTTP-ERE XML-ERE [horde_request args...] - one request, one test
req_ok() {
	local desc=$1 code=$2 re=$3
	shift 3
	if ! horde_request "$@"; then
		t_fail "$desc" "request failed"
		return 1
	fi
	if [[ $HORDE_HTTP =~ ^($code)$ ]] && _t_match "$(flat)" "$re"; then
		t_pass "$desc"
		return 0
	fi
	t_fail "$desc" "expected HTTP $code and XML =~ $re"
	diag
	return 1
}
# provision DEVID [VERSION] [PHASE1-XML] - both phases; sets KEY (final)
# and KEYS[DEVID]
declare -A KEYS=()
provision() {
	local dev=$1 ver=${2:-14.1} body=${3:-$P1} tmp
	KEY=
	horde_request -d "$dev" -v "$ver" Provision "$body" || return 1
	tmp=$(horde_xml PolicyKey)
	[[ -n $tmp ]] || return 1
	horde_request -d "$dev" -v "$ver" -k "$tmp" Provision "$(p2 "$tmp")" || return 1
	KEY=$(horde_xml PolicyKey)
	KEYS[$dev]=$KEY
	[[ $(horde_xml Status) == 1 && -n $KEY && $KEY != "$tmp" ]]
}
# the folder id of the Inbox in the last FolderSync answer
inbox_id() {
	flat | grep -o '<ServerId>[^<]*</ServerId><ParentId>0</ParentId><DisplayName>Inbox</DisplayName><Type>2</Type>' |
		sed 's|^<ServerId>\([^<]*\)</ServerId>.*|\1|'
}

# --- OPTIONS and authentication
run_cmd curl -s -S -i --cacert "$PKI/ca.pem" -u "$USER:$HORDE_PASSWORD" -X OPTIONS "$HORDE_URL"
OUT=$(tr -d '\r' <<<"$OUT")
expect_line1 '^HTTP/1\.1 200 ' "OPTIONS with credentials: 200"
expect_out '^MS-ASProtocolVersions: 2\.5,12\.0,12\.1,14\.0,14\.1,16\.0$' "... MS-ASProtocolVersions: 2.5 to 16.0 (no 16.1)"
for c in Provision FolderSync Settings Sync GetItemEstimate Ping ItemOperations; do
	expect_out "^MS-ASProtocolCommands: (.*,)?$c(,|\$)" "... MS-ASProtocolCommands lists $c"
done
expect_out '^MS-Server-ActiveSync: 16\.0$' "... MS-Server-ActiveSync: 16.0"
run_cmd curl -s -S -o /dev/null -w '%{http_code}' --cacert "$PKI/ca.pem" -X OPTIONS "$HORDE_URL"
t_is "$OUT" 401 "OPTIONS without credentials: 401 (Horde authenticates OPTIONS too)"
req_ok "wrong password: 401" 401 '^$' -a "$USER:wrong password" Provision "$P1"
t_like "$(horde_header WWW-Authenticate)" '^Basic realm="Horde ActiveSync"$' "... with WWW-Authenticate: Basic"
t_is "$(horde_device_count "$USER")" 0 "a refused login makes no device partnership"

# --- a policy is required before FolderSync
req_ok "FolderSync without X-MS-PolicyKey (14.1): 449 and status 142" 449 \
	'<FolderSync xmlns="FolderHierarchy:"><Status xmlns="AirSync:">142</Status></FolderSync>' FolderSync "$FS0"
t_like "$(horde_header MS-ASProtocolVersions)" '^2\.5,.*16\.0$' "... the 449 carries MS-ASProtocolVersions"
req_ok "FolderSync without X-MS-PolicyKey (12.1): 449, empty body" 449 '^$' -v 12.1 FolderSync "$FS0"
t_is "$(horde_device_count "$USER")" 1 "the device is recorded at its first authenticated request"

# --- Provision, both phases
req_ok "Provision phase 1 (14.1, with DeviceInformation): status 1, policy status 1" 200 \
	'<Provision xmlns="Provision:"><Status>1</Status><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>1</Status><PolicyKey>[0-9]+</PolicyKey><Data><EASProvisionDoc>' \
	Provision "$P1_DI"
t_like "$(flat)" '<DevicePasswordEnabled>1</DevicePasswordEnabled>.*<MinDevicePasswordLength>6</MinDevicePasswordLength>' \
	"... the policy document has the configured PIN policy"
TMPKEY=$(horde_xml PolicyKey)
req_ok "Provision phase 2 (acknowledge): status 1 and a final PolicyKey" 200 \
	'<Provision xmlns="Provision:"><Status>1</Status><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>1</Status><PolicyKey>[0-9]+</PolicyKey></Policy></Policies></Provision>' \
	-k "$TMPKEY" Provision "$(p2 "$TMPKEY")"
KEY=$(horde_xml PolicyKey)
if [[ -n $KEY && $KEY != "$TMPKEY" ]]; then t_pass "... the final key ($KEY) differs from the temporary one ($TMPKEY)"; else
	t_fail "... the final key differs from the temporary one" "temporary $TMPKEY, final $KEY"; fi
t_like "$(horde_devices "$USER")" "^CHECKEAS0001	$USER	CheckEAS	$KEY	1\$" \
	"Horde's state: the partnership holds the final key, remote wipe status 1 (ok)"

# --- FolderSync
req_ok "FolderSync SyncKey 0 with the key: status 1, 6 folders" 200 \
	'<FolderSync xmlns="FolderHierarchy:"><Status>1</Status><SyncKey>[^<]+</SyncKey><Changes><Count>6</Count>' \
	-k "$KEY" FolderSync "$FS0"
for f in 'Inbox:2' 'Drafts:3' 'Deleted Items:4' 'Sent Items:5' 'Calendar:8' 'Contacts:9'; do
	t_like "$(flat)" "<DisplayName>${f%:*}</DisplayName><Type>${f##*:}</Type>" "... ${f%:*} with type ${f##*:}"
done
INBOX=$(inbox_id)
t_like "$INBOX" '^F[0-9a-f]{8}$' "... the Inbox has a server id ($INBOX)"
req_ok "FolderSync with a wrong PolicyKey: 449 and status 142 (not 144)" 449 \
	'<Status xmlns="AirSync:">142</Status>' -k 12345 FolderSync "$FS0"

# --- Settings UserInformation
req_ok "Settings UserInformation Get (14.1): primary SMTP address" 200 \
	'<Settings xmlns="Settings:"><Status>1</Status><UserInformation><Status>1</Status><Get><Accounts><Account>.*<EmailAddresses><PrimarySmtpAddress>user@example\.com</PrimarySmtpAddress>' \
	-k "$KEY" Settings "$UINFO"
req_ok "Settings UserInformation Get (14.0): SmtpAddress only" 200 \
	'<UserInformation><Status>1</Status><Get><EmailAddresses><SmtpAddress>user@example\.com</SmtpAddress></EmailAddresses></Get>' \
	-v 14.0 -k "$KEY" Settings "$UINFO"
req_ok "Settings without X-MS-PolicyKey: answered (Horde does not ask for the key here)" 200 \
	'<PrimarySmtpAddress>user@example\.com</PrimarySmtpAddress>' Settings "$UINFO"

# --- Sync and GetItemEstimate on the Inbox
req_ok "Sync SyncKey 0 on the Inbox: status 1, a new SyncKey, no items" 200 \
	"<Sync xmlns=\"AirSync:\"><Status>1</Status><Collections><Collection><SyncKey>[^<]+</SyncKey><CollectionId>$INBOX</CollectionId><Status>1</Status></Collection></Collections></Sync>" \
	-k "$KEY" Sync "$(sync0 "$INBOX")"
SK=$(horde_xml SyncKey)
req_ok "GetItemEstimate: status 1, estimate 3" 200 \
	"<GetItemEstimate xmlns=\"GetItemEstimate:\"><Response><Status>1</Status><Collection><CollectionId>$INBOX</CollectionId><Estimate>3</Estimate>" \
	-k "$KEY" GetItemEstimate "$(estimate "$SK" "$INBOX")"
req_ok "Sync with WindowSize 1: one Add, MoreAvailable" 200 \
	'<Status>1</Status><MoreAvailable/><Commands><Add><ServerId>1</ServerId><ApplicationData>.*<Subject xmlns="Email:">Welcome to check-eas</Subject>' \
	-k "$KEY" Sync "$(sync_get "$SK" "$INBOX" 1)"
t_is "$(flat | grep -o '<Add>' | wc -l)" 1 "... exactly one item"
t_like "$(flat)" '<Body xmlns="AirSyncBase:"><Type>1</Type><EstimatedDataSize>[0-9]+</EstimatedDataSize><Truncated>0</Truncated><Data>Message 1' \
	"... with a plain-text AirSyncBase body"
SK2=$(horde_xml SyncKey)
t_like "$SK2" '\}2$' "... and the SyncKey counter advanced ($SK2)"
req_ok "GetItemEstimate after it: estimate 2" 200 '<Estimate>2</Estimate>' \
	-k "$KEY" GetItemEstimate "$(estimate "$SK2" "$INBOX")"
req_ok "Sync without X-MS-PolicyKey: 449 and status 142" 449 '<Sync xmlns="AirSync:"><Status>142</Status></Sync>' \
	Sync "$(sync_get "$SK2" "$INBOX" 1)"
req_ok "GetItemEstimate without X-MS-PolicyKey: 449 and status 142 (AirSync code page)" 449 \
	'<GetItemEstimate xmlns="GetItemEstimate:"><Status xmlns="AirSync:">142</Status></GetItemEstimate>' \
	GetItemEstimate "$(estimate "$SK2" "$INBOX")"

# --- device partnerships
t_is "$(horde_device_count "$USER")" 1 "one device partnership after the sequence"
if provision CHECKEAS0001 && horde_request -k "$KEY" FolderSync "$FS0" && [[ $(horde_xml Status) == 1 ]]; then
	t_pass "the sequence again with the same DeviceId"
else
	t_fail "the sequence again with the same DeviceId"
	diag
fi
t_is "$(horde_device_count "$USER")" 1 "... still one partnership"
if provision CHECKEAS0002 14.1 "$P1_DI" && horde_request -d CHECKEAS0002 -k "$KEY" FolderSync "$FS0" &&
	[[ $(horde_xml Status) == 1 ]]; then
	t_pass "the sequence with a second DeviceId"
else
	t_fail "the sequence with a second DeviceId"
	diag
fi
t_is "$(horde_device_count "$USER")" 2 "... two partnerships"
t_is "$(horde_device_count other@example.com)" 0 "... and none for another user"

# --- protocol versions: DeviceInformation is never required; 16.1 is not
# advertised but accepted (Horde treats it as >= 16.0)
req_ok "Provision phase 1 (14.1) without DeviceInformation: accepted" 200 \
	'<Provision xmlns="Provision:"><Status>1</Status><Policies><Policy><PolicyType>MS-EAS-Provisioning-WBXML</PolicyType><Status>1</Status><PolicyKey>[0-9]+</PolicyKey><Data>' \
	-d VER141 Provision "$P1"
for v in 12.1 14.0 16.0 16.1; do
	dev=VER${v/./}
	if provision "$dev" "$v" && horde_request -d "$dev" -v "$v" -k "$KEY" FolderSync "$FS0" &&
		[[ $HORDE_HTTP == 200 && $(horde_xml Status) == 1 && $(horde_xml Count) == 6 ]]; then
		t_pass "EAS $v: Provision (no DeviceInformation) then FolderSync: status 1"
	else
		t_fail "EAS $v: Provision (no DeviceInformation) then FolderSync: status 1"
		diag
	fi
done

# --- remote wipe (Horde's admin "wipe": rwstatus pending)
horde_admin wipe CHECKEAS0002
req_ok "remote wipe pending: FolderSync answers 200 with status 140" 200 \
	'<FolderSync xmlns="FolderHierarchy:"><Status xmlns="AirSync:">140</Status></FolderSync>' \
	-d CHECKEAS0002 -k "$KEY" FolderSync "$FS0"
req_ok "... and Provision carries <RemoteWipe/>" 200 '</Policies><RemoteWipe/></Provision>' \
	-d CHECKEAS0002 Provision "$P1"

# --- blocking
horde_admin block VER140
req_ok "device blocked in Horde's state (14.0): FolderSync status 129" 200 \
	'<FolderSync xmlns="FolderHierarchy:"><Status>129</Status></FolderSync>' \
	-d VER140 -v 14.0 -k "${KEYS[VER140]}" FolderSync "$FS0"
req_ok "... but without the key: 449 and status 142 first" 449 '<Status xmlns="AirSync:">142</Status>' \
	-d VER140 -v 14.0 FolderSync "$FS0"
req_ok "... Provision status 129" 200 '<Provision xmlns="Provision:"><Status>129</Status></Provision>' \
	-d VER140 -v 14.0 Provision "$P1"
req_ok "... at 12.1: HTTP 500 (Horde throws a plain exception)" 500 '^$' \
	-d VER140 -v 12.1 -k "${KEYS[VER140]}" FolderSync "$FS0"
horde_admin unblock VER140
req_ok "unblocked: FolderSync status 1 again" 200 '<FolderSync xmlns="FolderHierarchy:"><Status>1</Status>' \
	-d VER140 -v 14.0 -k "${KEYS[VER140]}" FolderSync "$FS0"
horde_config blocked_devices VER121
req_ok "device refused by the backend (12.1): HTTP 403" 403 '^$' \
	-d VER121 -v 12.1 -k "${KEYS[VER121]}" FolderSync "$FS0"
req_ok "... at 14.1: status 129" 200 '<FolderSync xmlns="FolderHierarchy:"><Status>129</Status></FolderSync>' \
	-d VER121 -v 14.1 -k "${KEYS[VER121]}" FolderSync "$FS0"
horde_config blocked_devices ''

# --- device types Horde never asks to provision, even with a policy
req_ok "DeviceType TestActiveSyncConnectivity: FolderSync without a key is answered" 200 \
	'<FolderSync xmlns="FolderHierarchy:"><Status>1</Status>' -d EXEMPT1 -t TestActiveSyncConnectivity FolderSync "$FS0"
req_ok "DeviceType MicrosoftOutlook: FolderSync without a key is answered" 200 \
	'<FolderSync xmlns="FolderHierarchy:"><Status>1</Status>' -d EXEMPT2 -t MicrosoftOutlook FolderSync "$FS0"

# --- no policy
horde_config provisioning none
req_ok "no policy: Provision says status 1, policy status 2, no key" 200 \
	'<Provision xmlns="Provision:"><Status>1</Status><Policies><Policy><Status>2</Status></Policy></Policies></Provision>' \
	-d NOPOLICY1 Provision "$P1"
req_ok "no policy: FolderSync without X-MS-PolicyKey: status 1" 200 \
	'<FolderSync xmlns="FolderHierarchy:"><Status>1</Status>.*<Count>6</Count>' -d NOPOLICY1 FolderSync "$FS0"
horde_config provisioning force

if [[ -s $HORDE_DIR/php-error.log ]]; then
	sed 's/^/# php: /' "$HORDE_DIR/php-error.log" | head -n 20
fi
t_done
