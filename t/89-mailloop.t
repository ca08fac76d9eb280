#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# t/run timeout: 600
# check_eas_mailloop over a real delivery chain on 127.0.0.1: Horde's
# ActiveSync (t/lib/horde-eas.sh) serving the Inbox of a private Dovecot
# and sending SendMail through a private Postfix that delivers to it over
# LMTP (t/lib/mailchain.sh). First run, a collection with its round trip,
# the message gone from the store, delivery held and released, a message
# lost, two runs at once, a run killed in the middle; --send-smtp through
# the chain's Postfix as an outside relay (round trip, relay down, refused
# recipient and sender); a client certificate demanded (--cert/--key);
# ActiveSync 12.1's SendMail. Then check_eas_push --trigger sendmail over the same chain:
# latency and delivery measured, delivery held, a run killed mid-Ping.
. "$(dirname "$0")/lib/test.sh"
. "$(dirname "$0")/lib/horde-eas.sh"
. "$(dirname "$0")/lib/mailchain.sh"
t_setup
t_pki
if missing_pkgs=$( (horde_missing; mailchain_missing) | tr '\n' ' '); [[ -n ${missing_pkgs// /} ]]; then
	t_bail "Debian packages missing for the mail chain: $missing_pkgs (see contrib/setup.sh)"
fi
horde_setup || t_bail "the Horde ActiveSync server did not start"
mailchain_setup "$HORDE_USER" "$HORDE_PASSWORD" || t_bail "the mail chain (Postfix, Dovecot) did not start"
horde_config mail_imap_port "$MC_IMAP_PORT"
horde_config mail_smtp_port "$MC_SMTP_PORT"
printf '%s\n' "$HORDE_PASSWORD" >"$T/pw"
chmod 600 "$T/pw"
mkdir -m 700 "$T/state"
TGT=(-H 127.0.0.1 -p "$HORDE_PORT" --ca-file "$PKI/ca.pem" --sni localhost)
CRED=(--user "$HORDE_USER" --password-file "$T/pw")
loop() { run check_eas_mailloop "${TGT[@]}" "${CRED[@]}" --state-dir "$T/state" "$@"; }
# Subjects in the store, through IMAP (python3's imaplib).
store_subjects() {
	python3 - "$MC_IMAP_PORT" "$HORDE_USER" "$HORDE_PASSWORD" <<-'PY'
		import imaplib, sys
		m = imaplib.IMAP4("127.0.0.1", int(sys.argv[1]))
		m.login(sys.argv[2], sys.argv[3])
		m.select("INBOX", readonly=True)
		typ, data = m.search(None, "ALL")
		for num in data[0].split():
		    typ, d = m.fetch(num, "(BODY.PEEK[HEADER.FIELDS (SUBJECT)])")
		    print(d[0][1].decode().strip())
		m.logout()
	PY
}
marker_count() { store_subjects | grep -c '^Subject: check-eas mailloop '; }
wait_delivered() { # N: wait until the store holds N markers (at most 10 s)
	local i
	for ((i = 0; i < 100; i++)); do
		[[ $(marker_count) == "$1" ]] && return 0
		sleep 0.1
	done
	return 1
}

run check_eas_mailloop "${TGT[@]}" --state-dir "$T/state"
expect_first "no --user: UNKNOWN, and what it needs" 3 \
	'^EAS MAILLOOP UNKNOWN - no --user or --cert given: check_eas_mailloop needs --user with a password \(--password-file, EAS_PASSWORD\) or a bearer token'
t_ok "nothing sent without credentials" test ! -e "$T/state/mailloop-"*

# --- the first run: nothing to collect, one message on its way
loop -v
expect_first "a fresh state: OK, first run" 0 \
	'^EAS MAILLOOP OK - first run, nothing to collect yet: test message sent \|'
expect_perf pending '^0;;;0$' "pending 0 on the first run"
t_ok "no since_delivery before any delivery" bash -c '[[ $1 != *since_delivery* ]]' _ "$LINE1"
expect_out "^SendMail: sent 'check-eas mailloop [^ ]*' to $HORDE_USER\$" "-v: the marker sent to the mailbox itself"
t_ok "the state file names the message" grep -q '^sent [0-9.]* check-eas mailloop ' "$T/state/mailloop-"*
t_setup_ok "the message arrives in the Dovecot store" wait_delivered 1

# --- the second run collects it and deletes it from the store
sleep 1
start=$(date +%s.%N)
loop -v -w 30 -c 60
end=$(date +%s.%N)
expect_first "the second run collects the first message: OK with its round trip" 0 \
	'^EAS MAILLOOP OK - mail comes back: round trip [0-9.]+ s \|'
expect_perf roundtrip '^[0-9.]+s;30;60;0$' "roundtrip perfdata with -w/-c"
expect_perf pending '^0;;;0$' "pending 0"
expect_perf lost '^0;;;0$' "lost 0"
expect_out '^Sync: [0-9]+ items in the Inbox, 1 collected, 0 leftovers$' "-v: one collected"
expect_out '^Sync: 1 deleted$' "-v: and deleted"
t_ok "the collected message is gone from the store, this run's is there" wait_delivered 1
# (Its wall time is measured by make bench, not asserted here.)
echo "# wall time of a collecting run: $(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }') s"

# --- delivery held: pending grows, nothing lost
mailchain_hold on
sleep 1
loop
expect_first "held: the earlier message collected, this one held" 0 '^EAS MAILLOOP OK - mail comes back'
loop
expect_first "held: nothing comes back, one pending" 0 '^EAS MAILLOOP OK - nothing came back this run, 1 pending'
expect_perf pending '^1;;;0$' "pending 1"
loop
expect_perf pending '^2;;;0$' "pending grows to 2"
expect_perf lost '^0;;;0$' "nothing lost"
t_ok "Postfix holds 3 messages" test "$(mailchain_queue)" = 3
mailchain_hold off
t_setup_ok "released: the 3 arrive" wait_delivered 3
loop -v
expect_first "released: collected" 0 '^EAS MAILLOOP OK - mail comes back: round trip'
expect_out '^Sync: [0-9]+ items in the Inbox, 3 collected, 0 leftovers$' "-v: the 3 held ones collected"
expect_perf pending '^0;;;0$' "pending 0 again"

# --- a message lost: removed from Postfix's queue
wait_delivered 1
mailchain_hold on
loop
t_setup_ok "the new one is held" test "$(mailchain_queue)" = 1
postsuper -c "$MC_PFDIR" -d ALL >/dev/null 2>&1
mailchain_hold off
sleep 2
loop --lost-after 1
expect_first "a message never delivered: CRITICAL, lost 1" 2 \
	'^EAS MAILLOOP CRITICAL - 1 message lost: not back in the mailbox 1 s after sending'
expect_perf lost '^1;;;0$' "lost 1"
wait_delivered 1
loop
expect_first "the next run: OK again (the lost one is forgotten)" 0 '^EAS MAILLOOP OK - mail comes back'

# --- two runs at once: the device lock serializes them
wait_delivered 1
# (-t 60: the second waits for the first's lock, on a loaded machine too)
"$BUILDDIR/plugins/check_eas_mailloop" "${TGT[@]}" "${CRED[@]}" --state-dir "$T/state" -v -t 60 >"$T/c1.out" 2>&1 &
p1=$!
"$BUILDDIR/plugins/check_eas_mailloop" "${TGT[@]}" "${CRED[@]}" --state-dir "$T/state" -v -t 60 >"$T/c2.out" 2>&1 &
p2=$!
wait $p1; rc1=$?
wait $p2; rc2=$?
t_is "$rc1 $rc2" "0 0" "two runs at once both end OK"
n1=$(grep -o '[0-9]* collected' "$T/c1.out" | cut -d' ' -f1)
n2=$(grep -o '[0-9]* collected' "$T/c2.out" | cut -d' ' -f1)
t_ok "the message on its way is collected ($n1 + $n2: the later run may collect the earlier one's too)" \
	test "$((n1 + n2))" -ge 1
t_is "$(grep -h "^collected '" "$T/c1.out" "$T/c2.out" | cut -d"'" -f2 | sort | uniq -d)" "" \
	"no message counted twice"
t_ok "one of them waited for the other's lock" grep -qh 'waited .* for another run of this device' "$T/c1.out" "$T/c2.out"

# --- a run killed in the middle: the next one still collects and deletes
wait_delivered 2
"$BUILDDIR/plugins/check_eas_mailloop" "${TGT[@]}" "${CRED[@]}" --state-dir "$T/state" >/dev/null 2>&1 &
pk=$!
sleep 1 # in the middle of its 1.5 s
kill -9 "$pk" 2>/dev/null
wait "$pk" 2>/dev/null
sleep 1
loop -v
expect_first "after a killed run: OK" 0 '^EAS MAILLOOP OK'
t_ok "nothing of earlier runs is left in the store but this run's message" wait_delivered 1
expect_perf lost '^0;;;0$' "nothing lost"

# --- --send-smtp: the marker through the chain's Postfix as an outside
# MX, not through SendMail (Horde's own submission goes to the same
# Postfix: the envelope sender tells them apart in its log)
SMTP=smtp://127.0.0.1:$MC_SMTP_PORT
wait_delivered 1
loop -v --send-smtp "$SMTP" --smtp-from probe@outside.test
expect_first "--send-smtp: the earlier one collected, this one sent through the relay" 0 \
	'^EAS MAILLOOP OK - mail comes back: round trip [0-9.]+ s(, [0-9]+ pending)? \|'
expect_out "^SMTP: sent 'check-eas mailloop [^ ]*' to $HORDE_USER through $SMTP\$" "-v: sent through the relay"
expect_out "^SMTP relay $SMTP: SMTP reply: 250 " "-v: the relay's last reply"
t_setup_ok "it arrives" wait_delivered 1
t_ok "Postfix received it over SMTP from the envelope sender given" \
	grep -q 'from=<probe@outside\.test>' "$MC_MAILLOG"
sleep 1
start=$(date +%s.%N)
loop -v --send-smtp "$SMTP"
end=$(date +%s.%N)
expect_first "--send-smtp: the relayed message collected" 0 \
	'^EAS MAILLOOP OK - mail comes back: round trip [0-9.]+ s(, [0-9]+ pending)? \|'
expect_out '^Sync: [0-9]+ items in the Inbox, 1 collected, 0 leftovers$' "-v: the relayed one collected"
t_ok "without --smtp-from the envelope sender is the mailbox" grep -q "from=<$HORDE_USER>.*size=" "$MC_MAILLOG"
SWALL=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
echo "# wall time of a collecting run with --send-smtp: $SWALL s; $(grep -o "'time'=[0-9.]*s" <<<"$LINE1")"
stime=$(sed -n 's/^SMTP relay .*: times: .*, total \([0-9.]*\)s$/\1/p' <<<"$OUT")
# The run's wall time is the device's steps' (above, measured by make
# bench); the relay's part is said apart in -v.
t_ok "-v: the relay's part of the run has its own times (${stime:-none} s)" test -n "$stime"
wait_delivered 1

# the relay down: nothing listens
DEAD=$(t_freeport)
sent_markers() { sed -n 's/^sent [0-9.]* //p' "$T/state/mailloop-"* | sort; }
before=$(sent_markers)
loop --send-smtp "smtp://127.0.0.1:$DEAD"
expect_first "the relay down: CRITICAL, in plain words" 2 \
	"^EAS MAILLOOP CRITICAL - SMTP relay smtp://127\\.0\\.0\\.1:$DEAD: connection refused: nothing listens on that port"
t_is "$(comm -13 <(echo "$before") <(sent_markers))" "" "...the message not sent is not waited for (no new marker in the state)"

# the relay refuses the recipient: 5xx CRITICAL, 4xx WARNING, its words
refuse() { # ACTION: what Postfix says to RCPT TO the mailbox
	_mc_postconf -e "smtpd_recipient_restrictions = check_recipient_access inline:{{$HORDE_USER=$1}}" &&
		postfix -c "$MC_PFDIR" reload >/dev/null 2>&1 && sleep 0.3
}
t_setup_ok "Postfix refuses the mailbox" refuse "550 5.1.1 no such mailbox here"
loop --send-smtp "$SMTP"
expect_first "a refused recipient: CRITICAL with the relay's words" 2 \
	'^EAS MAILLOOP CRITICAL - the relay refuses mail for user@example\.com: 550 5\.1\.1 <user@example\.com>: Recipient address rejected: no such mailbox here'
t_setup_ok "Postfix defers the mailbox" refuse "450 4.2.0 try again later"
loop --send-smtp "$SMTP"
expect_first "a deferred recipient: WARNING with the relay's words" 1 \
	'^EAS MAILLOOP WARNING - the relay refuses mail for user@example\.com: 450 4\.2\.0 <user@example\.com>: Recipient address rejected: try again later'
t_setup_ok "Postfix takes the mailbox again" refuse "OK"
# Postfix judges the sender at RCPT TO (smtpd_delay_reject), then at MAIL FROM
t_setup_ok "Postfix refuses a sender" eval '_mc_postconf -e "smtpd_sender_restrictions = check_sender_access inline:{{probe@outside.test=550 5.7.1 not from there}}" && postfix -c "$MC_PFDIR" reload >/dev/null 2>&1 && sleep 0.3'
loop --send-smtp "$SMTP" --smtp-from probe@outside.test
expect_first "a sender refused at RCPT TO: CRITICAL with the relay's words" 2 \
	'^EAS MAILLOOP CRITICAL - the relay refuses mail for user@example\.com: 550 5\.7\.1 <probe@outside\.test>: Sender address rejected: not from there \|'
t_setup_ok "...and at MAIL FROM" eval '_mc_postconf -e "smtpd_delay_reject = no" && postfix -c "$MC_PFDIR" reload >/dev/null 2>&1 && sleep 0.3'
loop --send-smtp "$SMTP" --smtp-from probe@outside.test
expect_first "a sender refused at MAIL FROM: CRITICAL with the relay's words, naming the sender" 2 \
	'^EAS MAILLOOP CRITICAL - the relay refuses the sender probe@outside\.test: 550 5\.7\.1 <probe@outside\.test>: Sender address rejected: not from there \|'
loop --send-smtp "$SMTP" --smtp-from '<bad>@x'
expect_first "--smtp-from: an address, checked before anything is sent" 3 \
	'^EAS MAILLOOP UNKNOWN - .*--smtp-from.*an e-mail address \(user@domain\)'
loop --smtp-from probe@outside.test
expect_first "--smtp-from without --send-smtp: UNKNOWN" 3 \
	'^EAS MAILLOOP UNKNOWN - --smtp-from without --send-smtp: SendMail sends as the mailbox'
loop --send-smtp "smtp://someone:secret@127.0.0.1:$MC_SMTP_PORT"
expect_first "--send-smtp with a user in it: refused (no credentials go to the relay)" 3 \
	'^EAS MAILLOOP UNKNOWN - .*--send-smtp.*an smtp:// or smtps:// URL without a user'
loop --send-smtp "$SMTP"
expect_first "the relay takes it again: OK" 0 '^EAS MAILLOOP OK'
t_setup_ok "Postfix as before: no restrictions of these tests" eval '_mc_postconf -e "smtpd_sender_restrictions =" "smtpd_recipient_restrictions =" "smtpd_delay_reject = yes" && postfix -c "$MC_PFDIR" reload >/dev/null 2>&1 && sleep 0.3'

# --- ActiveSync 12.1 (the server offers no more): SendMail carries the
# message itself as message/rfc822, SaveInSent=F in the query
wait_delivered 1
horde_config version 12.1
loop -v
expect_first "12.1: the earlier message collected, this one sent" 0 '^EAS MAILLOOP OK - mail comes back'
expect_out 'OPTIONS: .*protocol 12\.1 chosen' "-v: the run spoke 12.1"
expect_out "^SendMail: sent 'check-eas mailloop [^ ]*' to " "-v: 12.1 sends the marker"
t_ok "12.1: SendMail went with SaveInSent=F in its query (the message/rfc822 form)" \
	grep -q 'Cmd=SendMail.*SaveInSent=F' "$T/$HORDE_INSTANCE/access.log"
t_ok "12.1: the message sent as MIME arrives" wait_delivered 1
loop
expect_first "12.1: the next run collects it" 0 '^EAS MAILLOOP OK - mail comes back: round trip'
horde_config version 16.0


# --- check_eas_push --trigger sendmail: while its Ping is held the device
# sends a message to its own mailbox; the Ping announces the Inbox, the
# message syncs down and is deleted. (Horde's heartbeat minimum lowered
# to 2 s, its look interval 1 s, as in t/87.)
horde_config heartbeat_min 2
horde_config ping_wait 1
push() { run check_eas_push "${TGT[@]}" "${CRED[@]}" "$@"; }
probe_count() { store_subjects | grep -c '^Subject: check-eas push probe '; }
wait_probes() { # N: wait until the store holds N push probes (at most 10 s)
	local i
	for ((i = 0; i < 100; i++)); do
		[[ $(probe_count) == "$1" ]] && return 0
		sleep 0.1
	done
	return 1
}
wait_delivered 1
push --trigger sendmail --heartbeat 30 -t 60 -w 10 -c 20 -v
expect_first "--trigger sendmail: the Ping announces the message: OK with latency and delivery" 0 \
	'^EAS PUSH OK - Direct Push works: a test message to the mailbox was announced by the Ping [0-9]+\.[0-9]{2} s after SendMail, synced down after [0-9]+\.[0-9]{2} s \|'
expect_perf push_latency '^[0-9.]+s;10;20;0$' "push_latency perfdata with -w/-c"
expect_perf delivery_time '^[0-9.]+s;;;0$' "delivery_time perfdata"
expect_perf trigger_time '^[0-9.]+s;;;0$' "trigger_time perfdata: the SendMail"
lat=$(t_perf push_latency) dt=$(t_perf delivery_time) held=$(t_perf held)
echo "# measured on the chain: push_latency $lat delivery_time $dt held $held"
echo "# $LINE1"
t_ok "push_latency ($lat) is plausible: above 0, below Horde's look interval and delivery plus 5 s" \
	awk -v l="${lat%%s*}" 'BEGIN { exit !(l > 0 && l < 6) }'
t_ok "delivery_time ($dt) is not shorter than push_latency ($lat)" \
	awk -v l="${lat%%s*}" -v d="${dt%%s*}" 'BEGIN { exit !(d >= l && d < 20) }'
t_ok "the Ping was answered long before its heartbeat of 30 s (held $held), SendMail 1 s into it" \
	awk -v l="${lat%%s*}" -v h="${held%%s*}" 'BEGIN { exit !(h < 15 && l + 0.99 <= h) }'
expect_out "^\\[OK\\] Settings: mailbox $HORDE_USER\$" "-v: the address to send to, from Settings"
expect_out "^trigger: SendMail of 'check-eas push probe [0-9]+-[0-9]+' to $HORDE_USER, 1000 ms into the Ping\$" \
	"-v: the message to the mailbox itself, with its marker"
expect_out '^\[OK\] Ping: answered after [0-9.]+ s: Inbox changed$' "-v: status 2, the Inbox named"
expect_out '^Sync: the test message [^ ]+ deleted$' "-v: the test message deleted afterwards"
t_is "$(probe_count)" 0 "the Dovecot store holds no test message afterwards"
t_is "$(horde_device_count "$HORDE_USER")" 1 "SendMail needs no second device: one partnership"

# --- 12.1: the same, SendMail as message/rfc822
horde_config version 12.1
n0=$(grep -c 'Cmd=SendMail.*SaveInSent=F' "$T/$HORDE_INSTANCE/access.log")
push --trigger sendmail --heartbeat 30 -t 60 -v
expect_first "12.1: --trigger sendmail OK" 0 \
	'^EAS PUSH OK - Direct Push works: a test message to the mailbox was announced by the Ping'
expect_out 'OPTIONS: .*protocol 12\.1 chosen' "-v: the run spoke 12.1"
t_is "$(grep -c 'Cmd=SendMail.*SaveInSent=F' "$T/$HORDE_INSTANCE/access.log")" "$((n0 + 1))" \
	"12.1: the SendMail went in the message/rfc822 form (SaveInSent=F in its query)"
t_is "$(probe_count)" 0 "12.1: no test message left"
horde_config version 16.0

# --- delivery held: the Ping expires; CRITICAL naming delivery, not push
mailchain_hold on
push --trigger sendmail --heartbeat 5 -t 30
expect_first "queue held: CRITICAL, the words name delivery" 2 \
	'^EAS PUSH CRITICAL - the test message sent at [0-2][0-9]:[0-5][0-9]:[0-5][0-9] did not reach the Inbox within [1-5] s: delivery \(transport queue, mailbox database\) is slow or broken \|'
expect_perf held '^[4-9]\.[0-9]+s;;;0$' "held perfdata: the whole heartbeat (Horde may end it a second early)"
expect_perf trigger_time '^[0-9.]+s;;;0$' "the SendMail's time still reported"
t_ok "no push_latency when nothing was announced" bash -c '[[ $1 != *push_latency* ]]' _ "$LINE1"
echo "# $LINE1"
t_is "$(mailchain_queue)" 1 "Postfix holds the test message"
mailchain_hold off
t_setup_ok "released: the late message arrives" wait_probes 1
push --trigger sendmail --heartbeat 30 -t 60 -v
expect_first "the next run: OK" 0 '^EAS PUSH OK - Direct Push works: a test message'
expect_out '^Sync: removed 1 test item of earlier runs$' "-v: the late message removed by its marker"
t_is "$(probe_count)" 0 "no test message left in the store"

# --- a run killed with -9 in the middle of its Ping: the next one cleans up
mailchain_hold on
"$BUILDDIR/plugins/check_eas_push" "${TGT[@]}" "${CRED[@]}" --trigger sendmail --heartbeat 30 -t 60 \
	>/dev/null 2>&1 &
pk=$!
for ((i = 0; i < 100; i++)); do [[ $(mailchain_queue) == 1 ]] && break; sleep 0.1; done
t_setup_ok "the killed run's message is in Postfix's queue" test "$(mailchain_queue)" = 1
kill -9 "$pk" 2>/dev/null
wait "$pk" 2>/dev/null
mailchain_hold off
t_setup_ok "the killed run's message arrives" wait_probes 1
push --trigger sendmail --heartbeat 30 -t 60 -v
expect_first "after a run killed mid-Ping: OK" 0 '^EAS PUSH OK - Direct Push works: a test message'
expect_out '^Sync: removed 1 test item of earlier runs$' "-v: the killed run's message removed"
t_is "$(probe_count)" 0 "the Inbox holds no test message of either run"
# --- a client certificate (credentials as check_eas_sync's): the same
# Horde behind a second Apache that demands one in the TLS handshake
HTTPD_EXTRA="    SSLCACertificateFile \"$PKI/ca.pem\"
    SSLVerifyClient require" t_setup_ok "Horde behind Apache demanding a client certificate" \
	httpd_start hordecert vhost-horde
CT=(-H 127.0.0.1 -p "$HTTPD_PORT_hordecert" --ca-file "$PKI/ca.pem" --sni localhost)
run check_eas_mailloop "${CT[@]}" "${CRED[@]}" --state-dir "$T/state"
expect_first "a client certificate demanded, none given: CRITICAL, in those words" 2 \
	'^EAS MAILLOOP CRITICAL - .*the server requires a client certificate and none was sent'
run check_eas_mailloop "${CT[@]}" "${CRED[@]}" --cert "$PKI/client.pem" --key "$PKI/client.key" --state-dir "$T/state" -v
expect_first "--cert/--key: the mail loop runs (a first run of this device)" 0 \
	'^EAS MAILLOOP OK - first run, nothing to collect yet: test message sent \|'
expect_out "^SendMail: sent 'check-eas mailloop [^ ]*' to $HORDE_USER\$" "...-v: SendMail over the certificate's connection"

t_done
