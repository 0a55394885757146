#!/usr/bin/env python3
"""bench/soak's load when dnsperf is not installed: HOST PORT FILE SECONDS RATE.

Asks the questions of FILE ("name type" a line, in a loop) over UDP for SECONDS, RATE a second
(0: as fast as answered, at most 200 outstanding), with a 2 s timeout; prints a summary in
dnsperf's words (Queries sent/completed/lost, Response codes, Queries per second).
"""
import collections
import random
import selectors
import socket
import struct
import sys
import time

TYPES = {"A": 1, "NS": 2, "SOA": 6, "AAAA": 28, "DS": 43, "DNSKEY": 48}
RCODES = {0: "NOERROR", 1: "FORMERR", 2: "SERVFAIL", 3: "NXDOMAIN", 4: "NOTIMP", 5: "REFUSED"}


def wire(name, qtype, qid):
    labels = b"".join(bytes([len(l)]) + l.encode() for l in name.rstrip(".").split(".") if l)
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1) + labels + b"\x00" + struct.pack("!HH", TYPES.get(qtype, 1), 1) \
        + b"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00"


def main():
    host, port, path, seconds, rate = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), float(sys.argv[5])
    questions = [line.split() for line in open(path) if line.strip()]
    sockets = []
    for _ in range(8):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect((host, port))
        s.setblocking(False)
        sockets.append(s)
    sel = selectors.DefaultSelector()
    for s in sockets:
        sel.register(s, selectors.EVENT_READ)
    pending, rcodes = {}, collections.Counter()
    sent = completed = lost = 0
    start = time.monotonic()
    end = start + seconds
    i = 0
    while True:
        now = time.monotonic()
        if now >= end and not pending:
            break
        while now < end and len(pending) < 200 and (rate <= 0 or sent < (now - start) * rate):
            name, qtype = questions[i % len(questions)][:2]
            i += 1
            s = sockets[i % len(sockets)]
            qid = random.getrandbits(16)
            if (s.fileno(), qid) in pending:
                continue
            try:
                s.send(wire(name, qtype, qid))
            except BlockingIOError:
                break
            pending[(s.fileno(), qid)] = now
            sent += 1
        for key, _ in sel.select(0.005):
            while True:
                try:
                    reply = key.fileobj.recv(65535)
                except BlockingIOError:
                    break
                if len(reply) >= 12 and pending.pop((key.fileobj.fileno(), struct.unpack("!H", reply[:2])[0]), None) is not None:
                    completed += 1
                    rcodes[RCODES.get(reply[3] & 0xF, str(reply[3] & 0xF))] += 1
        for k in [k for k, t in pending.items() if time.monotonic() - t > 2]:
            del pending[k]
            lost += 1
    elapsed = time.monotonic() - start
    print(f"  Queries sent:         {sent}")
    print(f"  Queries completed:    {completed} ({100.0 * completed / max(sent, 1):.2f}%)")
    print(f"  Queries lost:         {lost} ({100.0 * lost / max(sent, 1):.2f}%)")
    print("  Response codes:       " + ", ".join(f"{k} {v} ({100.0 * v / max(completed, 1):.2f}%)" for k, v in rcodes.most_common()))
    print(f"  Queries per second:   {completed / elapsed:.6f}")


if __name__ == "__main__":
    main()
