#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""UDP test server: answer each datagram with the sender's address, a
newline and the data, DELAY seconds later (default 0: at once).
Usage: udp-echo.py PORT [4|6] [DELAY]"""
import socket
import sys
import time

port = int(sys.argv[1])
v6 = len(sys.argv) > 2 and sys.argv[2] == "6"
delay = float(sys.argv[3]) if len(sys.argv) > 3 else 0
s = socket.socket(socket.AF_INET6 if v6 else socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("::" if v6 else "0.0.0.0", port))
while True:
    d, a = s.recvfrom(65535)
    if delay:
        time.sleep(delay)
    s.sendto(a[0].encode() + b"\n" + d, a)
