#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# check_eas_sync against a real ActiveSync server written by others:
# Horde_ActiveSync from Debian (t/lib/horde-eas.sh). The whole flow at
# every protocol version Horde speaks, both query forms, a policy or none,
# re-provisioning when the server forgets the device, a blocked device, a
# remote wipe that must never be acknowledged, the expected mailbox, a
# required folder, and one device partnership however often the check runs.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
t_setup
t_pki
if missing_pkgs=$(horde_missing); then
	t_bail "Debian packages missing for the Horde test server: $missing_pkgs (see contrib/setup.sh)"
fi
horde_setup || t_bail "the Horde ActiveSync server did not start"
printf '%s\n' "$HORDE_PASSWORD" > "$T/pw"
chmod 600 "$T/pw"
TGT=(-H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost)
CRED=(--user "$HORDE_USER" --password-file "$T/pw")
sync() { run check_eas_sync "${TGT[@]}" "${CRED[@]}" "$@"; }
ALOG=$T/$HORDE_INSTANCE/access.log
# cmds_since N - the Cmd= of each request after line N of Apache's access log
cmds_since() {
	tail -n "+$(($1 + 1))" "$ALOG" | grep -o 'Cmd=[A-Za-z]*' | cut -d= -f2 | tr '\n' ' '
}
OKLINE='^EAS SYNC OK - mailbox user@example\.com syncs over ActiveSync'

sync
expect_first "the whole flow: OK, the mailbox named" 0 "$OKLINE 16\\.0: policy acknowledged, 6 folders \\|"
expect_perf time '^[0-9.]+s;;;0$' "total time perfdata"
for step in options provision foldersync settings; do
	expect_perf "${step}_time" '^[0-9.]+s;;;0$' "$step time perfdata"
done
expect_perf folders '^6;;;0$' "folder count perfdata"
t_is "$(t_perf sync_time)" "" "no Sync step without --sync-folder"
t_is "$(horde_device_count "$HORDE_USER")" 1 "one device partnership after the first run"

n0=$(wc -l <"$ALOG")
sync --sync-folder inbox -v
expect_first "--sync-folder inbox: one item synced, three estimated" 0 \
	"$OKLINE 16\\.0: .*, 6 folders, Inbox: 1 item synced, [0-9]+ to sync"
t_is "$(cmds_since "$n0")" "Provision Provision FolderSync Settings Sync GetItemEstimate Sync " \
	"the server's access log: Sync(0), GetItemEstimate, then Sync, as devices do"
expect_out '^Sync: HTTP 200 OK, body [0-9]+ bytes, headers [0-9]+ bytes$' "-v: body and header bytes apart"
expect_perf items '^[0-9]+;;;0$' "items perfdata"
expect_perf sync_time '^[0-9.]+s' "sync time perfdata"
expect_perf estimate_time '^[0-9.]+s' "estimate time perfdata"
expect_out '^\[OK\] Provision: policy acknowledged \(policy key [0-9]+, [0-9]+ settings\)$' "-v: the Provision step"
expect_out '^\[OK\] FolderSync: 6 folders, Inbox present$' "-v: the FolderSync step"
expect_out '^\[OK\] Settings: mailbox user@example\.com$' "-v: the Settings step"
expect_out '^device: type CheckEAS, ID CE[0-9A-F]{30}, user user@example\.com' "-v: the device as the server sees it"
expect_out 'connected to 127\.0\.0\.1 \(connection reused\)' "one connection for the run"

for v in 12.1 14.0 14.1 16.0; do
	sync --protocol-version "$v" --sync-folder inbox
	expect_first "protocol $v forced: OK" 0 "^EAS SYNC OK - (the )?mailbox .*over ActiveSync ${v//./\\.}: "
done
for i in 1 2 3 4 5; do   # policy keys differ: every byte value must pass
	sync --query-encoding base64 --sync-folder inbox
	expect_first "base64 query form: OK (run $i)" 0 "$OKLINE 16\\.0"
done
# Horde names a device from the base64 form by the hex of its bytes: the
# derived ID goes as the bytes its hex spells, so it is the same device.
t_is "$(horde_device_count "$HORDE_USER")" 1 "the base64 form: the same device partnership"
n0=$(wc -l <"$ALOG")
sync --protocol-version 16.1
expect_first "--protocol-version 16.1, which Horde does not offer: CRITICAL, the offer named" 2 \
	'^EAS SYNC CRITICAL - OPTIONS: the server offers only [0-9., ]*16\.0, --protocol-version 16\.1 is not among them'
t_is "$(cmds_since "$n0")" "" "... nothing sent at 16.1"
for v in 12.1 14.0; do
	sync --protocol-version "$v" --expect-mailbox user@EXAMPLE.com
	expect_first "protocol $v: Settings answers, --expect-mailbox evaluated: OK" 0 \
		"^EAS SYNC OK - mailbox user@EXAMPLE\\.com syncs over ActiveSync ${v//./\\.}: "
	sync --protocol-version "$v" --expect-mailbox other@example.com
	expect_first "protocol $v, another mailbox: CRITICAL" 2 \
		'^EAS SYNC CRITICAL - Settings: the mailbox is user@example\.com, not other@example\.com'
done
run check_eas_sync -H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost \
	-u /nothing/Microsoft-Server-ActiveSync "${CRED[@]}"
expect_first "a wrong path at Apache, not Microsoft: CRITICAL, in words for any server" 2 \
	'^EAS SYNC CRITICAL - OPTIONS: HTTP 200 but without the ActiveSync headers: a reverse-proxy or login page answers, not the ActiveSync server'
