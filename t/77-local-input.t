#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Local input the operator (or a careless editor, or a hostile file) hands
# the plugins: password sources, key files with a costly key derivation,
# trust stores and certificates that are not regular files, long -t values,
# text that disguises itself, an inherited signal mask, and JSON for every
# UNKNOWN. Each is refused at once, in plain words naming the source,
# never a hang blamed on the server and never the secret.
. "$(dirname "$0")/lib/test.sh"
t_setup
t_pki

S='s3cret-77'
t_blackhole # accepts and never answers: a hang would last until -t
B=(-H 127.0.0.1 -p "$BLACKHOLE_PORT" -k)
closed=$(t_freeport)
C=(-H 127.0.0.1 -p "$closed" -k) # refused at once: an UNKNOWN must come first

# quick DESC - the last run ended within 2 s
quick() { t_like "$((SECONDS - start))" '^[0-2]$' "$1"; }

# --- password files in another encoding: refused, never sent cut or garbled
umask 077
printf 'abc\0%s\n' "$S" >"$T/nul.pass"
run check_eas_basic "${C[@]}" --user u@example.com --password-file "$T/nul.pass"
expect_first "a NUL byte in the password file: UNKNOWN, says UTF-16 and what to do" 3 \
	"^EAS BASIC UNKNOWN - password file $T/nul\\.pass contains a NUL byte \\(UTF-16\\? save it as UTF-8\\)$"
expect_no_str "$S" "... without the password"
printf '%s\n' "$S" | iconv -f UTF-8 -t UTF-16 >"$T/utf16.pass"
run check_eas_basic -v "${C[@]}" --user u@example.com --password-file "$T/utf16.pass"
expect_summary "a UTF-16 file (byte-order mark): UNKNOWN naming the encoding" 3 \
	"^EAS BASIC UNKNOWN - password file $T/utf16\\.pass is UTF-16 \\(it starts with a byte-order mark\\): save it as UTF-8$"
printf '%s\n' "$S" | iconv -f UTF-8 -t UTF-16LE >"$T/utf16le.pass"
run check_eas_basic "${C[@]}" --user u@example.com --password-file "$T/utf16le.pass"
expect_first "UTF-16 without a byte-order mark: the NUL bytes give it away" 3 'utf16le\.pass contains a NUL byte \(UTF-16\?'
printf '\xef\xbb\xbf%s\n' "$S" >"$T/bom.pass"
run check_eas_basic "${C[@]}" --user u@example.com --password-file "$T/bom.pass"
expect_first "a UTF-8 byte-order mark: UNKNOWN, it would be sent" 3 'bom\.pass starts with a UTF-8 byte-order mark'
printf '\n' >"$T/newline.pass"
run check_eas_basic "${C[@]}" --user u@example.com --password-file "$T/newline.pass"
expect_first "a file holding just a newline: UNKNOWN, empty" 3 "password file $T/newline\\.pass is empty$"
printf 'gr\xc3\xbc\xc3\x9f %s\r\n' "$S" >"$T/crlf.pass"
run check_eas_basic "${C[@]}" --user u@example.com --password-file "$T/crlf.pass"
expect_first "a UTF-8 password with CRLF is used (then: connection refused)" 2 '^EAS BASIC CRITICAL - connection refused'

# --- an empty password from any source is named, never sent
run check_eas_basic "${C[@]}" --user u@example.com --password ''
expect_first "--password '': UNKNOWN naming the source" 3 '^EAS BASIC UNKNOWN - the password from --password is empty$'
run check_eas_options "${C[@]}" --user u@example.com --password ''
expect_first "... in check_eas_options too (it sends credentials now)" 3 'the password from --password is empty$'
printf '[eas]\nuser = u@example.com\npassword =\n' >"$T/empty.ini"
run check_eas_basic "${C[@]}" --extra-opts="eas@$T/empty.ini"
expect_first "password= in an ini file: UNKNOWN naming file and section" 3 \
	"^EAS BASIC UNKNOWN - the password from $T/empty\\.ini \\[eas\\] is empty$"
EMPTY_PW= run check_eas_basic "${C[@]}" --user u@example.com --password-env EMPTY_PW
expect_first "--password-env naming an empty variable: UNKNOWN, empty (not 'not set')" 3 \
	'^EAS BASIC UNKNOWN - the password from environment variable EMPTY_PW is empty$'
EAS_PASSWORD= run check_eas_basic "${C[@]}" --user u@example.com
expect_first "EAS_PASSWORD='' (Icinga 2's default): no password, and says it is empty" 3 \
	'^EAS BASIC UNKNOWN - no password for u@example\.com \(EAS_PASSWORD is empty\): use --password-file'
