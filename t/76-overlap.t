#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Overlapping runs of check_eas_sync for one device (a re-check while the
# scheduled one runs, a retry, two satellites): 30 runs started at once
# all end OK against Horde and against t/eas-syncd, one after the other on
# the device's lock; the lock is per device ID, -t bounds the wait with
# words that name the cause, the state directory is refused when others
# could tamper with it; a step disturbed by another client with the same
# device ID starts over once, and the words name the cause when it comes
# again. And the derived device ID: one for every spelling of server and
# account, and one partnership for the plain and the base64 query form.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/syncd.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
t_setup
t_pki
httpd_start main vhost-eas || t_bail "apache did not start"
MAIN=$HTTPD_PORT
printf 's3cret pass\n' >"$T/pw"
chmod 600 "$T/pw"
SD=$XDG_RUNTIME_DIR/check-eas # the default state directory
SYNCD=(--ca-file "$PKI/ca.pem" --user user@example.com --password-file "$T/pw")
N=30

# batch TAG PLUGIN-ARGS... - N runs of check_eas_sync started at once;
# sets B_OK (runs with exit 0 and an OK first line), B_WALL (seconds for
# the batch), B_MAXWAIT (the longest lock_wait), B_BAD (a failed run's
# first line)
batch() {
	local tag=$1 i start end rc line w
	local -a pids=()
	shift
	mkdir -p "$T/$tag"
	start=$(date +%s.%N)
	for ((i = 1; i <= N; i++)); do
		(
			timeout -k 5 200 "$BUILDDIR/plugins/check_eas_sync" "$@" \
				>"$T/$tag/$i.out" 2>"$T/$tag/$i.err" </dev/null
			echo $? >"$T/$tag/$i.rc"
		) &
		pids+=("$!")
	done
	for i in "${pids[@]}"; do wait "$i"; done
	end=$(date +%s.%N)
	B_WALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
	B_OK=0 B_MAXWAIT=0 B_BAD=
	for ((i = 1; i <= N; i++)); do
		rc=$(cat "$T/$tag/$i.rc")
		line=$(head -n 1 "$T/$tag/$i.out")
		if [[ $rc == 0 && $line == 'EAS SYNC OK - '* ]]; then
			B_OK=$((B_OK + 1))
		else
			B_BAD="rc $rc: $line"
		fi
		w=$(sed -n "s/.*'lock_wait'=\\([0-9.]*\\)s.*/\\1/p" <<<"$line")
		B_MAXWAIT=$(awk -v a="$B_MAXWAIT" -v b="${w:-0}" 'BEGIN { print (b > a ? b : a) }')
	done
	echo "# $tag: $N runs at once: $B_OK OK, batch ${B_WALL}s, longest lock wait ${B_MAXWAIT}s"
	[[ -n $B_BAD ]] && echo "# $tag: a failed run: $B_BAD"
	return 0
}

# ------------------------------------------------ 30 at once: eas-syncd
syncd_reset
batch syncd -U "$(syncd_url ok "$MAIN")" "${SYNCD[@]}" --sync-folder inbox -t 120
t_is "$B_OK" "$N" "eas-syncd: $N runs at once for one device, all OK"
t_ok "... they overlapped: some waited for the lock (longest ${B_MAXWAIT}s)" \
	awk -v w="$B_MAXWAIT" 'BEGIN { exit !(w > 0) }'
one="OPTIONS Provision Provision FolderSync Settings Sync GetItemEstimate Sync "
want=
for ((i = 0; i < N; i++)); do want+=$one; done
t_is "$(syncd_log | awk '{ print $2 }' | tr '\n' ' ')" "$want" \
	"... one after the other: each run's requests together, never interleaved"
