#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SVR between two routers, the hard cases: lost first packets, a first
# packet too big to carry metadata, a payload that looks like metadata,
# many sessions at once.
#
#   client ---lan--- rA ---wan--- rB ---srv--- server   (selftests/topo.sh)
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
trap cleanup_all_ns EXIT

topo_two_routers
topo_two_routers_config >/dev/null

# An nftables table on rB's WAN that drops what the case asks for, before
# svr (priority -400 < svr's -250).
lossy() { # nft rule body
	ip netns exec "$rB" nft -f - <<NFT
table inet lossy
delete table inet lossy
table inet lossy {
	chain pre {
		type filter hook prerouting priority -400;
		$1
	}
	chain out {
		type filter hook postrouting priority 0;
		$2
	}
}
NFT
}
lossy_off() { ip netns exec "$rB" nft delete table inet lossy 2>/dev/null; true; }

tcp_echo() { # payload -> what came back (client address line, then echo)
	echo "$1" | ip netns exec "$cl" timeout 90 socat -t 30 -T 60 - TCP4:203.0.113.10:80
}

case_first_forward_lost() {
	local out
	# Drop the first packet that carries metadata into rB.
	lossy 'iifname "wan" @ih,0,64 0x4c48dbc6ddf6670c limit rate 1/hour burst 1 packets counter drop' ''
	out=$(tcp_echo first-lost)
	ip netns exec "$rB" nft list table inet lossy | grep -q 'packets 1 ' || fail "nothing was dropped"
	lossy_off
	assert_eq "$(echo "$out" | sed -n 2p)" first-lost "data after a lost SYN"
}

case_first_reply_lost() {
	local out
	# Drop the first reply that carries metadata out of rB.
	lossy '' 'oifname "wan" @ih,0,64 0x4c48dbc6ddf6670c limit rate 1/hour burst 1 packets counter drop'
	out=$(tcp_echo reply-lost)
	ip netns exec "$rB" nft list table inet lossy | grep -q 'packets 1 ' || fail "nothing was dropped"
	lossy_off
	assert_eq "$(echo "$out" | sed -n 2p)" reply-lost "data after a lost SYN-ACK"
}

case_big_first_udp() {
	local got
	# 1472 bytes of payload fill a 1500-byte packet: metadata on top.
	got=$(ip netns exec "$cl" python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
data = bytes(range(256)) * 5 + bytes(192)
assert len(data) == 1472
for attempt in range(3):  # UDP: the application retries
    s.sendto(data, ("203.0.113.10", 53))
    try:
        reply, _ = s.recvfrom(65535)
        break
    except socket.timeout:
        continue
print("ok" if reply.split(b"\n", 1)[1] == data else "corrupt")
PY
)
	assert_eq "$got" ok "1472-byte datagram through SVR"
}

case_bulk_tcp() {
	local sum_in sum_out
	head -c 3000000 /dev/urandom >/tmp/bulk.in
	sum_in=$(sha256sum </tmp/bulk.in)
	sum_out=$(ip netns exec "$cl" timeout 120 socat -t 10 -T 60 - TCP4:203.0.113.10:80 </tmp/bulk.in |
		tail -c 3000000 | sha256sum)
	assert_eq "$sum_out" "$sum_in" "3 MB echoed intact"
}

case_cookie_payload() {
	local got
	got=$(ip netns exec "$cl" python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
data = bytes.fromhex("4c48dbc6ddf6670c100c0000") + b"looks like metadata"
for i in range(3):  # the first carries metadata, the others not
    s.sendto(data, ("203.0.113.10", 53))
    reply, _ = s.recvfrom(65535)
    if reply.split(b"\n", 1)[1] != data:
        print("corrupt", i)
        raise SystemExit
print("ok")
PY
)
	assert_eq "$got" ok "cookie-looking payloads arrive unchanged"
	assert_ge "$(svr_counter "$rA" md_markers_added)" 1 "markers added by rA"
}

