#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Hostile input to the option parser: malformed --extra-opts files, files
# that are not regular files, unsafe password files and malformed
# thresholds. Each is UNKNOWN with one line naming the problem, at once,
# with nothing sent and the secret never shown. No server is needed: every
# case ends before the plugin connects.
. "$(dirname "$0")/lib/test.sh"
t_setup

S=s3cret
PORT=$(t_freeport) # nothing listens: reaching the network is CRITICAL, not UNKNOWN
BASIC=(-H 127.0.0.1 -p "$PORT" --user user@example.com)

# ini NAME LINES... - write $T/NAME.ini with the plugin's section
ini() {
	local name=$1
	shift
	printf '%s\n' "[check_eas_options]" "$@" >"$T/$name.ini"
}

# --- --extra-opts: every line is key=value, a flag, a comment or a section
ini colon "hostname=localhost" "password: $S"
run check_eas_options -v --extra-opts=@"$T/colon.ini"
expect_summary "'password: s3cret' line: UNKNOWN naming file, line and key" 3 \
	"^EAS OPTIONS UNKNOWN - --extra-opts: key 'password': expected key=value, .*, in $T/colon\\.ini line 3$"
expect_no_str "$S" "... without the value"

ini blank "hostname=localhost" "password $S"
run check_eas_options -v --extra-opts=@"$T/blank.ini"
expect_summary "'password s3cret' line: UNKNOWN naming the key" 3 \
	"^EAS OPTIONS UNKNOWN - --extra-opts: key 'password': .*, in $T/blank\\.ini line 3$"
expect_no_str "$S" "... without the value"

printf '[check_eas_basic]\nuser\npassword=%s\n' "$S" >"$T/bareuser.ini"
run check_eas_basic -v -H 127.0.0.1 -p "$PORT" --extra-opts=@"$T/bareuser.ini"
expect_summary "bare 'user' does not swallow the next line: UNKNOWN" 3 \
	"^EAS BASIC UNKNOWN - --extra-opts: key 'user' needs a value \\(write user=VALUE\\), in .*\[check_eas_[a-z]*\]$"
expect_no_str "$S" "... and the password is not shown as a user name"
printf '[check_eas_basic]\nuser\n' >"$T/bareuser2.ini"
run check_eas_basic -v -H 127.0.0.1 -p "$PORT" --extra-opts=@"$T/bareuser2.ini" --password-file "$T/x"
expect_summary "bare 'user' does not take the next command-line word either" 3 \
	"^EAS BASIC UNKNOWN - --extra-opts: key 'user' needs a value .*, in .*\[check_eas_[a-z]*\]$"
ini baretimeout "timeout" "hostname=localhost"
run check_eas_options -v --extra-opts=@"$T/baretimeout.ini"
expect_summary "bare 'timeout': UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - --extra-opts: key 'timeout' needs a value .*, in .*\[check_eas_[a-z]*\]$"
ini bareabbrev "time" "hostname=localhost"
run check_eas_options -v --extra-opts=@"$T/bareabbrev.ini"
expect_summary "bare abbreviation 'time' of an option with a value: UNKNOWN" 3 \
	"^EAS OPTIONS UNKNOWN - --extra-opts: key 'time' needs a value .*, in .*\[check_eas_[a-z]*\]$"

ini good "; comment" "# comment" "warning = 10" "  critical=20  " "verbose" "" "[other]" "password: ignored-but-checked"
run check_eas_options -v --extra-opts=@"$T/good.ini"
expect_summary "a bad line in another section is an error too" 3 "key 'password': .*, in .*line 9$"
ini good "; comment" "# comment" "warning = 10" "  critical=20  " "verbose" "" "[other]" "x=1"
run check_eas_options --extra-opts=@"$T/good.ini"
expect_first "comments, blanks around '=', a bare flag are fine (then: no server)" 3 \
	'^EAS OPTIONS UNKNOWN - no server given'

# A line longer than 4 KiB is an error, never split into two options.
{
	echo "[check_eas_options]"
	printf 'hostname=%s' "$(head -c 4983 /dev/zero | tr '\0' a)"
	echo insecure
} >"$T/long.ini"
t_is "$(sed -n 2p "$T/long.ini" | wc -c)" 5001 "the long line is 5000 bytes (and a newline)"
run check_eas_options -v --extra-opts=@"$T/long.ini"
expect_summary "5000-byte line ending in 'insecure': UNKNOWN, not split" 3 \
	"^EAS OPTIONS UNKNOWN - --extra-opts: longer than 4096 bytes, in $T/long\\.ini line 2$"

printf '[check_eas_options]\nhostname=local\033[2Jhost\n' >"$T/ctrl.ini"
run check_eas_options -v --extra-opts=@"$T/ctrl.ini"
expect_summary "a control character in a line: UNKNOWN" 3 'contains a control character, in .*line 2$'

# Files that never end or block: refused at once.
start=$SECONDS
T_TIMEOUT=5 run check_eas_options --extra-opts=@/dev/zero
expect_first "--extra-opts=@/dev/zero: UNKNOWN at once" 3 \
	'^EAS OPTIONS UNKNOWN - --extra-opts: /dev/zero is not a regular file \(a character device\)$'
