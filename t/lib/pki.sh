# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/pki.sh - test PKI for the check-eas integration tests.
#
#   . t/lib/pki.sh
#   pki_init DIR        # builds the PKI in DIR, exports PKI=DIR
#
# Only the openssl CLI is used. Keys are generated once (in parallel) and
# reused where it does not matter; exact past/future validity windows come
# from "openssl ca -startdate/-enddate" (OpenSSL 3.0 has no
# "x509 -not_before"). DIR/README lists every file.

# _pki_date 'now - 10 days' -> 20240101120000Z (UTC, GeneralizedTime)
_pki_date() {
	date -u -d "$1" +%Y%m%d%H%M%SZ
}

# _pki_key FILE [BITS] - RSA key, PKCS#8 PEM
_pki_key() {
	openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:${2:-2048}" \
		-out "$1" 2>>.ca/log
}

# _pki_csr NAME - NAME.key -> .ca/NAME.csr (subject is set when signing)
_pki_csr() {
	openssl req -new -key "$1.key" -subj "/CN=$1" -out ".ca/$1.csr" 2>>.ca/log
}

# _pki_sign OUT CSR ISSUER SUBJECT EXTSECTION [openssl-ca options...]
#   ISSUER is the basename of ISSUER.pem/ISSUER.key, or "self" for a
#   self-signed certificate (signed with the CSR's own key, KEY=CSR name).
#   Options: -days N | -startdate D -enddate D | -md sha1
_pki_sign() {
	local out=$1 csr=$2 issuer=$3 subj=$4 ext=$5
	local -a signer
	shift 5
	if [[ $issuer == self ]]; then
		signer=(-selfsign -keyfile "$csr.key")
	else
		signer=(-cert "$issuer.pem" -keyfile "$issuer.key")
	fi
	openssl ca -batch -config .ca/ca.cnf -notext -preserveDN \
		-in ".ca/$csr.csr" "${signer[@]}" -subj "$subj" \
		-extfile .ca/ca.cnf -extensions "$ext" -out "$out" "$@" \
		>>.ca/log 2>&1
}

# _pki_server NAME ISSUER [ca options] - srv-NAME.pem with server.key
_pki_server() {
	local name=$1 issuer=$2
	shift 2
	PKI_SAN="DNS:localhost,DNS:$name.check-eas.test,IP:127.0.0.1" \
		_pki_sign "srv-$name.pem" server "$issuer" \
		"/O=check-eas test/CN=$name.check-eas.test" ext_server "$@"
}