case_1000_sessions() {
	local got
	got=$(ip netns exec "$cl" python3 - <<'PY'
import select, socket, time
socks = []
for i in range(1000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    s.sendto(b"s%d" % i, ("203.0.113.10", 53))
    socks.append(s)
    if i % 50 == 49:
        time.sleep(0.05)
pending = set(socks)
# A datagram lost on a loaded host (a full queue) is sent again on the same
# socket, as a client would: the same session, so every one must answer.
for attempt in range(4):
    deadline = time.time() + 15
    while pending and time.time() < deadline:
        r, _, _ = select.select(list(pending), [], [], 1)
        for s in r:
            s.recv(100)
            pending.discard(s)
    for s in pending:
        s.sendto(b"again", ("203.0.113.10", 53))
print(1000 - len(pending))
PY
)
	assert_eq "$got" 1000 "answers"
	assert_ge "$(A -j session show service dns | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1000 "sessions on rA"
	assert_ge "$(B -j session show service dns | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" 1000 "sessions on rB"
}

# A client that reuses its source port at once (the server closed first and
# holds the TIME_WAIT): the new connection must get new sessions, not ride
# the closed ones until they expire under it (its sessions are looked at
# while it is open; its last exchange comes at least 3 s later, after the
# old sessions' closing second).
case_port_reuse() {
	local out ra rb pid cpid st r
	for r in A B; do
		$r service add reuse prefix 203.0.113.0/24 proto tcp port 8080 allow blue
	done
	A route add reuse via peer rB
	B route add reuse via fib
	ip netns exec "$sv" python3 - <<'PY' &
import socket
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("203.0.113.10", 8080))
ls.listen(4)
for _ in range(2):
    c, _ = ls.accept()
    f = c.makefile("rwb", buffering=0)
    for line in f:
        f.write(line)
        if line == b"bye\n":
            break
    f.close()
    c.close()	# the server closes first: TIME_WAIT is here
PY
	pid=$!
	wait_listen "$sv" 8080
	ra=$(svr_counter "$rA" sessions_tcp_reopened)
	rb=$(svr_counter "$rB" sessions_tcp_reopened)
	rm -f /tmp/svr-reuse.mark /tmp/svr-reuse.go
	ip netns exec "$cl" python3 - >/tmp/svr-reuse.out 2>&1 <<'PY' &
import os, socket, time
def conn(lines, pause):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.settimeout(10)
    s.bind(("198.18.1.2", 40200))
    s.connect(("203.0.113.10", 8080))
    got = []
    for i, l in enumerate(lines):
        if i == len(lines) - 2 and pause:
            # Told to go on once the routers' sessions were looked at,
            # and not before the old sessions' closing second is over.
            open("/tmp/svr-reuse.mark", "w").close()
            t = time.time()
            while not os.path.exists("/tmp/svr-reuse.go") and time.time() < t + 120:
                time.sleep(0.2)
            time.sleep(max(0, t + pause - time.time()))
        s.sendall(l.encode() + b"\n")
        got.append(s.recv(100).decode().strip())
    s.recv(100)		# the server's FIN
    s.close()
    return " ".join(got)
try:
    print(conn(["one", "two", "bye"], 0))
    print(conn(["three", "four", "bye"], 3))
except OSError as e:
    print("error", e)
PY
	cpid=$!
	# The second connection, open: its sessions are new (not the closed ones).
	busywait 30000 test -e /tmp/svr-reuse.mark || fail "the second connection did not start"
	A -o session show service reuse | sed 's/^/# rA: /'
	for r in A B; do
		st=$($r -o session show service reuse | awk '$1 == "session" { for (i = 1; i < NF; i++) if ($i == "state") print $(i + 1) }')
		assert_eq "$st" established "r$r: the second connection's session"
	done
	touch /tmp/svr-reuse.go
	wait $cpid || true
	# The server ends after two connections (or is stopped here): its
	# status does not matter.
	kill $pid 2>/dev/null || true
	wait $pid 2>/dev/null || true
	out=$(cat /tmp/svr-reuse.out)
	echo "$out" | sed 's/^/# /'
	assert_eq "$(echo "$out" | tail -n1)" "three four bye" "the second connection" || return 1
	assert_ge "$(svr_counter "$rA" sessions_tcp_reopened)" $((ra + 1)) "rA sessions_tcp_reopened"
	assert_ge "$(svr_counter "$rB" sessions_tcp_reopened)" $((rb + 1)) "rB sessions_tcp_reopened"
}

ktap_header 7
run_case "the first forward packet lost: the session still comes up" case_first_forward_lost
run_case "the first reply lost: the session still comes up" case_first_reply_lost
run_case "a 1472-byte UDP first packet gets through" case_big_first_udp
run_case "bulk TCP with full-size segments, data intact" case_bulk_tcp
run_case "a payload that starts with the cookie arrives unchanged" case_cookie_payload
run_case "1,000 concurrent sessions" case_1000_sessions
run_case "a client port reused at once gets new sessions" case_port_reuse
cleanup_all_ns
svr_unload
ktap_finish