expect_no_out 'Exchange|IIS|virtual directory' "... without Exchange or IIS advice"
sync --min-version 16.1
expect_first "--min-version above what the server speaks: CRITICAL" 2 \
	'^EAS SYNC CRITICAL - OPTIONS: the server speaks ActiveSync 16\.0 at most, below the required 16\.1'
sync --expect-mailbox other@example.com
expect_first "a different mailbox: CRITICAL" 2 \
	'^EAS SYNC CRITICAL - Settings: the mailbox is user@example\.com, not other@example\.com'
sync --expect-mailbox USER@example.com --require-folder calendar --require-folder 'Sent Items'
expect_first "expected mailbox (any case) and required folders: OK" 0 "$OKLINE"
sync --require-folder Archive
expect_first "a required folder missing: CRITICAL" 2 \
	'^EAS SYNC CRITICAL - FolderSync: the required folder Archive is missing'

# Ten more runs: still one partnership, however often the check runs.
for i in 1 2 3 4 5 6 7 8 9 10; do sync >/dev/null; done
t_is "$(horde_device_count "$HORDE_USER")" 1 "one device partnership after many runs"
sync --device-id CHECKEAS2
t_is "$(horde_device_count "$HORDE_USER")" 2 "--device-id: a second device, as asked"
devid=$(horde_devices "$HORDE_USER" | awk '$1 != "CHECKEAS2" { print $1 }')
horde_admin remove CHECKEAS2 >/dev/null

# A new policy between two runs: acknowledged like the first.
key1=$(horde_admin policykey "$devid")
horde_config policy_MinDevicePasswordLength 8
sync
expect_first "a changed policy: acknowledged anew, OK" 0 "$OKLINE.*policy acknowledged"
t_like "$(horde_admin policykey "$devid")" '^[0-9]+$' "the server holds a policy key for the device"
t_ok "... a new one ($key1 before)" test "$(horde_admin policykey "$devid")" != "$key1"

# No policy at all: nothing to acknowledge.
horde_config provisioning none
sync
expect_first "no policy: OK" 0 "$OKLINE 16\\.0: no policy, 6 folders"
horde_config provisioning force

# A blocked device.
horde_config blocked_devices "$devid"
sync -v
expect_summary "device blocked by the server: CRITICAL, naming type and ID" 2 \
	"^EAS SYNC CRITICAL - Provision status 129 \\(DeviceIsBlockedForThisUser\\): .*CheckEAS / ID $devid"
expect_no_out 'Exchange|IIS|Set-CASMailbox' "... in words for any server: Horde is not Exchange"
horde_config blocked_devices ""

# A remote wipe for the monitoring device: CRITICAL, never acknowledged.
horde_admin wipe "$devid" >/dev/null
sync -v
expect_summary "remote wipe requested: CRITICAL, not acknowledged" 2 \
	"^EAS SYNC CRITICAL - a remote wipe was issued for the monitoring device \\(type CheckEAS, ID $devid\\): check-eas never acknowledges it"
sync
expect_first "... and again on the next run: the wipe was never carried out" 2 \
	"^EAS SYNC CRITICAL - a remote wipe was issued"
t_is "$(t_perf foldersync_time)" "" "the check stops at Provision: no FolderSync after a wipe"
horde_admin remove "$devid" >/dev/null

# Wrong password: the mailbox cannot sync.
printf 'wrong\n' > "$T/badpw"
chmod 600 "$T/badpw"
run check_eas_sync "${TGT[@]}" --user "$HORDE_USER" --password-file "$T/badpw"
expect_first "wrong password: CRITICAL at OPTIONS" 2 '^EAS SYNC CRITICAL - OPTIONS: HTTP 401'
expect_no_out 's3cret|wrong' "no password in the output"

sync --output-format json
expect_json_field state '"OK"' "JSON state"
expect_json_field protocol_version '"16.0"' "JSON protocol version"
expect_json_field mailbox '"user@example.com"' "JSON mailbox"
expect_json_field type '"CheckEAS"' "JSON device type"

# check_eas_options: Horde answers an anonymous OPTIONS with 401, like
# Exchange; a requirement is then checked on an authenticated OPTIONS.
before=$(horde_device_count "$HORDE_USER")
run check_eas_options "${TGT[@]}" --require-version 14.1
expect_first "check_eas_options, anonymous, --require-version: UNKNOWN, not a silent OK" 3 \
	'^EAS OPTIONS UNKNOWN - cannot check --require-version: OPTIONS wants credentials \(HTTP 401\), give --user and a password, or --cert'
run check_eas_options "${TGT[@]}" "${CRED[@]}" --require-version 14.1 --require-command Provision
expect_first "... with credentials: checked on an authenticated OPTIONS, OK" 0 \
	'^EAS OPTIONS OK - ActiveSync .* answers: protocol 16\.0 '
run check_eas_options "${TGT[@]}" "${CRED[@]}" --require-version 16.1
expect_first "... and Horde's missing 16.1 is CRITICAL" 2 'required protocol 16\.1 not offered'
run check_eas_options "${TGT[@]}" --user "$HORDE_USER" --password-file "$T/badpw" --require-version 14.1
expect_first "... a wrong password: UNKNOWN, the credentials refused" 3 \
	'^EAS OPTIONS UNKNOWN - cannot check --require-version: credentials refused \(HTTP 401\)'
t_is "$(horde_device_count "$HORDE_USER")" "$before" "an authenticated OPTIONS makes no device partnership"

t_done
