# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/mailchain.sh - a real mail delivery chain for tests, on 127.0.0.1
# only: a private Postfix instance (its own main.cf and master.cf in $T,
# smtpd on a free port) delivering through LMTP to a private Dovecot (its
# own config in $T, IMAP and LMTP on free ports, one user with a password,
# Maildir under $T). The system's postfix and dovecot services are never
# used. Source after test.sh; call mailchain_setup after t_setup. Runs as
# root (CI) or as any user (then both run as that user).
#
#   mailchain_setup USER PASSWORD
#       Sets MC_DIR, MC_SMTP_PORT, MC_IMAP_PORT, MC_LMTP_PORT, MC_PFDIR
#       (Postfix's config directory, for postsuper -c / postqueue -c),
#       MC_MAILDIR, MC_DOVELOG, MC_MAILLOG. Stopped by the test's clean-up.
#   mailchain_hold on|off  on: new mail waits in Postfix's hold queue
#       (header_checks HOLD); off: released (postsuper -H ALL) and flushed
#   mailchain_queue        the number of messages in Postfix's queue
#   mailchain_inbox        the number of messages in the user's Inbox
#   mailchain_stop         stop both
#   mailchain_missing      print the missing Debian packages (none: 1)
#
# Debian packages: postfix dovecot-core dovecot-imapd dovecot-lmtpd.