_pki_build() {
	local pids=() pid k
	local client_subj="/O=check-eas test/CN=user@example.com"

	mkdir -p .ca/new capath
	: >.ca/index.txt
	echo "unique_subject = no" >.ca/index.txt.attr
	openssl rand -hex 8 >.ca/serial
	export PKI_SAN="DNS:localhost"
	cat >.ca/ca.cnf <<'EOF'
[ ca ]
default_ca = test_ca

[ test_ca ]
dir = .ca
database = $dir/index.txt
new_certs_dir = $dir/new
serial = $dir/serial
default_md = sha256
default_days = 365
policy = policy_any
unique_subject = no
email_in_dn = no
copy_extensions = none

[ policy_any ]
commonName = supplied

[ ext_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash

[ ext_int ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always

[ ext_server ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = $ENV::PKI_SAN

[ ext_client ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
subjectAltName = email:user@example.com
EOF

	# --- keys (+ CSRs), generated in parallel -------------------------
	for k in ca int int-short shortroot foreign-ca server client; do
		{ _pki_key "$k.key" && _pki_csr "$k"; } &
		pids+=($!)
	done
	{ _pki_key rsa1024.key 1024 && _pki_csr rsa1024; } &
	pids+=($!)
	for pid in "${pids[@]}"; do
		wait "$pid" || return 1
	done
	chmod 600 ./*.key

	# --- CAs -----------------------------------------------------------
	_pki_sign ca.pem ca self "/O=check-eas test/CN=check-eas Test Root CA" \
		ext_root -days 3650 || return 1
	_pki_sign int.pem int ca "/O=check-eas test/CN=check-eas Test Intermediate CA" \
		ext_int -days 1825 || return 1
	_pki_sign int-short.pem int-short ca \
		"/O=check-eas test/CN=check-eas Test Short-lived Intermediate CA" \
		ext_int -days 10 || return 1
	_pki_sign shortroot.pem shortroot self \
		"/O=check-eas test/CN=check-eas Test Short-lived Root CA" \
		ext_root -days 7 || return 1
	_pki_sign foreign-ca.pem foreign-ca self "/O=Foreign Org/CN=Foreign CA" \
		ext_root -days 3650 || return 1
	cp ca.pem capath/ca.pem
	openssl rehash capath >>.ca/log 2>&1 || return 1

	# --- servers -------------------------------------------------------
	PKI_SAN="DNS:localhost,IP:127.0.0.1" _pki_sign server.pem server ca \
		"/O=check-eas test/CN=localhost" ext_server -days 365 || return 1
	PKI_SAN="DNS:localhost,IP:127.0.0.1" _pki_sign .ca/server-int.pem server int \
		"/O=check-eas test/CN=localhost" ext_server -days 365 || return 1
	cat .ca/server-int.pem int.pem >server-chain.pem

	_pki_server valid ca -days 365 || return 1
	_pki_server soon ca -days 5 || return 1
	_pki_server expired ca -startdate "$(_pki_date 'now - 60 days')" \
		-enddate "$(_pki_date 'now - 3 days')" || return 1
	_pki_server future ca -startdate "$(_pki_date 'now + 30 days')" \
		-enddate "$(_pki_date 'now + 395 days')" || return 1
	_pki_server selfsigned self -days 365 || return 1
	PKI_SAN="DNS:wrong.example.net" _pki_sign srv-wronghost.pem server ca \
		"/O=check-eas test/CN=wrong.example.net" ext_server -days 365 || return 1
	_pki_server nochain int -days 365 || return 1
	_pki_server intshort int-short -days 365 || return 1
	cat int-short.pem >>srv-intshort.pem
	PKI_SAN="DNS:localhost,DNS:rsa1024.check-eas.test,IP:127.0.0.1" \
		_pki_sign srv-rsa1024.pem rsa1024 ca \
		"/O=check-eas test/CN=rsa1024.check-eas.test" ext_server -days 365 || return 1
	_pki_server sha1 ca -days 365 -md sha1 || return 1
	_pki_server shortroot shortroot -days 365 || return 1

	# --- clients -------------------------------------------------------
	_pki_sign client.pem client ca "$client_subj" ext_client -days 365 || return 1
	_pki_sign client-soon.pem client ca "$client_subj" ext_client -days 5 || return 1
	_pki_sign client-expired.pem client ca "$client_subj" ext_client \
		-startdate "$(_pki_date 'now - 375 days')" \
		-enddate "$(_pki_date 'now - 10 days')" || return 1
	_pki_sign client-foreign.pem client foreign-ca "$client_subj" ext_client \
		-days 365 || return 1
	cp client.key client-expired.key
	cp client.key client-foreign.key
	cp server.key client-nomatch.key # any key but client.key will do
	openssl x509 -in client.pem -outform DER -out client.der 2>>.ca/log || return 1

	(umask 077
	 printf '%s\n' 's3cret-key' >client-key.pass
	 printf '%s\n' 's3cret-p12' >client.p12.pass
	 printf '%s\n' 'wrong-password' >client-wrong.pass) || return 1
	openssl pkey -in client.key -aes256 -passout file:client-key.pass \
		-out client-enc.key 2>>.ca/log || return 1
	openssl pkcs12 -export -in client.pem -inkey client.key -certfile ca.pem \
		-name user@example.com -passout file:client.p12.pass \
		-out client.p12 2>>.ca/log || return 1
	openssl pkcs12 -export -legacy -in client.pem -inkey client.key \
		-certfile ca.pem -name user@example.com \
		-passout file:client.p12.pass -out client-legacy.p12 2>>.ca/log || return 1
	openssl pkcs12 -export -in client.pem -inkey client.key -certfile ca.pem \
		-name user@example.com -passout pass: \
		-out client-nopass.p12 2>>.ca/log || return 1
	chmod 600 ./*.key ./*.p12

	_pki_readme >README
}

_pki_readme() {
	cat <<'EOF'
check-eas test PKI (generated by t/lib/pki.sh; RSA-2048/SHA-256 unless noted)

CAs
  ca.pem / ca.key            "check-eas Test Root CA", 10 years
  capath/                    hashed directory containing ca.pem
  int.pem / int.key          "check-eas Test Intermediate CA" (by root), 5 years
  int-short.pem / .key       "check-eas Test Short-lived Intermediate CA" (by root), expires in 10 days
  shortroot.pem / .key       "check-eas Test Short-lived Root CA" (self-signed), expires in 7 days
  foreign-ca.pem / .key      unrelated root "Foreign CA"

Server (CN=localhost, SAN DNS:localhost, IP:127.0.0.1)
  server.pem / server.key    signed by the root, 1 year
  server-chain.pem           leaf signed by the intermediate + int.pem (key: server.key)

Expiry-checker servers: srv-NAME.pem is exactly what the server sends (leaf
first, then any intermediate); key server.key unless noted;
CN=NAME.check-eas.test, SAN DNS:localhost, DNS:NAME.check-eas.test, IP:127.0.0.1
  srv-valid.pem        by root, 1 year
  srv-soon.pem         by root, expires in 5 days
  srv-expired.pem      by root, expired 3 days ago
  srv-future.pem       by root, not valid before 30 days from now
  srv-selfsigned.pem   self-signed (not by the root)
  srv-wronghost.pem    CN/SAN DNS:wrong.example.net only (no IP, no localhost)
  srv-nochain.pem      signed by int.pem, leaf only (intermediate NOT included)
  srv-intshort.pem     signed by int-short.pem (10 days), leaf 1 year; leaf + int-short.pem
  srv-rsa1024.pem      RSA-1024 key rsa1024.key, by root
  srv-sha1.pem         by root, signature sha1WithRSAEncryption
  srv-shortroot.pem    signed by shortroot.pem (root not included)

Client (CN=user@example.com, SAN email:user@example.com, EKU clientAuth)
  client.pem / client.key    by root, 1 year
  client.der                 client.pem in DER
  client-enc.key             client.key encrypted (PKCS#8, AES-256), password in client-key.pass
  client.p12                 cert + key + ca.pem, OpenSSL 3 default (AES-256-CBC/PBKDF2), password in client.p12.pass ("s3cret-p12")
  client-legacy.p12          same, -legacy (RC2-40 / 3DES), password in client.p12.pass
  client-nopass.p12          same, empty password
  client-soon.pem            by root, expires in 5 days (key client.key)
  client-expired.pem / .key  by root, expired 10 days ago (same key as client.key)
  client-foreign.pem / .key  signed by foreign-ca.pem (same key as client.key)
  client-wrong.pass          a wrong password
  client-nomatch.key         a key that does not match client.pem (a copy of server.key)

Password files hold the password followed by a newline.
.ca/ holds the openssl ca database, CSRs and the generation log.
EOF
}

# pki_init DIR - build the test PKI in DIR (created if needed); exports PKI.
pki_init() {
	local dir=${1:?usage: pki_init DIR}

	mkdir -p "$dir/.ca" || return 1
	if ! (cd "$dir" && umask 022 && _pki_build); then
		echo "pki_init: PKI generation failed in $dir; log:" >&2
		sed 's/^/  /' "$dir/.ca/log" >&2
		return 1
	fi
	PKI=$(cd "$dir" && pwd)
	export PKI
}
