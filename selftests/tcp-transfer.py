#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""A paced TCP transfer to the topology's echo server (port 80: it
answers the client's address, a newline, then echoes), long enough for
something to happen in the middle of it (a failover): by default 300
chunks of 10,240 bytes, one every 50 ms (PAUSE 0: as fast as TCP goes).
Prints "ok" when the echo is the data sent, byte for byte, else
"corrupt N".
Usage: tcp-transfer.py [ADDRESS [PORT [CHUNKS [PAUSE]]]]"""
import hashlib
import socket
import sys
import threading
import time

addr = sys.argv[1] if len(sys.argv) > 1 else "203.0.113.10"
port = int(sys.argv[2]) if len(sys.argv) > 2 else 80
chunks = int(sys.argv[3]) if len(sys.argv) > 3 else 300
pause = float(sys.argv[4]) if len(sys.argv) > 4 else 0.05
s = socket.create_connection((addr, port), timeout=90)
s.settimeout(90)
got = []


def reader():  # read while sending: the echo must never stall the sender
    while True:
        d = s.recv(65536)
        if not d:
            break
        got.append(d)


t = threading.Thread(target=reader)
t.start()
sent = hashlib.sha256()
chunk = bytes(range(256)) * 40
for i in range(chunks):
    s.sendall(chunk)
    sent.update(chunk)
    if pause:
        time.sleep(pause)
s.shutdown(socket.SHUT_WR)
t.join()
echo = b"".join(got).split(b"\n", 1)[1]
print("ok" if hashlib.sha256(echo).hexdigest() == sent.hexdigest() else
      "corrupt %d" % len(echo))
