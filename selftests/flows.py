#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Traffic for the session tests (31-session-life.sh, 32-session-scale.sh).

  flows.py server                 TCP and UDP servers (dual stack, ::):
      tcp 7001  echo, close on EOF (both FINs)
      tcp 7002  echo, keep the connection open after EOF (half close)
      tcp 7003  echo, keep open (idle)
      tcp 7010  sink: read to EOF, answer the sha256 of what came
      tcp 7011  source: send SIZE bytes (the first line the client sends),
                deterministic, then close
      udp 7053..7058, 9000  echo; "later N" also answers again after N s
  flows.py tcp HOST PORT --sport S --mode fin|half|rst|idle|syn [--hold T]
      [--wait-stdin]   (connect, send a line, then act once stdin has a line)
  flows.py tcpmany MODE,HOST,PORT,SPORT[,HOLD]...   several at once; each
      output line starts with its source port
  flows.py udp HOST PORT [--sport S] [--later N]
  flows.py udps HOST,PORT,SPORT...   one exchange each (a session each);
      fails if one got no answer ("--tries 1 --timeout T": expect none)
  flows.py many HOST PORT --count N --base B   one datagram from each of N
      source ports, answers counted; prints "answered N of M"
  flows.py latency HOST PORT --count N --base B   first-packet round trip
      of N new UDP sessions and of their second packet; prints medians (us)
  flows.py bulk-send HOST PORT --size BYTES   prints the local and remote
      sha256 (port 7010)
  flows.py bulk-recv HOST PORT --size BYTES   prints the expected and the
      received sha256 (port 7011)
