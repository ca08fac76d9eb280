#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_sync against the odd cases a real server does not easily
# produce, served by t/eas-syncd (our own Exchange-like ActiveSync
# server): each HTTP status and in-body status at each step, 449 and 451
# once, a remote wipe (never acknowledged), broken, cut, oversized and
# mistyped answers, a hang in a step (the deadline names it), and what the
# check sends: DeviceInformation exactly from 14.1 on, the base64 form.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/syncd.sh"
t_setup
t_pki
httpd_start main vhost-eas || t_bail "apache did not start"
printf 's3cret pass\n' > "$T/pw"
chmod 600 "$T/pw"
sync() { # CASE ARGS...
	local c=$1; shift
	syncd_reset
	run check_eas_sync -U "$(syncd_url "$c")" --ca-file "$PKI/ca.pem" \
		--user user@example.com --password-file "$T/pw" "$@"
}
OK='^EAS SYNC OK - mailbox user@example\.com syncs over ActiveSync'

sync ok --sync-folder inbox
expect_first "an Exchange-like server: OK" 0 "$OK 16\\.1: policy acknowledged, 6 folders, Inbox: 1 item synced, 3 to sync"
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" \
	"OPTIONS Provision Provision FolderSync Settings Sync GetItemEstimate Sync " \
	"the steps, in order, as a device sends them: Sync(0), GetItemEstimate, Sync"
t_is "$(syncd_log | awk '$2 != "OPTIONS" { print $4 }' | sort -u | tr '\n' ' ')" "- 1111 2222 " \
	"no key for the policy, the temporary key to acknowledge it, the final key after"
t_is "$(syncd_log | awk '$2 != "OPTIONS" { print $5 }' | sort -u | wc -l)" 1 "one device for the whole run"

for v in 12.1 14.0 14.1 16.0 16.1; do
	sync ok --protocol-version "$v"
	expect_first "protocol $v: OK" 0 "^EAS SYNC OK - .*ActiveSync ${v//./\\.}: "
	want=no words="not sent (forbidden before 14.1)"
	[[ $v == 14.1 || $v == 16.* ]] && want=yes words="sent (required from 14.1)"
	t_is "$(syncd_log | awk '$2 == "Provision" { print $9 }' | tr '\n' ' ')" "$want no " \
		"protocol $v: settings:DeviceInformation $words, never in the acknowledgement"
done
sync ok --query-encoding base64 --sync-folder inbox
expect_first "base64 query form: OK" 0 "$OK 16\\.1"
t_is "$(syncd_log | awk '$2 != "OPTIONS" { print $8 }' | sort -u)" base64 "every command in the base64 form"
sync versions-12.1_14.0
expect_first "the highest common version is picked" 0 "ActiveSync 14\\.0: "
sync versions-12.1_14.0 --min-version 14.1
expect_first "--min-version: CRITICAL" 2 'speaks ActiveSync 14\.0 at most, below the required 14\.1'
sync versions-2.5_12.0
expect_first "no version in common: CRITICAL" 2 'no protocol version check-eas speaks'
sync nopolicy
expect_first "no policy for the device: OK" 0 "$OK 16\\.1: no policy"

# --- provision again, follow a move, never wipe
sync once449-foldersync
expect_first "449 once: provisioned again, OK" 0 "$OK.*provisioned again on the server's demand"
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" \
	"OPTIONS Provision Provision FolderSync Provision Provision FolderSync Settings " \
	"... the request log: FolderSync, 449, both Provision phases again, FolderSync again"
t_is "$(syncd_log | awk '$2 == "Provision" { print $4 }' | tr '\n' ' ')" "- 1111 - 1111 " \
	"... each Provision from no policy key, acknowledging the temporary one"
sync once142-settings
expect_first "status 142 once: provisioned again, OK" 0 "$OK.*provisioned again"
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" \
	"OPTIONS Provision Provision FolderSync Settings Provision Provision Settings " \
	"... the request log: Settings, 142, both Provision phases again, Settings again"
sync http-449-foldersync
expect_first "449 every time: CRITICAL" 2 "FolderSync: still not provisioned after two new Provisions"
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" \
	"OPTIONS Provision Provision FolderSync Provision Provision FolderSync Provision Provision FolderSync " \
	"... the request log: FolderSync, 449, Provision twice more, then it stops"