mailchain_missing() {
	local p missing=()
	for p in postfix dovecot-core dovecot-imapd dovecot-lmtpd php-horde-imap-client; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
	done
	((${#missing[@]})) || return 1
	echo "${missing[*]}"
}

_mc_postconf() { postconf -c "$MC_PFDIR" "$@"; }

_mc_postfix_conf() {
	local owner=postfix group=postdrop
	if [[ $(id -u) != 0 ]]; then
		owner=$(id -un) group=$(id -gn)
	fi
	# Its queue holds the postlog socket: a short path too (108 bytes at
	# most; a deep $T, as t/mutate's copy has, is over).
	_MC_PFQ=$(mktemp -d /tmp/ce-postfix.XXXXXX) || return 1
	chmod 755 "$_MC_PFQ"
	mkdir -p "$MC_PFDIR" "$MC_DIR/postfix/data"
	chown "$owner" "$MC_DIR/postfix/data"
	cat > "$MC_PFDIR/main.cf" <<-EOF
		compatibility_level = 3.6
		queue_directory = $_MC_PFQ
		data_directory = $MC_DIR/postfix/data
		meta_directory = $MC_PFDIR
		command_directory = /usr/sbin
		daemon_directory = /usr/lib/postfix/sbin
		shlib_directory = /usr/lib/postfix
		mail_owner = $owner
		setgid_group = $group
		syslog_name = postfix-check-eas
		maillog_file = $MC_MAILLOG
		maillog_file_prefixes = $MC_DIR
		inet_interfaces = 127.0.0.1
		inet_protocols = ipv4
		myhostname = mail.example.com
		mydomain = example.com
		mydestination =
		mynetworks = 127.0.0.0/8
		smtpd_relay_restrictions = permit_mynetworks, reject
		virtual_mailbox_domains = example.com
		virtual_transport = lmtp:inet:127.0.0.1:$MC_LMTP_PORT
		alias_maps =
		alias_database =
		biff = no
		smtputf8_enable = no
		header_checks =
		delay_warning_time = 0
	EOF
	cat > "$MC_PFDIR/master.cf" <<-EOF
		127.0.0.1:$MC_SMTP_PORT inet n - n - - smtpd
		pickup    unix  n - n 60 1 pickup
		cleanup   unix  n - n -  0 cleanup
		qmgr      unix  n - n 300 1 qmgr
		rewrite   unix  - - n -  - trivial-rewrite
		bounce    unix  - - n -  0 bounce
		defer     unix  - - n -  0 bounce
		trace     unix  - - n -  0 bounce
		verify    unix  - - n -  1 verify
		flush     unix  n - n 1000? 0 flush
		proxymap  unix  - - n -  - proxymap
		smtp      unix  - - n -  - smtp
		showq     unix  n - n -  - showq
		error     unix  - - n -  - error
		retry     unix  - - n -  - error
		discard   unix  - - n -  - discard
		lmtp      unix  - - n -  - lmtp
		anvil     unix  - - n -  1 anvil
		scache    unix  - - n -  1 scache
		postlog   unix-dgram n - n - 1 postlogd
	EOF
	printf '/^Subject: /  HOLD\n' > "$MC_PFDIR/hold.regexp"
	cp /usr/share/postfix/postfix-files "$MC_PFDIR/" 2>/dev/null
	cp /etc/postfix/postfix-files "$MC_PFDIR/" 2>/dev/null
	[[ -f $MC_PFDIR/postfix-files ]] || cp /usr/lib/postfix/postfix-files "$MC_PFDIR/" 2>/dev/null
}

_mc_dovecot_conf() {
	local uid gid run login internal
	if [[ $(id -u) == 0 ]]; then
		uid=$(id -u mail) gid=$(id -g mail) login=dovenull internal=dovecot
	else
		uid=$(id -u) gid=$(id -g) login=$(id -un) internal=$(id -un)
	fi
	# Its sockets need a short path (108 bytes at most): not below $T.
	run=$(mktemp -d /tmp/ce-dovecot.XXXXXX) || return 1
	chmod 755 "$run"
	_MC_RUN=$run
	mkdir -p "$MC_DIR/dovecot/state" "$MC_DIR/dovecot/mail"
	chown "$uid:$gid" "$MC_DIR/dovecot/mail"
	printf '%s:{PLAIN}%s:%s:%s::%s\n' "$MC_USER" "$MC_PASSWORD" "$uid" "$gid" \
		"$MC_DIR/dovecot/mail/user" > "$MC_DIR/dovecot/users"
	MC_MAILDIR=$MC_DIR/dovecot/mail/user/Maildir
	cat > "$MC_DIR/dovecot/dovecot.conf" <<-EOF
		base_dir = $run
		state_dir = $MC_DIR/dovecot/state
		instance_name = dovecot-check-eas-$MC_IMAP_PORT
		log_path = $MC_DOVELOG
		protocols = imap lmtp
		listen = 127.0.0.1
		ssl = no
		disable_plaintext_auth = no
		auth_mechanisms = plain login
		default_login_user = $login
		default_internal_user = $internal
		first_valid_uid = 1
		mail_location = maildir:~/Maildir
		postmaster_address = postmaster@example.com
		passdb {
		  driver = passwd-file
		  args = scheme=PLAIN username_format=%u $MC_DIR/dovecot/users
		}
		userdb {
		  driver = passwd-file
		  args = username_format=%u $MC_DIR/dovecot/users
		}
		service imap-login {
		  inet_listener imap {
		    address = 127.0.0.1
		    port = $MC_IMAP_PORT
		  }
		  inet_listener imaps {
		    port = 0
		  }
		}
		service lmtp {
		  inet_listener lmtp {
		    address = 127.0.0.1
		    port = $MC_LMTP_PORT
		  }
		  unix_listener lmtp {
		    mode = 0600
		  }
		}
		protocol lmtp {
		  auth_username_format = %u
		}
	EOF
}

_mc_wait_port() {
	local i
	for ((i = 0; i < 100; i++)); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

mailchain_setup() {
	MC_USER=${1:?usage: mailchain_setup USER PASSWORD} MC_PASSWORD=${2?}
	MC_DIR=$T/mailchain
	MC_PFDIR=$MC_DIR/postfix/conf
	MC_DOVELOG=$MC_DIR/dovecot.log
	MC_MAILLOG=$MC_DIR/maillog
	MC_SMTP_PORT=$(t_freeport) && MC_IMAP_PORT=$(t_freeport) && MC_LMTP_PORT=$(t_freeport) || return 1
	while [[ $MC_IMAP_PORT == "$MC_SMTP_PORT" || $MC_LMTP_PORT == "$MC_SMTP_PORT" ||
		$MC_LMTP_PORT == "$MC_IMAP_PORT" ]]; do
		MC_IMAP_PORT=$(t_freeport) MC_LMTP_PORT=$(t_freeport)
	done
	_mc_dovecot_conf || return 1
	trap '_mc_cleanup_trap' EXIT
	dovecot -c "$MC_DIR/dovecot/dovecot.conf" 2>"$MC_DIR/dovecot.err" || {
		echo "# dovecot did not start: $(cat "$MC_DIR/dovecot.err")"
		return 1
	}
	_MC_DOVECOT=1
	trap '_mc_cleanup_trap' EXIT
	_mc_postfix_conf
	postfix -c "$MC_PFDIR" check >"$MC_DIR/postfix.out" 2>&1
	postfix -c "$MC_PFDIR" start >>"$MC_DIR/postfix.out" 2>&1 || {
		echo "# postfix did not start: $(cat "$MC_DIR/postfix.out")"
		return 1
	}
	_MC_POSTFIX=1
	_mc_wait_port "$MC_IMAP_PORT" && _mc_wait_port "$MC_LMTP_PORT" && _mc_wait_port "$MC_SMTP_PORT"
}

_mc_cleanup_trap() {
	mailchain_stop
	_t_cleanup
}

mailchain_stop() {
	if [[ -n ${_MC_POSTFIX:-} ]]; then
		postfix -c "$MC_PFDIR" stop >/dev/null 2>&1
		_MC_POSTFIX=
	fi
	if [[ -n ${_MC_DOVECOT:-} ]]; then
		doveadm -c "$MC_DIR/dovecot/dovecot.conf" stop >/dev/null 2>&1 ||
			kill "$(cat "$_MC_RUN/master.pid" 2>/dev/null)" 2>/dev/null
		_MC_DOVECOT=
	fi
	[[ -n ${_MC_RUN:-} && -d $_MC_RUN ]] && rm -rf "$_MC_RUN"
	[[ -n ${_MC_PFQ:-} && -d $_MC_PFQ ]] && rm -rf "$_MC_PFQ"
	_MC_RUN= _MC_PFQ=
}

mailchain_hold() {
	case $1 in
	on) _mc_postconf -e "header_checks = regexp:$MC_PFDIR/hold.regexp" ;;
	off) _mc_postconf -e "header_checks =" ;;
	*) return 1 ;;
	esac
	postfix -c "$MC_PFDIR" reload >/dev/null 2>&1 || return 1
	if [[ $1 == off ]]; then
		postsuper -c "$MC_PFDIR" -H ALL >/dev/null 2>&1
		postqueue -c "$MC_PFDIR" -f
	fi
	sleep 0.3 # the reloaded cleanup takes the new rule
}

mailchain_queue() {
	find "$_MC_PFQ"/{incoming,active,deferred,hold,maildrop} -type f 2>/dev/null | wc -l
}

mailchain_inbox() {
	find "$MC_MAILDIR"/{new,cur} -type f 2>/dev/null | wc -l
}