EAS_PASSWORD= run check_eas_cert "${C[@]}" --user u@example.com --cert "$PKI/client.pem" --key "$PKI/client.key"
expect_first "... which a certificate check without a password ignores" 2 '^EAS CERT CRITICAL - connection refused'

# --- key files asking for a costly key derivation: refused at once, naming the file
# Made with a modest count (65793 = 0x010101), then the count patched to
# 8388607 (0x7FFFFF, same length): making a file with a real huge count
# takes as long as opening it.
patch_iter() { # IN OUT [WHICH] - WHICH: all, or the Nth occurrence (1-based)
	python3 - "$1" "$2" "${3:-all}" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read()
old, new, which = b'\x02\x03\x01\x01\x01', b'\x02\x03\x7f\xff\xff', sys.argv[3]
if which == 'all':
    d = d.replace(old, new)
else:
    at = -1
    for _ in range(int(which)):
        at = d.index(old, at + 1)
    d = d[:at] + new + d[at + len(old):]
open(sys.argv[2], 'wb').write(d)
PY
}
pem_patch() { # IN OUT - the same inside a PEM "ENCRYPTED PRIVATE KEY"
	python3 - "$1" "$2" <<'PY'
import base64, re, sys
t = open(sys.argv[1]).read()
b = re.search(r'-----BEGIN ENCRYPTED PRIVATE KEY-----\n(.*?)-----END', t, re.S).group(1)
d = base64.b64decode(b).replace(b'\x02\x03\x01\x01\x01', b'\x02\x03\x7f\xff\xff')
open(sys.argv[2], 'w').write('-----BEGIN ENCRYPTED PRIVATE KEY-----\n' +
    base64.encodebytes(d).decode() + '-----END ENCRYPTED PRIVATE KEY-----\n')
PY
}
printf '%s\n' "$S" >"$T/p12.pass"
openssl pkcs12 -export -in "$PKI/client.pem" -inkey "$PKI/client.key" -iter 65793 \
	-passout "file:$T/p12.pass" -out "$T/ok.p12" 2>/dev/null || t_bail "openssl pkcs12 failed"
t_is "$(python3 -c "import sys; print(open(sys.argv[1],'rb').read().count(b'\x02\x03\x01\x01\x01'))" "$T/ok.p12")" 3 \
	"the PKCS#12 file has three counts to patch (encrypted safe, key bag, MAC)"
patch_iter "$T/ok.p12" "$T/safe.p12" 1
patch_iter "$T/ok.p12" "$T/keybag.p12" 2
patch_iter "$T/ok.p12" "$T/mac.p12" 3
openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 65793 -in "$PKI/client.key" \
	-passout "file:$T/p12.pass" -out "$T/ok-enc.key" 2>/dev/null || t_bail "openssl pkcs8 failed"
openssl pkcs8 -topk8 -v1 PBE-SHA1-3DES -iter 65793 -in "$PKI/client.key" \
	-passout "file:$T/p12.pass" -out "$T/ok-enc1.key" 2>/dev/null || t_bail "openssl pkcs8 -v1 failed"
pem_patch "$T/ok-enc.key" "$T/pbes2.key"
pem_patch "$T/ok-enc1.key" "$T/pbes1.key"
cat "$PKI/client.pem" "$T/pbes2.key" >"$T/both.pem"
P12PW=(--cert-password-file "$T/p12.pass")

run check_eas_cert "${C[@]}" --cert "$T/ok.p12" "${P12PW[@]}"
expect_first "a PKCS#12 file with 65793 rounds is used (then: connection refused)" 2 '^EAS CERT CRITICAL - connection refused'
for f in safe keybag mac; do
	start=$SECONDS
	run check_eas_cert -v "${B[@]}" -t 3 --cert "$T/$f.p12" "${P12PW[@]}"
	expect_summary "PKCS#12, 8388607 rounds in the $f: UNKNOWN naming the file and the count" 3 \
		"^EAS CERT UNKNOWN - $T/$f\\.p12: the PKCS#12 file asks for 8388607 key-derivation rounds \\(at most 2000000 are accepted\\)"
	quick "... at once, long before -t"
done
run check_eas_cert "${C[@]}" --cert "$PKI/client.pem" --key "$T/ok-enc.key" --key-password-file "$T/p12.pass"
expect_first "an encrypted PEM key with 65793 rounds is used" 2 '^EAS CERT CRITICAL - connection refused'
for f in pbes2 pbes1; do
	start=$SECONDS
	run check_eas_cert -v "${B[@]}" -t 3 --cert "$PKI/client.pem" --key "$T/$f.key" --key-password-file "$T/p12.pass"
	expect_summary "encrypted PEM key ($f), 8388607 rounds: UNKNOWN naming the file" 3 \
		"^EAS CERT UNKNOWN - $T/$f\\.key: the encrypted private key asks for 8388607 key-derivation rounds"
	quick "... at once"