sync sibling-provision2
expect_first "the policy key replaced between the two Provision phases: started over, OK" 0 "$OK"
t_is "$(syncd_log | awk '{ print $2, $4 }' | tr '\n' ' ')" \
	"OPTIONS - Provision - Provision 1111 Provision - Provision 1111 FolderSync 2222 Settings 2222 " \
	"... the request log: both Provision phases once more from no key, then FolderSync"
sync once451-foldersync
expect_first "451 once: followed, WARNING with the new URL" 1 \
	"^EAS SYNC WARNING - the server moved the mailbox \\(451\\) to https://localhost:$HTTPD_PORT/e/ok/Microsoft-Server-ActiveSync: update the monitored URL"
t_is "$(syncd_log | awk '{ print $1, $2 }' | tr '\n' ' ')" \
	"once451-foldersync OPTIONS once451-foldersync Provision once451-foldersync Provision once451-foldersync FolderSync ok FolderSync ok Settings " \
	"... the request log: FolderSync at the old URL, then again at the new one"
sync wipe
expect_first "remote wipe in Provision: CRITICAL, stops" 2 \
	'^EAS SYNC CRITICAL - a remote wipe was issued for the monitoring device \(type CheckEAS, ID CE[0-9A-F]{30}\)'
t_is "$(syncd_log | awk '{ print $10 }' | sort -u)" no "... and never acknowledged"
t_is "$(syncd_log | awk '{ print $2 }' | grep -c FolderSync)" 0 "... and nothing after Provision"
sync wipe140-foldersync
expect_first "status 140: CRITICAL, remote wipe" 2 'remote wipe was issued'

# --- HTTP answers at a step
for c in 401 403 404 456 457 500 503 507; do
	sync "http-$c-foldersync"
	expect_first "HTTP $c at FolderSync: CRITICAL, explained" 2 "^EAS SYNC CRITICAL - FolderSync: HTTP $c"
done
sync http-503-foldersync -v
expect_summary "503 names the throttling reason and Retry-After" 2 'throttled, retry after 30s: the device sends commands too often \(X-MS-ASThrottle: CommandFrequency\)'
sync http-457-provision1
expect_first "457 at Provision: the password expired" 2 'password has expired'
sync http-401-options
expect_first "401 at OPTIONS: CRITICAL" 2 '^EAS SYNC CRITICAL - OPTIONS: HTTP 401'

# --- in-body statuses
sync status-129-foldersync -v
expect_summary "status 129: blocked, device type and ID named" 2 \
	'^EAS SYNC CRITICAL - FolderSync status 129 \(DeviceIsBlockedForThisUser\): .*CheckEAS / ID CE[0-9A-F]{30}'
sync status-126-provision1
expect_first "status 126: not enabled for ActiveSync" 2 'Provision status 126'
sync status-177-provision1
expect_first "status 177: device limit" 2 'Provision status 177'
sync status-110-sync --sync-folder inbox
expect_first "status 110 in Sync: CRITICAL (the mailbox side)" 2 'Sync status 110'
expect_first "... Exchange's own steps for an Exchange-like server (ASP.NET)" 2 'Exchange event log'
sync status-111-sync --sync-folder inbox
expect_first "status 111: transient, WARNING" 1 'Sync status 111'
sync status-3-sync --sync-folder inbox
expect_first "Sync status 3: CRITICAL" 2 'Sync status 3 '
sync status-2-settings
expect_first "Settings status 2 (our request refused): UNKNOWN, a check-eas problem" 3 \
	'Settings status 2 \(ProtocolError\): .*a check-eas or protocol version problem'
sync mailbox-boss@example.com --expect-mailbox user@example.com
expect_first "another mailbox: CRITICAL" 2 'the mailbox is boss@example\.com, not user@example\.com'
sync ok --require-folder archive
expect_first "a required folder missing: CRITICAL" 2 'required folder archive is missing'

# --- broken answers
sync malformed-foldersync
expect_first "malformed WBXML: CRITICAL" 2 '^EAS SYNC CRITICAL - FolderSync: .*(WBXML|token|offset)'
sync truncated-foldersync
expect_first "truncated WBXML: CRITICAL" 2 '^EAS SYNC CRITICAL - FolderSync: '
sync cut-foldersync
expect_first "connection cut in the answer: CRITICAL" 2 '^EAS SYNC CRITICAL - FolderSync: '
sync oversized-provision1
expect_first "a 5 MiB answer: CRITICAL, not read past 1 MiB" 2 'larger than 1 MiB'
sync html-settings
expect_first "an HTML page with 200: CRITICAL, a proxy answers" 2 'Settings: the answer is text/html, not ActiveSync WBXML'
sync wrongtype-foldersync
expect_first "WBXML with the wrong content type: CRITICAL" 2 'not ActiveSync WBXML'
sync empty-foldersync
expect_first "an empty answer: CRITICAL" 2 'FolderSync: an empty answer'
sync empty-settings
expect_first "an empty answer to Settings: CRITICAL (only Sync may be empty)" 2 'Settings: an empty answer'

