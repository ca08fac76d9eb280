# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/expiry-vhosts.sh - the certificate-expiry cases of the test PKI as
# Apache virtual hosts (t/40-certexpiry-server.t, and the docs' examples in
# t/85-docs.t). Source after t_pki.
#
#   vhost NAME CERT [KEY] [EXTRA]   one TLS virtual host on ${VPORT:-@PORT@}
#                                   with ${VPROTO:-TLS 1.2 and 1.3}, EXTRA
#                                   directives appended
#   expiry_vhosts                   localhost, then NAME.check-eas.test for
#                                   each expiry case (valid soon expired
#                                   future selfsigned nochain intshort
#                                   shortroot wronghost rsa1024 sha1)
vhost() {
	printf '<VirtualHost 127.0.0.1:%s>\n    ServerName %s\n    SSLEngine on\n' "${VPORT:-@PORT@}" "$1"
	printf '    SSLProtocol %s\n' "${VPROTO:--all +TLSv1.2 +TLSv1.3}"
	printf '    SSLCertificateFile "%s"\n    SSLCertificateKeyFile "%s"\n' "$2" "${3:-$PKI/server.key}"
	printf '    %s\n</VirtualHost>\n' "${4:-}"
}

expiry_vhosts() {
	local n
	vhost localhost "$PKI/server.pem"
	for n in valid soon expired future selfsigned nochain intshort shortroot; do
		vhost "$n.check-eas.test" "$PKI/srv-$n.pem"
	done
	vhost wronghost.check-eas.test "$PKI/srv-wronghost.pem" "" "ServerAlias wrong.example.net"
	vhost rsa1024.check-eas.test "$PKI/srv-rsa1024.pem" "$PKI/rsa1024.key" \
		"SSLCipherSuite DEFAULT:@SECLEVEL=1"
	vhost sha1.check-eas.test "$PKI/srv-sha1.pem" "" "SSLCipherSuite DEFAULT:@SECLEVEL=0"
}
