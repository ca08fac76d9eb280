#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""dns-responder - a DNS server with answers dnsmasq cannot give, for t/74-dns.t.

    dns-responder.py PORTFILE

Listens on 127.0.0.1 on one free port, UDP and TCP, writes the port to
PORTFILE (atomically) and answers by the domain asked for (any type unless
said; the answer to anything else is REFUSED):

  huge.test       UDP: truncated (TC, no records); TCP: some 60 KB, 230 TXT
                  records and then A 127.0.0.1 (AAAA: none)
  hugesrv.test    SRV: UDP truncated; TCP: 1400 records (some 60 KB), all
                  priority 10, targets down-N.hugesrv.test port 9 (those
                  names: NXDOMAIN)
  liar.test       UDP: truncated; TCP: claims 65535 bytes, sends 5000 of
                  them and closes
  noaddr.test     an A record of 3 bytes, an AAAA record of 5: no usable
                  address
  malformed.test  says 3 answer records, has none
  compress.test   an A record whose owner name points at itself
  loop.test       NAME -> CNAME b.loop.test -> CNAME NAME
  chain.test      NAME -> CNAME x.NAME (one per answer): endless
  hop.test        hN.hop.test -> CNAME h(N+1).hop.test (one per answer),
                  h3.hop.test: A 127.0.0.1

Every query is logged to stderr, one line: "udp|tcp NAME TYPE". Ends on
SIGTERM, or by itself after 300 seconds.
"""
import os
import signal
import socket
import struct
import sys
import threading

A, CNAME, TXT, AAAA, SRV = 1, 5, 16, 28, 33


def encode(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_query(q):
    labels, i = [], 12
    while i < len(q) and q[i]:
        n = q[i]
        labels.append(q[i + 1:i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    qtype = struct.unpack(">H", q[i + 1:i + 3])[0] if i + 3 <= len(q) else 0
    return ".".join(labels), qtype, q[12:i + 5]


class Answer:
    def __init__(self, q, rcode=0, tc=False):
        self.id = q[:2]
        self.question = parse_query(q)[2]
        self.rcode, self.tc, self.records, self.count = rcode, tc, b"", 0

    def rr(self, owner, rtype, rdata, owner_raw=None):
        self.records += (owner_raw if owner_raw is not None else encode(owner))
        self.records += struct.pack(">HHIH", rtype, 1, 300, len(rdata)) + rdata
        self.count += 1

    def wire(self, count=None):
        flags = 0x8180 | (0x0200 if self.tc else 0) | self.rcode
        return (self.id + struct.pack(">HHHHH", flags, 1, self.count if count is None else count,
                                      0, 0) + self.question + self.records)


def answer(q, tcp):
    name, qtype, _ = parse_query(q)
    lname = name.lower()
    a = Answer(q)

    def within(domain):
        return lname == domain or lname.endswith("." + domain)

    if within("huge.test"):
        if not tcp:
            a.tc = True
        elif qtype == A:
            for _ in range(230):
                a.rr(name, TXT, bytes([250]) + b"x" * 250)
            a.rr(name, A, bytes([127, 0, 0, 1]))
    elif within("hugesrv.test"):
        if qtype == SRV and not tcp:
            a.tc = True
        elif qtype == SRV:
            for i in range(1400):
                a.rr(None, SRV, struct.pack(">HHH", 10, 1, 9) +
                     encode("down-%d.hugesrv.test" % i), owner_raw=b"\xc0\x0c")
        elif lname != "hugesrv.test":
            a.rcode = 3
    elif within("liar.test"):
        if not tcp:
            a.tc = True
        else:
            return "liar"
    elif within("noaddr.test"):
        if qtype == A:
            a.rr(name, A, b"\x7f\x00\x01")
        elif qtype == AAAA:
            a.rr(name, AAAA, b"\0" * 5)
    elif within("malformed.test"):
        return a.wire(count=3)
    elif within("compress.test"):
        here = 12 + len(a.question)
        a.rr(None, A, bytes([127, 0, 0, 1]), owner_raw=struct.pack(">H", 0xC000 | here))
    elif within("loop.test"):
        other = "b.loop.test" if lname != "b.loop.test" else "a.loop.test"
        a.rr(name, CNAME, encode(other))
        a.rr(other, CNAME, encode(name))
    elif within("chain.test"):
        a.rr(name, CNAME, encode("x." + name))
    elif within("hop.test"):
        first = lname.split(".")[0]
        n = int(first[1:]) if first[:1] == "h" and first[1:].isdigit() else 0
        if n >= 3:
            if qtype == A:
                a.rr(name, A, bytes([127, 0, 0, 1]))
        else:
            a.rr(name, CNAME, encode("h%d.hop.test" % (n + 1)))
    else:
        a.rcode = 5
    return a.wire()


def log(how, q):
    name, qtype, _ = parse_query(q)
    sys.stderr.write("%s %s %d\n" % (how, name, qtype))
    sys.stderr.flush()


def serve_udp(s):
    while True:
        q, peer = s.recvfrom(4096)
        if len(q) < 12:
            continue
        log("udp", q)
        r = answer(q, False)
        if r != "liar":
            s.sendto(r[:512], peer)


def serve_tcp_one(c):
    try:
        c.settimeout(10)
        while True:
            head = c.recv(2, socket.MSG_WAITALL)
            if len(head) < 2:
                return
            q = c.recv(struct.unpack(">H", head)[0], socket.MSG_WAITALL)
            log("tcp", q)
            r = answer(q, True)
            if r == "liar":
                c.sendall(struct.pack(">H", 65535) + q[:2] + b"\x81\x80" + b"\0" * 4996)
                return
            c.sendall(struct.pack(">H", len(r)) + r)
    except OSError:
        pass
    finally:
        c.close()


def serve_tcp(s):
    while True:
        c, _ = s.accept()
        threading.Thread(target=serve_tcp_one, args=(c,), daemon=True).start()


def main():
    portfile = sys.argv[1]
    for _ in range(50):
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.bind(("127.0.0.1", 0))
        port = u.getsockname()[1]
        t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            t.bind(("127.0.0.1", port))
            break
        except OSError:
            u.close()
            t.close()
    else:
        sys.exit("dns-responder: no free port for UDP and TCP")
    t.listen(16)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    signal.alarm(300)
    threading.Thread(target=serve_udp, args=(u,), daemon=True).start()
    threading.Thread(target=serve_tcp, args=(t,), daemon=True).start()
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % port)
    os.rename(portfile + ".tmp", portfile)
    signal.pause()


if __name__ == "__main__":
    main()