done
# scrypt: N * r * p counts (OpenSSL bounds N * r by memory, nothing bounds p)
openssl pkcs8 -topk8 -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 1 -in "$PKI/client.key" \
	-passout "file:$T/p12.pass" -out "$T/scrypt-ok.key" 2>/dev/null || t_bail "openssl pkcs8 -scrypt failed"
openssl pkcs8 -topk8 -scrypt -scrypt_N 1024 -scrypt_r 8 -scrypt_p 300 -in "$PKI/client.key" \
	-passout "file:$T/p12.pass" -out "$T/scrypt-p.key" 2>/dev/null || t_bail "openssl pkcs8 -scrypt failed"
run check_eas_cert "${C[@]}" --cert "$PKI/client.pem" --key "$T/scrypt-ok.key" --key-password-file "$T/p12.pass"
expect_first "a scrypt-encrypted key (1024 x 8 x 1) is used" 2 '^EAS CERT CRITICAL - connection refused'
run check_eas_cert -v "${C[@]}" --cert "$PKI/client.pem" --key "$T/scrypt-p.key" --key-password-file "$T/p12.pass"
expect_summary "scrypt with p = 300 (2457600 = N x r x p): UNKNOWN naming the file" 3 \
	"^EAS CERT UNKNOWN - $T/scrypt-p\\.key: the encrypted private key asks for 2457600 key-derivation rounds"
start=$SECONDS
run check_eas_cert -v "${B[@]}" -t 3 --cert "$T/both.pem" "${P12PW[@]}"
expect_summary "certificate and costly key in one PEM (--cert-password-file): UNKNOWN naming it" 3 \
	"^EAS CERT UNKNOWN - $T/both\\.pem: the encrypted private key asks for 8388607"
quick "... at once"
run check_eas_certexpiry -v "${C[@]}" --cert "$T/keybag.p12" "${P12PW[@]}"
expect_summary "check_eas_certexpiry refuses it too (beside the refused connection)" 2 \
	"keybag\\.p12: the PKCS#12 file asks for 8388607 key-derivation rounds"

# --- trust stores and certificates that are not regular files
mkfifo "$T/fifo"
for a in "--ca-file:$T/fifo:not a regular file \\(a FIFO\\)" \
	"--ca-file:/dev/zero:not a regular file \\(a character device\\)" \
	"--ca-file:$T:not a regular file \\(a directory\\)" \
	"--ca-path:$T/fifo:not a directory \\(a FIFO\\)" \
	"--ca-path:/dev/zero:not a directory \\(a character device\\)" \
	"--ca-path:$T/ok.p12:not a directory \\(a regular file\\)"; do
	IFS=: read -r opt file why <<<"$a"
	start=$SECONDS
	run check_eas_options -H 127.0.0.1 -p "$BLACKHOLE_PORT" -t 3 "$opt" "$file"
	expect_first "$opt on $file: UNKNOWN naming option and file" 3 "^EAS OPTIONS UNKNOWN - $opt ${file//./\\.} is $why$"
	quick "... at once, not a hang blamed on the server"
done
for a in "--cert:$T/fifo:a FIFO" "--cert:/dev/zero:a character device" "--cert:$T:a directory"; do
	IFS=: read -r opt file why <<<"$a"
	start=$SECONDS
	run check_eas_cert "${B[@]}" -t 3 "$opt" "$file"
	expect_first "$opt on $file: UNKNOWN naming option and file" 3 "^EAS CERT UNKNOWN - $opt ${file//./\\.} is not a regular file \\($why\\)$"
	quick "... at once"
done
run check_eas_cert "${B[@]}" -t 3 --cert "$PKI/client.pem" --key "$T/fifo"
expect_first "--key on a FIFO: UNKNOWN naming it" 3 "^EAS CERT UNKNOWN - --key $T/fifo is not a regular file \\(a FIFO\\)$"
run check_eas_certexpiry -H 127.0.0.1 -p "$BLACKHOLE_PORT" -t 3 --ca-file "$T/fifo"
expect_first "check_eas_certexpiry: the same rule for --ca-file" 3 "^EAS CERTEXPIRY UNKNOWN - --ca-file $T/fifo is not a regular file"

# --- -t SECONDS:STATE is read whole
long=$(printf '0%.0s' {1..80})2:CRITICAL
start=$SECONDS
run check_eas_options "${B[@]}" -t "$long"
expect_first "-t with a value over 63 characters keeps its :STATE" 2 '^EAS OPTIONS CRITICAL - .*(no answer within|timed out after) 2s'
quick "... and its seconds"
run check_eas_options "${B[@]}" -t "$(printf '0%.0s' {1..300})2"
expect_first "-t over 256 characters: refused with the reason" 3 \
	'^EAS OPTIONS UNKNOWN - --timeout: invalid value: longer than 256 characters \(write SECONDS\[:STATE\]\)$'
