# SPDX-License-Identifier: GPL-3.0-or-later
# t/lib/nginx-proxy.sh - nginx (Debian's nginx-light) as the reverse proxy
# in front of a TLS server on 127.0.0.1, with a short idle timeout
# (proxy_read_timeout): the proxy that cuts a request the server holds
# longer, as Direct Push's Ping. Its own config, logs and temporary files in
# $T/nginx; TLS with the test PKI's server certificate. Used by
# t/87-push.t and contrib/demo.sh. Source after test.sh; call after t_setup
# and t_pki.
#
#   nginx_proxy_start UPSTREAM_PORT READ_TIMEOUT
#       Proxies https://127.0.0.1:NGINX_PORT/ to https://127.0.0.1:UPSTREAM_PORT
#       with proxy_read_timeout READ_TIMEOUT seconds and waits until it
#       answers. Sets NGINX_PORT and NGINX_DIR (error.log, access.log).
#       Stopped by the test's clean-up (T_PIDS).
#   nginx_missing   print the missing Debian package (none: return 1)

nginx_missing() {
	command -v nginx >/dev/null && return 1
	echo nginx-light
}

nginx_proxy_start() {
	local upstream=${1:?usage: nginx_proxy_start UPSTREAM_PORT READ_TIMEOUT} timeout=${2:?} i
	NGINX_DIR=$T/nginx
	NGINX_PORT=$(t_freeport) || return 1
	mkdir -p "$NGINX_DIR"
	cat >"$NGINX_DIR/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 64; }
http {
	access_log $NGINX_DIR/access.log;
	client_body_temp_path $NGINX_DIR/body;
	proxy_temp_path $NGINX_DIR/proxy;
	fastcgi_temp_path $NGINX_DIR/fcgi;
	uwsgi_temp_path $NGINX_DIR/uwsgi;
	scgi_temp_path $NGINX_DIR/scgi;
	server {
		listen 127.0.0.1:$NGINX_PORT ssl;
		ssl_certificate $PKI/server.pem;
		ssl_certificate_key $PKI/server.key;
		location / {
			proxy_pass https://127.0.0.1:$upstream;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_read_timeout ${timeout}s;
		}
	}
}
CONF
	nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" 2>>"$NGINX_DIR/start.err" &
	T_PIDS+=("$!")
	for ((i = 0; i < 50; i++)); do
		curl -s -o /dev/null --cacert "$PKI/ca.pem" --resolve "localhost:$NGINX_PORT:127.0.0.1" \
			"https://localhost:$NGINX_PORT/" && return 0
		sleep 0.1
	done
	echo "# nginx did not start: $(cat "$NGINX_DIR/start.err" "$NGINX_DIR/error.log" 2>/dev/null | tail -n 3)"
	return 1
}