"""
import argparse
import hashlib
import os
import select
import socket
import statistics
import struct
import sys
import threading
import time


def data_block(size):
    """Deterministic, incompressible-looking bytes."""
    out = bytearray()
    seed = b"svr"
    i = 0
    while len(out) < size:
        out += hashlib.sha256(seed + i.to_bytes(8, "big")).digest() * 32
        i += 1
    return bytes(out[:size])


def family_of(host):
    return socket.AF_INET6 if ":" in host else socket.AF_INET


# ---- server ---------------------------------------------------------------

def tcp_conn(conn, port):
    try:
        if port == 7010:
            h = hashlib.sha256()
            while True:
                b = conn.recv(65536)
                if not b:
                    break
                h.update(b)
            conn.sendall(h.hexdigest().encode() + b"\n")
            conn.close()
            return
        if port == 7011:
            line = b""
            while not line.endswith(b"\n"):
                b = conn.recv(1)
                if not b:
                    conn.close()
                    return
                line += b
            conn.sendall(data_block(int(line)))
            conn.close()
            return
        while True:
            b = conn.recv(65536)
            if not b:
                break
            conn.sendall(b)
        if port == 7001:
            conn.close()
            return
        time.sleep(600)
    except OSError:
        pass


def tcp_server(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port))
    s.listen(128)
    while True:
        conn, _ = s.accept()
        threading.Thread(target=tcp_conn, args=(conn, port),
                         daemon=True).start()


def udp_server(port):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
    s.bind(("::", port))
    while True:
        b, peer = s.recvfrom(2048)
        s.sendto(b, peer)
        if b.startswith(b"later "):
            t = threading.Timer(float(b.split()[1]), s.sendto,
                                args=(b"again " + b, peer))
            t.daemon = True
            t.start()


def cmd_server(a):
    for p in (7001, 7002, 7003, 7010, 7011):
        threading.Thread(target=tcp_server, args=(p,), daemon=True).start()
    for p in (7053, 7054, 7055, 7056, 7057, 7058, 9000):
        threading.Thread(target=udp_server, args=(p,), daemon=True).start()
    while True:
        time.sleep(3600)


# ---- clients --------------------------------------------------------------

def cmd_tcp(a):
    try:
        return tcp_flow(a)
    except OSError as e:
        print(getattr(a, "tag", "") + "error", e, flush=True)
        return 1


def cmd_tcpmany(a):
    """Several TCP flows at once: MODE,HOST,PORT,SPORT[,HOLD] each."""
    threads = []
    for spec in a.flows:
        f = spec.split(",")
        fa = argparse.Namespace(mode=f[0], host=f[1], port=int(f[2]),
                                sport=int(f[3]),
                                hold=float(f[4]) if len(f) > 4 else 30,
                                wait_stdin=False, tag="%s " % f[3])
        t = threading.Thread(target=cmd_tcp, args=(fa,))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    return 0


def tcp_flow(a):
    tag = getattr(a, "tag", "")
    fam = family_of(a.host)
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    if a.mode == "syn":
        # One SYN: give up before the kernel retransmits it (1 s).
        s.settimeout(0.5)
        try:
            s.connect((a.host, a.port))
        except OSError:
            pass
        print(tag + "syn sent", flush=True)
        s.close()
        return 0
    s.settimeout(10)
    s.connect((a.host, a.port))
    s.sendall(b"hello\n")
    got = s.recv(100)
    print(tag + "connected", got.strip().decode(), flush=True)
    if a.wait_stdin:
        sys.stdin.readline()
    if a.mode == "fin":
        s.shutdown(socket.SHUT_WR)
        while s.recv(100):
            pass
        s.close()
        print(tag + "closed", flush=True)
    elif a.mode == "half":
        s.shutdown(socket.SHUT_WR)
        print(tag + "half closed", flush=True)
        time.sleep(a.hold)
    elif a.mode == "rst":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                     struct.pack("ii", 1, 0))
        s.close()
        print(tag + "reset", flush=True)
    elif a.mode == "idle":
        time.sleep(a.hold)
        # The session is gone by now: does the connection still work?
        try:
            s.sendall(b"again\n")
            s.settimeout(3)
            print(tag + "after idle:", s.recv(100).strip().decode(), flush=True)
        except OSError as e:
            print(tag + "after idle: error", e, flush=True)
    return 0


def cmd_udp(a):
    fam = family_of(a.host)
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.sport:
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.sport))
    s.settimeout(3)
    s.connect((a.host, a.port))
    msg = ("later %g" % a.later).encode() if a.later else b"ping"
    for _ in range(3):
        s.send(msg)
        try:
            print("reply", s.recv(100).decode(), flush=True)
            break
        except socket.timeout:
            continue
    else:
        print("no reply", flush=True)
        return 1
    if a.later:
        s.settimeout(a.later + 3)
        try:
            print("second", s.recv(100).decode(), flush=True)
        except socket.timeout:
            print("no second reply", flush=True)
        except OSError as e:
            print("second: error", e, flush=True)
    return 0


def cmd_udps(a):
    """One exchange each for HOST,PORT,SPORT...: a session each."""
    bad = 0
    for spec in a.flows:
        host, port, sport = spec.rsplit(",", 2)
        fam = family_of(host)
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", int(sport)))
        s.settimeout(a.timeout)
        s.connect((host, int(port)))
        ok = False
        for _ in range(a.tries):
            try:
                s.send(b"q")
                if s.recv(100) == b"q":
                    ok = True
                    break
            except socket.timeout:
                continue
            except OSError as e:
                print(spec, "error", e, flush=True)
                break
        print(spec, "ok" if ok else "no reply", flush=True)
        bad += not ok
        s.close()
    return 1 if bad else 0


def open_sockets(fam, count, base):
    socks = []
    for i in range(count):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", base + i))
        s.setblocking(False)
        socks.append(s)
    return socks


def cmd_many(a):
    fam = family_of(a.host)
    socks = open_sockets(fam, a.count, a.base)
    poller = select.epoll()
    byfd = {}
    for s in socks:
        poller.register(s.fileno(), select.EPOLLIN)
        byfd[s.fileno()] = s
    todo = set(range(a.count))
    batch = a.batch
    for rnd in range(a.rounds):
        pending = sorted(todo)
        for off in range(0, len(pending), batch):
            chunk = pending[off:off + batch]
            for i in chunk:
                try:
                    socks[i].sendto(b"x", (a.host, a.port))
                except OSError:
                    pass
            deadline = time.time() + 2
            want = set(chunk)
            while want & todo and time.time() < deadline:
                for fd, _ in poller.poll(0.2):
                    s = byfd[fd]
                    try:
                        while s.recv(100):
                            todo.discard(s.getsockname()[1] - a.base)
                    except BlockingIOError:
                        pass
        if not todo:
            break
    print("answered %d of %d" % (a.count - len(todo), a.count), flush=True)
    if a.hold:
        time.sleep(a.hold)
    return 0 if not todo else 1


def cmd_latency(a):
    fam = family_of(a.host)
    first, second = [], []
    for i in range(a.count):
        s = socket.socket(fam, socket.SOCK_DGRAM)
        s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", a.base + i))
        s.settimeout(2)
        s.connect((a.host, a.port))
        for lst in (first, second):
            t0 = time.perf_counter()
            s.send(b"x")
            try:
                s.recv(100)
            except OSError:
                continue
            lst.append((time.perf_counter() - t0) * 1e6)
        s.close()
    if not first or not second:
        print("no answers", flush=True)
        return 1
    print("first %d second %d answered %d/%d" %
          (statistics.median(first), statistics.median(second),
           len(first), a.count), flush=True)
    return 0


def cmd_bulk_send(a):
    data = data_block(a.size)
    s = socket.create_connection((a.host, a.port), timeout=60)
    s.sendall(data)
    s.shutdown(socket.SHUT_WR)
    got = b""
    while True:
        b = s.recv(200)
        if not b:
            break
        got += b
    print(hashlib.sha256(data).hexdigest(), got.strip().decode(), flush=True)
    return 0


def cmd_bulk_recv(a):
    s = socket.create_connection((a.host, a.port), timeout=60)
    s.sendall(b"%d\n" % a.size)
    h = hashlib.sha256()
    n = 0
    while True:
        b = s.recv(1 << 16)
        if not b:
            break
        h.update(b)
        n += len(b)
    print(hashlib.sha256(data_block(a.size)).hexdigest(), h.hexdigest(),
          n, flush=True)
    return 0


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("server")
    t = sub.add_parser("tcp")
    t.add_argument("host")
    t.add_argument("port", type=int)
    t.add_argument("--sport", type=int, default=0)
    t.add_argument("--mode", default="fin",
                   choices=("fin", "half", "rst", "idle", "syn"))
    t.add_argument("--hold", type=float, default=30)
    t.add_argument("--wait-stdin", action="store_true",
                   help="after connecting, wait for a line on stdin")
    tm = sub.add_parser("tcpmany")
    tm.add_argument("flows", nargs="+")
    us = sub.add_parser("udps")
    us.add_argument("flows", nargs="+")
    us.add_argument("--timeout", type=float, default=3)
    us.add_argument("--tries", type=int, default=2)
    u = sub.add_parser("udp")
    u.add_argument("host")
    u.add_argument("port", type=int)
    u.add_argument("--sport", type=int, default=0)
    u.add_argument("--later", type=float, default=0)
    for name in ("many", "latency"):
        m = sub.add_parser(name)
        m.add_argument("host")
        m.add_argument("port", type=int)
        m.add_argument("--count", type=int, default=100)
        m.add_argument("--base", type=int, default=20000)
        m.add_argument("--batch", type=int, default=200)
        m.add_argument("--rounds", type=int, default=3)
        m.add_argument("--hold", type=float, default=0)
    for name in ("bulk-send", "bulk-recv"):
        b = sub.add_parser(name)
        b.add_argument("host")
        b.add_argument("port", type=int)
        b.add_argument("--size", type=int, default=4 << 20)
    a = p.parse_args()
    return {"server": cmd_server, "tcp": cmd_tcp, "tcpmany": cmd_tcpmany, "udps": cmd_udps, "udp": cmd_udp,
            "many": cmd_many, "latency": cmd_latency,
            "bulk-send": cmd_bulk_send,
            "bulk-recv": cmd_bulk_recv}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