run check_eas_options "${B[@]}" -t 2:SOMETIMES
expect_first "-t with an unknown state: says what a state is" 3 "^EAS OPTIONS UNKNOWN - --timeout: invalid value '2:SOMETIMES': the state after ':' is OK, WARNING, CRITICAL or UNKNOWN$"

# --- text that disguises itself: a right-to-left override from the server
RLO=$'\u202e'
HTTPD_EXTRA="Header always set MS-Server-ActiveSync \"15.1${RLO}moc.elpmaxe\"
Header always set X-Odd \"a${RLO}b\"" httpd_start rlo vhost-eas || t_bail "apache did not start"
run check_eas_options -H localhost -p "$HTTPD_PORT_rlo" --ca-file "$PKI/ca.pem" -v
expect_first "a server name with U+202E: the character becomes '?'" 0 '^EAS OPTIONS OK - ActiveSync 15\.1\?moc\.elpmaxe answers'
expect_no_str "$RLO" "... nowhere in the output (-v headers included)"
run check_eas_options -H localhost -p "$HTTPD_PORT_rlo" --ca-file "$PKI/ca.pem" -v --output-format json
expect_no_str "$RLO" "... nor in JSON"
t_ok "... which stays valid JSON" python3 -m json.tool "$T/.run.out"

# --- a SIGALRM blocked by the parent: the hard timer still ends the run
start=$SECONDS
run_cmd python3 -c 'import os, signal, sys
signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
signal.signal(signal.SIGALRM, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$BUILDDIR/plugins/check_eas_options" "${B[@]}" -t 2
expect_first "started with SIGALRM blocked and ignored: UNKNOWN at -t with the timeout words" 3 \
	'^EAS OPTIONS UNKNOWN - .*(no answer within|timed out after) 2s'
t_like "$((SECONDS - start))" '^[0-3]$' "... at -t (2 s, within 3)"

# --- JSON for every UNKNOWN once --output-format json is asked
J=(--output-format json)
json_unknown() { # DESC SUMMARY-ERE PLUGIN ARGS...
	local desc=$1 ere=$2
	shift 2
	run "$@"
	if [[ $RC == 3 ]] && python3 -m json.tool "$T/.run.out" >/dev/null 2>&1; then
		expect_json_field summary "\"$ere" "JSON: $desc"
	else
		t_fail "JSON: $desc" "expected rc 3 and valid JSON"
		_t_diag_run
	fi
}
json_unknown "a bad threshold given before --output-format" 'invalid threshold range' \
	check_eas_options -H localhost -w abc "${J[@]}"
json_unknown "a bad option value" '--port: invalid value' check_eas_options -H localhost -p 70000 "${J[@]}"
json_unknown "an unknown option" "unknown or ambiguous option '--frobnicate'" \
	check_eas_options "${J[@]}" -H localhost --frobnicate
json_unknown "no server" 'no server given' check_eas_options "${J[@]}"
json_unknown "abbreviated --output=json, then an error" 'no server given' check_eas_options --output=json
printf '[eas]\noutput-format = json\n' >"$T/json.ini"
json_unknown "--output-format json from the ini file" "--timeout: invalid value: longer" \
	check_eas_options --extra-opts="eas@$T/json.ini" -H localhost -t "$(printf '0%.0s' {1..300})"
json_unknown "the password file" 'password file .* contains a NUL byte' \
	check_eas_basic "${C[@]}" "${J[@]}" --user u@example.com --password-file "$T/nul.pass"
json_unknown "an empty password" 'the password from --password is empty' \
	check_eas_basic "${C[@]}" "${J[@]}" --user u@example.com --password ''
json_unknown "a FIFO as --ca-file" '--ca-file .* is not a regular file' \
	check_eas_options "${B[@]}" -t 3 "${J[@]}" --ca-file "$T/fifo"
json_unknown "a costly PKCS#12" '.*keybag\.p12: the PKCS#12 file asks for 8388607' \
	check_eas_cert "${B[@]}" -t 3 "${J[@]}" --cert "$T/keybag.p12" "${P12PW[@]}"
json_unknown "the autodiscover plugin's option errors" 'no --address given' check_eas_autodiscover "${J[@]}"
run check_eas_options -H localhost -p 70000 --output-format json --output-format text
expect_first "the last --output-format wins (text)" 3 '^EAS OPTIONS UNKNOWN - --port: invalid value'

t_done
