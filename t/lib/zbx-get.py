#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
# zbx-get.py HOST PORT KEY - ask a Zabbix agent for KEY over the passive
# protocol ("ZBXD\1", 4-byte little-endian length, 4 reserved bytes, the
# key), as the server or zabbix_get would (Debian ships no zabbix_get with
# the agent). Prints the value; exit 2 with "ZBX_NOTSUPPORTED: why" when
# the agent refuses the key, 1 on a protocol error.
import socket
import struct
import sys

host, port, key = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
with socket.create_connection((host, port), timeout=60) as s:
    s.sendall(b"ZBXD\x01" + struct.pack("<II", len(key), 0) + key)
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
if len(data) < 13 or data[:4] != b"ZBXD":
    print("not a Zabbix answer: %r" % data[:40])
    sys.exit(1)
(n,) = struct.unpack("<I", data[5:9])
body = data[13:13 + n]
if body.startswith(b"ZBX_NOTSUPPORTED"):
    print("ZBX_NOTSUPPORTED: " + body[17:].decode("utf-8", "replace"))
    sys.exit(2)
sys.stdout.write(body.decode("utf-8"))