t_is "$(syncd_log | awk '$2 != "OPTIONS" { print $5 }' | sort -u | wc -l)" 1 "... all as one device"
devid=$(syncd_log | awk '$2 == "Provision" { print $5; exit }')
t_ok "... its lock file in the default state directory" test -f "$SD/device-$devid.lock"
t_is "$(stat -c %a "$SD")" 700 "... which was created 0700"

# ------------------------------------------------ 30 at once: Horde
if missing_pkgs=$(horde_missing); then
	t_skip "$N runs at once against Horde" "no Horde: $missing_pkgs"
else
	horde_setup || t_bail "the Horde ActiveSync server did not start"
	HTGT=(-H localhost -I 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem")
	printf '%s\n' "$HORDE_PASSWORD" >"$T/hpw"
	chmod 600 "$T/hpw"
	HCRED=(--user "$HORDE_USER" --password-file "$T/hpw")
	batch horde "${HTGT[@]}" "${HCRED[@]}" --sync-folder inbox -t 150
	t_is "$B_OK" "$N" "Horde: $N runs at once for one device, all OK"
	t_ok "... they overlapped: some waited for the lock (longest ${B_MAXWAIT}s)" \
		awk -v w="$B_MAXWAIT" 'BEGIN { exit !(w > 0) }'
	t_is "$(horde_device_count "$HORDE_USER")" 1 "... one device partnership on the server"

	# The device ID: one for every spelling of the server, and the same
	# partnership for the base64 query form.
	hsync() { run check_eas_sync -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" "${HCRED[@]}" -v "$@"; }
	idline() { grep -E '^device ID CE[0-9A-F]{30} derived from ' <<<"$OUT"; }
	hsync -H localhost -I 127.0.0.1
	expect_first "Horde, -H localhost: OK" 0 '^EAS SYNC OK'
	base=$(idline)
	t_like "$base" "^device ID CE[0-9A-F]{30} derived from https://localhost:$HORDE_PORT/microsoft-server-activesync and account user\$" \
		"-v: the ID and what it is derived from"
	hsync -H LOCALHOST -I 127.0.0.1
	expect_first "Horde, -H LOCALHOST: OK" 0 '^EAS SYNC OK'
	t_is "$(idline)" "$base" "... the same device ID"
	hsync -U "https://LocalHost.:$HORDE_PORT/Microsoft-Server-ActiveSync/" -I 127.0.0.1 --sni localhost
	expect_first "Horde, -U with another spelling of the URL: OK" 0 '^EAS SYNC OK'
	t_is "$(idline)" "$base" "... the same device ID"
	hsync -H localhost -I 127.0.0.1 --query-encoding base64 --sync-folder inbox
	expect_first "Horde, the base64 query form: OK" 0 '^EAS SYNC OK'
	t_is "$(idline)" "$base" "... the same device ID"
	id=${base#device ID }
	id=${id%% *}
	expect_out "^base64 query form: the device ID goes as 16 bytes, the server records the partnership as $id \\(the same as the plain form's\\)\$" \
		"-v: the partnership name the base64 form makes"
	t_is "$(horde_device_count "$HORDE_USER")" 1 \
		"still one partnership on the server, for the batch, all spellings and both forms"
	t_is "$(horde_devices "$HORDE_USER" | awk -v id="$id" '$1 == id' | wc -l)" 1 "... under the ID -v shows"
	hsync -H localhost -I 127.0.0.1 --query-encoding base64 --device-id CHECKEAS2
	expect_out '^base64 query form: the device ID goes as 9 bytes, the server records the partnership as 434845434B45415332 \(another one than the plain form.s\)$' \
		"-v: a --device-id that is not hex makes its own partnership in the base64 form, and says so"
	t_is "$(horde_devices "$HORDE_USER" | awk '$1 == "434845434B45415332"' | wc -l)" 1 \
		"... under the name -v shows"
fi

# ------------------------------------------------ the account, spelled three ways
for u in user@example.com USER 'EXAMPLE\user'; do
	syncd_reset
	run check_eas_sync -U "$(syncd_url ok "$MAIN")" --ca-file "$PKI/ca.pem" --user "$u" \
		--password-file "$T/pw" -v
	expect_first "account spelled $u: OK" 0 '^EAS SYNC OK'
	t_is "$(syncd_log | awk '$2 == "Provision" { print $5; exit }')" "$devid" "... the same device ID"
done
expect_out "^device ID $devid derived from https://localhost:$MAIN/e/ok/microsoft-server-activesync and account user\$" \
	"-v: derived from the normalised URL and account"

# ------------------------------------------------ the lock: per device, bounded by -t
lsync() { run check_eas_sync -U "$(syncd_url ok "$MAIN")" "${SYNCD[@]}" "$@"; }
flock -o "$SD/device-HELDDEVICE.lock" sleep 8 &
holder=$!
for ((i = 0; i < 50; i++)); do
	flock -n "$SD/device-HELDDEVICE.lock" true || break
	sleep 0.1
done
lsync --device-id OTHERDEVICE -t 5 -v
expect_first "another device ID while one is held: OK" 0 '^EAS SYNC OK'
expect_perf lock_wait '^0\.0[0-4][0-9]*s' "... without waiting"
expect_out "^lock $SD/device-OTHERDEVICE\\.lock taken at once\$" "-v: the lock taken at once"
start=$SECONDS
lsync --device-id HELDDEVICE -t 2 -v
expect_first "-t runs out while another run holds the device: the -t state (UNKNOWN), the cause" 3 \
	'^EAS SYNC UNKNOWN - another run for device HELDDEVICE has held its lock for 1\.[0-9] s: overlapping runs, raise -t or the check interval \|'
t_ok "... within -t" test $((SECONDS - start)) -le 3
expect_perf lock_wait '^1\.[0-9]+s' "... the wait in perfdata"
t_ok "... the first line under 160 characters before '|'" test "${#LINE1}" -gt 0 -a "$(cut -d'|' -f1 <<<"$LINE1" | wc -c)" -le 161
expect_out "device-HELDDEVICE\\.lock" "-v: the lock file"
t_is "$(t_perf options_time)" "" "... and no request sent"
lsync --device-id HELDDEVICE -t 2:CRITICAL
expect_first "-t 2:CRITICAL while waiting: CRITICAL" 2 '^EAS SYNC CRITICAL - another run for device HELDDEVICE'
wait "$holder"
lsync --device-id HELDDEVICE -t 5 -v
expect_first "the holder gone: OK" 0 '^EAS SYNC OK'

# ------------------------------------------------ the state directory
mkdir -m 777 "$T/ww"
chmod 777 "$T/ww"
lsync -v --state-dir "$T/ww"
expect_summary "a world-writable state directory: UNKNOWN, why and what to do" 3 \
	"^EAS SYNC UNKNOWN - the state directory $T/ww is writable by group or others \\(mode 0777\\), who could block or fake this check's runs: chmod 700 it"
mkdir -m 700 "$T/real"
ln -s "$T/real" "$T/link"
lsync -v --state-dir "$T/link"
expect_summary "a symbolic link as state directory: UNKNOWN" 3 \
	"^EAS SYNC UNKNOWN - the state directory $T/link is a symbolic link: check-eas never follows one there"
: >"$T/file"
lsync --state-dir "$T/file"
expect_first "a file as state directory: UNKNOWN" 3 \
	"^EAS SYNC UNKNOWN - the state directory $T/file is not a directory"
lsync --state-dir "$T/no/such"
expect_first "a state directory that cannot be made: UNKNOWN" 3 \
	"^EAS SYNC UNKNOWN - cannot create the state directory $T/no/such: No such file or directory"
ln -s /etc/passwd "$T/real/device-LINKED.lock"
lsync --state-dir "$T/real" --device-id LINKED
expect_first "a symbolic link as lock file: UNKNOWN" 3 \
	"^EAS SYNC UNKNOWN - the lock file $T/real/device-LINKED\\.lock is a symbolic link"
if [[ $(id -u) == 0 ]]; then
	mkdir -m 700 "$T/theirs"
	chown nobody "$T/theirs"
	lsync --state-dir "$T/theirs"
	expect_first "a state directory of another user: UNKNOWN" 3 \
		"^EAS SYNC UNKNOWN - the state directory $T/theirs belongs to another user"
else
	t_skip "a state directory of another user" "needs root to make one"
fi
lsync --state-dir "$T/fresh" -v
expect_first "--state-dir: a new directory is made" 0 '^EAS SYNC OK'
t_is "$(stat -c %a "$T/fresh")" 700 "... 0700"
expect_out "^lock $T/fresh/device-[0-9A-F]{32}\\.lock taken at once\$" "... and the lock taken there"
XDG_RUNTIME_DIR='' run check_eas_sync -U "$(syncd_url ok "$MAIN")" "${SYNCD[@]}" -v
expect_out "^lock /tmp/check-eas-$(id -u)/device-" "no XDG_RUNTIME_DIR: /tmp/check-eas-UID"

# ------------------------------------------------ a sibling disturbs a step
dsync() { # CASE ARGS...
	local c=$1
	shift
	syncd_reset
	run check_eas_sync -U "$(syncd_url "$c" "$MAIN")" "${SYNCD[@]}" --sync-folder inbox -v "$@"
}
dsync sibling-provision2
expect_first "the policy key replaced between the two Provision phases: started over, OK" 0 '^EAS SYNC OK'
expect_out '^Policy status 5 \(WrongPolicyKey\): .*: another run with this device ID may have disturbed it; starting over once$' \
	"-v: why it started over"
t_is "$(syncd_log | awk '$2 == "Provision"' | wc -l)" 4 "... Provision in two phases, twice"
dsync siblings-provision2
expect_first "... every time: CRITICAL, the likely cause and what to do" 2 \
	'^EAS SYNC CRITICAL - Policy status 5 twice: another device with this ID \(another satellite\?\) replaced the policy key, give each its own --device-id \|'
dsync sibling-foldersync
expect_first "FolderSync status 9 once: started over, OK" 0 '^EAS SYNC OK'
dsync siblings-foldersync
expect_first "... every time: CRITICAL, the cause" 2 \
	'^EAS SYNC CRITICAL - FolderSync status 9 twice: another device with this ID \(another satellite\?\) reset the sync state, give each its own --device-id'
dsync sibling-sync1
expect_first "Sync status 3 once: started over from SyncKey 0, OK" 0 '^EAS SYNC OK.*Inbox: 1 item synced'
t_is "$(syncd_log | awk '$2 == "Sync"' | wc -l)" 4 "... two Syncs, twice"
dsync siblings-sync1
expect_first "... every time: CRITICAL, the cause" 2 \
	'^EAS SYNC CRITICAL - Sync status 3 twice: another device with this ID \(another satellite\?\) reset the sync state'
dsync sibling-estimate
expect_first "GetItemEstimate status 4 once: started over, OK" 0 '^EAS SYNC OK.*3 to sync'
dsync sibling-settings
expect_first "Settings status 132 once: started over, OK" 0 '^EAS SYNC OK'
dsync once142-foldersync -v
expect_summary "a 142 still provisions again as before, without a start-over" 0 \
	"^EAS SYNC OK.*provisioned again on the server's demand"
expect_no_out 'starting over' "... no start-over in -v"
dsync http-449-foldersync
expect_first "449 after two new Provisions: CRITICAL, the likely causes" 2 \
	'^EAS SYNC CRITICAL - FolderSync: still not provisioned after two new Provisions: another device with this ID \(another satellite\?\) or a server fault'
t_is "$(syncd_log | awk '$2 == "Provision"' | wc -l)" 6 "... after provisioning three times in all"

t_done