# --- an empty Sync answer is "no changes" (MS-ASCMD 2.2.1.21.2)
sync empty-sync1 --sync-folder inbox -v
expect_out '^Sync: HTTP 200 OK, body 0 bytes, headers [1-9][0-9]* bytes$' \
	"-v: the empty answer's body is 0 bytes, its headers counted apart"
expect_first "an empty answer to Sync with a key: no changes, OK" 0 \
	"$OK 16\\.1: policy acknowledged, 6 folders, Inbox: 0 items synced, 3 to sync"
expect_out '^Sync: an empty answer, which means no changes since SyncKey s1 \(MS-ASCMD 2\.2\.1\.21\.2\)$' \
	"... said in plain words in -v"
expect_out '^\[OK\] Sync: Inbox, 0 items in a window of 1$' "... the Sync step passes with 0 items"
t_is "$(syncd_log | awk '$2 == "Sync" || $2 == "GetItemEstimate" { print $1, $2 }' | tr '\n' ' ')" \
	"empty-sync1 Sync empty-sync1 GetItemEstimate empty-sync1 Sync " "... the server saw Sync(0), GetItemEstimate, Sync"
sync empty-sync0 --sync-folder inbox
expect_first "an empty answer to the first Sync (SyncKey 0): CRITICAL, no key to go on" 2 \
	'^EAS SYNC CRITICAL - Sync: the first Sync \(SyncKey 0\) got an empty answer: no SyncKey to go on'
t_is "$(syncd_log | awk '{ print $2 }' | grep -c GetItemEstimate)" 0 "... and no GetItemEstimate without a key"

# --- the mailbox at every version, and when it cannot be told
sync versions-12.1 --expect-mailbox USER@example.com
expect_first "12.1 only: Settings asked, --expect-mailbox evaluated, OK" 0 \
	'^EAS SYNC OK - mailbox USER@example\.com syncs over ActiveSync 12\.1: '
t_is "$(syncd_log | awk '$2 == "Settings" { print $3 }')" 12.1 "... Settings sent at 12.1"
sync versions-12.1 --expect-mailbox other@example.com
expect_first "12.1 only, another mailbox: CRITICAL" 2 \
	'^EAS SYNC CRITICAL - Settings: the mailbox is user@example\.com, not other@example\.com'
sync versions-12.0_12.1_14.0 --expect-mailbox other@example.com
expect_first "14.0, another mailbox: CRITICAL" 2 'Settings: the mailbox is user@example\.com, not other@example\.com'
sync noaddress --expect-mailbox user@example.com
expect_first "no address in Settings: WARNING, the requirement named as unchecked" 1 \
	'^EAS SYNC WARNING - Settings: the server names no address for the mailbox \(ActiveSync 16\.1\): --expect-mailbox user@example\.com cannot be checked'
sync noaddress
expect_first "no address in Settings, no --expect-mailbox: OK" 0 '^EAS SYNC OK - the mailbox of user@example\.com syncs'

# --- --protocol-version the server does not offer
sync versions-12.1_14.0_14.1 --protocol-version 16.1
expect_first "--protocol-version 16.1 not offered: CRITICAL, what is offered named" 2 \
	'^EAS SYNC CRITICAL - OPTIONS: the server offers only 12\.1, 14\.0, 14\.1, --protocol-version 16\.1 is not among them'
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" "OPTIONS " "... and nothing sent at a version the server does not offer"
expect_no_out 'syncs over ActiveSync 16\.1' "... never claims to sync over 16.1"

# --- large mailboxes: up to the 10,000 folders of Exchange
for n in 4000 10000; do
	sync "folders-$n"
	expect_first "$n folders: OK" 0 "$OK 16\\.1: policy acknowledged, $n folders"
	expect_perf folders "^$n;;;0\$" "... $n folders in perfdata"
