#!/usr/bin/env python3
"""bench/soak's authority when NSD is not installed: soak. on UDP, ADDR PORT.

Answers as the zone in bench/soak says: SOA and NS at the apex, ns.soak. A 127.0.0.53,
*.hit.soak. A 192.0.2.1 (TTL 3600), any other name under soak. A 192.0.2.2 (TTL 60); other
types NODATA with the SOA; names outside soak. REFUSED. One thread, no EDNS in replies.
"""
import socket
import struct
import sys

SOA_RDATA = b"\x02ns\x04soak\x00\x05admin\x07invalid\x00" + struct.pack("!IIIII", 1, 1800, 900, 604800, 60)


def name_end(msg, p):
    while msg[p]:
        p += msg[p] + 1
    return p + 1


def answer(msg):
    if len(msg) < 12 or msg[2] & 0x80 or struct.unpack("!H", msg[4:6])[0] != 1:
        return None
    end = name_end(msg, 12)
    qtype = struct.unpack("!H", msg[end:end + 2])[0]
    labels, p = [], 12
    while msg[p]:
        labels.append(msg[p + 1:p + 1 + msg[p]].lower())
        p += msg[p] + 1
    question = msg[12:end + 4]
    flags = 0x8400 | (msg[2] & 1) << 8  # QR, AA, RD copied
    if not labels or labels[-1] != b"soak":
        return msg[:2] + struct.pack("!HHHHH", (flags & ~0x0400) | 5, 1, 0, 0, 0) + question
    records = b""
    if len(labels) == 1 and qtype in (6, 2):
        rdata = SOA_RDATA if qtype == 6 else b"\x02ns\x04soak\x00"
        records = b"\xc0\x0c" + struct.pack("!HHIH", qtype, 1, 3600, len(rdata)) + rdata
    elif qtype == 1 and len(labels) > 1:
        hit = len(labels) >= 3 and labels[-2] == b"hit"
        address = b"\x7f\x00\x00\x35" if labels == [b"ns", b"soak"] else bytes([192, 0, 2, 1 if hit else 2])
        records = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 3600 if hit else 60, 4) + address
    if records:
        return msg[:2] + struct.pack("!HHHHH", flags, 1, 1, 0, 0) + question + records
    soa = b"\x04soak\x00" + struct.pack("!HHIH", 6, 1, 60, len(SOA_RDATA)) + SOA_RDATA
    return msg[:2] + struct.pack("!HHHHH", flags, 1, 0, 1, 0) + question + soa


def main():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((sys.argv[1], int(sys.argv[2])))
    while True:
        msg, client = s.recvfrom(65535)
        try:
            reply = answer(msg)
        except (IndexError, struct.error):
            reply = None
        if reply:
            s.sendto(reply, client)


if __name__ == "__main__":
    main()
