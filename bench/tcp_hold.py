#!/usr/bin/env python3
"""bench/tcp_hold.py: holds TCP connections to a DNS server the way an attacker starving its
TCP slots would, for bench/tcp-starvation.

    tcp_hold.py HOST PORT --slow N --idle M [--per-address K] [--first-address 127.0.1.1]

Slow connections send a length prefix announcing 1,000 octets, then one octet a second, and
never finish. Idle connections send nothing. Each connection closed or reset by the server is
opened again at once (at most one new connection per slot every 100 ms, so that a server
refusing everything is not hammered). Connections come from K per source address, counting up
from --first-address (all of 127.0.0.0/8 is loopback on Linux). Prints "ready" on stdout once
all are first open, and on SIGTERM (or after --seconds) a summary line on stdout:

    held slow=150 idle=150 reopened=412 refused=0

where reopened counts the connections the server closed and that were opened again, refused
the connection attempts that failed.
"""

import argparse
import ipaddress
import selectors
import signal
import socket
import sys
import time

TRICKLE_SECONDS = 1.0
REOPEN_PAUSE = 0.1


class Slot:
    def __init__(self, kind, source):
        self.kind = kind
        self.source = source
        self.sock = None
        self.next_byte = 0.0
        self.retry_at = 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("host")
    parser.add_argument("port", type=int)
    parser.add_argument("--slow", type=int, default=150)
    parser.add_argument("--idle", type=int, default=150)
    parser.add_argument("--per-address", type=int, default=5)
    parser.add_argument("--first-address", default="127.0.1.1")
    parser.add_argument("--seconds", type=float, default=3600)
    args = parser.parse_args()

    first = ipaddress.IPv4Address(args.first_address)
    kinds = ["slow"] * args.slow + ["idle"] * args.idle
    slots = [Slot(kind, str(first + i // args.per_address)) for i, kind in enumerate(kinds)]
    selector = selectors.DefaultSelector()
    stats = {"reopened": 0, "refused": 0}
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(True))

    def open_slot(slot, now):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind((slot.source, 0))
            sock.settimeout(2)
            sock.connect((args.host, args.port))
            sock.setblocking(False)
            if slot.kind == "slow":
                sock.send(b"\x03\xe8")  # 1,000 octets to follow
                slot.next_byte = now + TRICKLE_SECONDS
        except OSError:
            sock.close()
            stats["refused"] += 1
            slot.retry_at = now + REOPEN_PAUSE
            return
        slot.sock = sock
        selector.register(sock, selectors.EVENT_READ, slot)

    def drop(slot, now):
        selector.unregister(slot.sock)
        slot.sock.close()
        slot.sock = None
        slot.retry_at = now + REOPEN_PAUSE
        stats["reopened"] += 1

    for slot in slots:
        open_slot(slot, time.monotonic())
    print("ready", flush=True)
    deadline = time.monotonic() + args.seconds
    while not stop and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=0.1):
            slot = key.data
            try:
                data = slot.sock.recv(4096)
            except OSError:
                data = b""
            if not data:  # closed or reset by the server
                drop(slot, time.monotonic())
        now = time.monotonic()
        for slot in slots:
            if slot.sock is None:
                if now >= slot.retry_at:
                    open_slot(slot, now)
                continue
            if slot.kind == "slow" and now >= slot.next_byte:
                try:
                    slot.sock.send(b"x")
                    slot.next_byte = now + TRICKLE_SECONDS
                except OSError:
                    drop(slot, now)
    held_slow = sum(1 for s in slots if s.sock is not None and s.kind == "slow")
    held_idle = sum(1 for s in slots if s.sock is not None and s.kind == "idle")
    print(f"held slow={held_slow} idle={held_idle} reopened={stats['reopened']} refused={stats['refused']}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