done
sync folders-10001
expect_first "10001 folders: CRITICAL, more than a check reads" 2 \
	'FolderSync: the answer lists 10001 folders, more than the 10000 a check reads'

# --- an account-only wipe is a wipe
sync accountwipe -v
expect_summary "AccountOnlyRemoteWipe: CRITICAL, named as an account wipe" 2 \
	'^EAS SYNC CRITICAL - a remote wipe of the account \(AccountOnlyRemoteWipe\) was issued for the monitoring device \(type CheckEAS, ID CE[0-9A-F]{30}\)'
t_is "$(syncd_log | awk '{ print $10 }' | sort -u)" no "... never acknowledged"
t_is "$(syncd_log | awk '{ print $2 }' | grep -c FolderSync)" 0 "... and nothing after Provision"

# --- a policy key that is not a number never reaches a header
for form in plain base64; do
	sync badkey-crlf --query-encoding "$form"
	expect_first "policy key with CR LF ($form): CRITICAL" 2 \
		'^EAS SYNC CRITICAL - Provision: the server sent a policy key that is not a number \("12\?\?X-Evil: 1"'
	t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" "OPTIONS Provision " \
		"... ($form) no request after the bad key"
done
sync badkey-long
expect_first "a 1000-digit policy key: CRITICAL, shown cut" 2 \
	'policy key that is not a number \("77777777777777777777\.\.\. \(1000 characters\)"'
sync badkey-big
expect_first "policy key 4294967296 (past 32 bits): CRITICAL" 2 'policy key that is not a number \("4294967296"'

# --- one deadline for the run: a hang in a step is named
t0=${EPOCHREALTIME/[.,]/}
sync hang-foldersync -t 3
t1=${EPOCHREALTIME/[.,]/}
expect_first "a hang at FolderSync: UNKNOWN, the step named" 3 \
	'^EAS SYNC UNKNOWN - FolderSync: no answer within 3s: hung waiting for the FolderSync response'
t_ok "... within -t 3 ($(((t1 - t0) / 1000)) ms)" test $(((t1 - t0) / 1000)) -lt 3900
sync hang-provision2 -t 3:CRITICAL
expect_first "a hang at the acknowledgement: the -t state" 2 'hung waiting for the Provision response'

# --- a client certificate instead of (or with) the password
httpd_start certs vhost-eas-clientcert || t_bail "apache (client certificates) did not start"
CURL="https://localhost:$HTTPD_PORT_certs/e/ok/Microsoft-Server-ActiveSync"
HTTPD_PORT=$HTTPD_PORT_main   # syncd_url's default stays the first server
syncd_reset
run check_eas_sync -U "$CURL" --ca-file "$PKI/ca.pem" --cert "$PKI/client.p12" \
	--cert-password-file "$PKI/client.p12.pass"
expect_first "a client certificate alone: OK" 0 '^EAS SYNC OK - mailbox user@example\.com syncs'
t_is "$(syncd_log | awk '$2 != "OPTIONS" { print $7 }' | sort -u)" - "... no User= in the query without --user"
syncd_reset
run check_eas_sync -U "$CURL" --ca-file "$PKI/ca.pem" --cert "$PKI/client.pem" \
	--key "$PKI/client.key" --user user@example.com
expect_first "a certificate (PEM) with --user and no password: OK" 0 '^EAS SYNC OK'
t_is "$(syncd_log | awk '$2 != "OPTIONS" { print $7 }' | sort -u)" user@example.com \
	"... --user fills User= all the same"
syncd_reset
run check_eas_sync -U "$CURL" --ca-file "$PKI/ca.pem" --cert "$PKI/client.p12" \
	--cert-password-file "$PKI/client.p12.pass" --user user@example.com --password-file "$T/pw"
expect_first "certificate plus password: OK" 0 '^EAS SYNC OK'
run check_eas_sync -U "$CURL" --ca-file "$PKI/ca.pem" --user user@example.com --password-file "$T/pw"
expect_first "no certificate where one is required: CRITICAL at OPTIONS" 2 \
	'^EAS SYNC CRITICAL - OPTIONS: .*client certificate'

# --- output
sync ok --sync-folder inbox --output-format json
expect_json_field state '"OK"' "JSON state"
expect_json_field name '"estimate"' "JSON sub-checks per step"
for mode in "" -v -vv "--output-format json"; do
	# shellcheck disable=SC2086
	sync ok $mode
	expect_no_out 's3cret' "no password in the output (${mode:-text})"
done

t_done