mkfifo "$T/fifo.ini"
T_TIMEOUT=5 run check_eas_options --extra-opts=@"$T/fifo.ini"
expect_first "a FIFO as ini file: UNKNOWN, does not block" 3 \
	"^EAS OPTIONS UNKNOWN - --extra-opts: $T/fifo\\.ini is not a regular file \\(a FIFO\\)$"
T_TIMEOUT=5 run check_eas_options --extra-opts=@"$T"
expect_first "a directory as ini file: UNKNOWN" 3 'is not a regular file \(a directory\)$'
head -c $((1024 * 1024 + 1)) /dev/zero | tr '\0' '\n' >"$T/huge.ini"
T_TIMEOUT=5 run check_eas_options --extra-opts=@"$T/huge.ini"
expect_first "an ini file over 1 MiB: UNKNOWN" 3 'huge\.ini is larger than 1048576 bytes$'
t_like "$((SECONDS - start))" '^[0-3]$' "... all within seconds"

# Abbreviations of --extra-opts would skip the file: refused.
ini abbrev "hostname=localhost" "password=$S"
for a in --extra --extra-opt --e --ex=x; do
	run check_eas_options "$a=@$T/abbrev.ini"
	expect_first "'$a' is refused" 3 '^EAS OPTIONS UNKNOWN - write --extra-opts in full$'
done
run check_eas_options --extra "@$T/abbrev.ini"
expect_first "'--extra' alone too" 3 '^EAS OPTIONS UNKNOWN - write --extra-opts in full$'
expect_no_str "$S" "... the secret is never shown"

# --- --password-file: a regular, private file with a first line
PWF=(--password-file)
mkfifo "$T/fifo.pass"
T_TIMEOUT=5 run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/fifo.pass"
expect_first "FIFO password file: UNKNOWN, does not block" 3 \
	"^EAS BASIC UNKNOWN - password file $T/fifo\\.pass is not a regular file \\(a FIFO\\)$"
T_TIMEOUT=5 run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T"
expect_first "directory as password file: UNKNOWN" 3 \
	"^EAS BASIC UNKNOWN - password file $T is not a regular file \\(a directory\\)$"
T_TIMEOUT=5 run check_eas_basic "${BASIC[@]}" "${PWF[@]}" /dev/zero
expect_first "/dev/zero as password file: UNKNOWN at once" 3 \
	'^EAS BASIC UNKNOWN - password file /dev/zero is not a regular file \(a character device\)$'
: >"$T/empty.pass"
chmod 600 "$T/empty.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/empty.pass"
expect_first "empty password file: UNKNOWN, nothing sent" 3 \
	"^EAS BASIC UNKNOWN - password file $T/empty\\.pass is empty$"
printf '\n%s\n' "$S" >"$T/firstempty.pass"
chmod 600 "$T/firstempty.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/firstempty.pass"
expect_first "empty first line: UNKNOWN" 3 "password file $T/firstempty\\.pass is empty$"
expect_no_str "$S" "... the second line is not shown"
head -c 70000 /dev/zero | tr '\0' x >"$T/huge.pass"
chmod 600 "$T/huge.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/huge.pass"
expect_first "password file over 64 KiB: UNKNOWN" 3 "huge\\.pass is larger than 65536 bytes$"
printf '%s\n' "$S" >"$T/gw.pass"
chmod 620 "$T/gw.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/gw.pass"
expect_first "group-writable password file: refused" 3 \
	"^EAS BASIC UNKNOWN - password file $T/gw\\.pass is writable by other users: chmod go-w$"
expect_no_str "$S" "... without the password"
chmod 602 "$T/gw.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/gw.pass"
expect_first "world-writable password file: refused" 3 'is writable by other users: chmod go-w$'
chmod 644 "$T/gw.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/gw.pass"
expect_first "a readable, not writable password file is used (then: connection refused)" 2 \
	'^EAS BASIC CRITICAL - connection refused'
expect_no_str "$S" "... the password is not shown"
ln -s "$T/gw.pass" "$T/link.pass"
run check_eas_basic "${BASIC[@]}" "${PWF[@]}" "$T/link.pass"
expect_first "a symbolic link to a password file is followed" 2 '^EAS BASIC CRITICAL - connection refused'

# --- thresholds: plain decimal numbers only, shown printable
for w in ' 10' '10 ' $'\t10' 0x10 0x1p3 1e3 inf nan '~:inf' '10:20 ' '1,5'; do
	run check_eas_options -w "$w"
	expect_first "-w '$w': UNKNOWN" 3 "^EAS OPTIONS UNKNOWN - invalid threshold range '"
done
run check_eas_options -w $'\n10'
expect_first "-w \$'\\n10': UNKNOWN, the newline shown as \\x0a" 3 \
	"^EAS OPTIONS UNKNOWN - invalid threshold range '\\\\x0a10' "
t_is "$(wc -l <<<"$OUT")" 1 "... in one line"
run check_eas_options -w 1 -c $'10\nOK - fake'
expect_first "-c with an injected line: UNKNOWN in one line" 3 \
	"^EAS OPTIONS UNKNOWN - invalid threshold range '10\\\\x0aOK - fake' "
t_is "$(wc -l <<<"$OUT")" 1 "... in one line"
for w in 10 10: '~:10' 10:20 @10:20 -5:-1 0.5 @~:0 +3 :5; do
	run check_eas_options -w "$w" -c "$w"
	expect_first "-w/-c '$w' still valid (then: no server)" 3 '^EAS OPTIONS UNKNOWN - no server given'
done

t_done
