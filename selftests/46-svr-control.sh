#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SVR control messages (§4.6): delete-session when a session ends on one
# side, keepalives on idle UDP sessions, forged messages refused.
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#   198.18.1.2       192.0.2.1    192.0.2.2    203.0.113.10
#
# 47-svr-keepalive-nat.sh runs keepalives through a NAT.
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

source "$(dirname "$0")/topo.sh"
topo_two_routers

CK128=00112233445566778899aabbccddeeff
HK1=4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b

case_config() { topo_two_routers_config; }

capture() { # start a capture of the WAN at rB
	ip netns exec "$rB" tcpdump -i wan -U -w "$1" -s 0 udp or tcp >/dev/null 2>&1 &
	cap_pid=$!
	sleep 1
}

capture_stop() {
	sleep 0.5
	kill -INT $cap_pid; wait $cap_pid 2>/dev/null
}

# sess ROUTER SERVICE: its sessions of a service, one line each.
sess() { $1 -o session show service "$2"; }

has_uuid() { sess "$1" "$2" | grep -q "^session $3 "; }
no_uuid() { ! has_uuid "$@"; }
no_sessions() { ! sess "$1" "$2" | grep -q '^session '; }

# idle ROUTER UUID: the session's idle seconds.
idle() { $1 -o session show | awk -v u="$2" '$2 == u { for (i = 1; i < NF; i++) if ($i == "idle") print $(i + 1) }'; }

# A UDP session to the dns service from client port $1; prints its UUID.
udp_session() {
	local out
	out=$(echo "ctl-$1" | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport="$1")
	[ "$(echo "$out" | head -n1)" = 198.18.1.2 ] || { fail "no UDP answer"; return 1; }
	sess A dns | awk -v p=" 198.18.1.2:$1 " 'index($0, p) { print $2 }'
}

ctl_sent() { # delete-session messages sent by both routers
	echo $(( $(svr_counter "$rA" ctl_sent_delete_session) +
		 $(svr_counter "$rB" ctl_sent_delete_session) ))
}

case_tcp_close() {
	local pcap=/tmp/svr-ctl-close.pcap out sent
	A session flush
	B session flush
	sleep 1
	sent=$(ctl_sent)
	capture $pcap
	out=$(echo close-me | ip netns exec "$cl" timeout 60 socat -t 30 -T 30 - TCP4:203.0.113.10:80)
	assert_eq "$(echo "$out" | sed -n 2p)" close-me "data back" || return 1
	# FIN both ways: both halves go at once, long before the 1900 s
	# established or the 10 s closing timeout; each router saw both FINs,
	# so neither tells the other.
	busywait 6000 no_sessions A web || fail "rA still has the session"
	busywait 6000 no_sessions B web || fail "rB still has the session"
	sleep 1
	capture_stop
	svrctl decode $pcap >/tmp/svr-ctl-close.txt
	grep -q 'control delete-session (6)' /tmp/svr-ctl-close.txt &&
		fail "a delete-session after a FIN-closed session"
	assert_eq "$(ctl_sent)" "$sent" "delete-session messages sent after FINs"
}

# An RST is seen once: the routers that saw it tell their peers.
case_tcp_reset() {
	local pcap=/tmp/svr-ctl-rst.pcap sent
	sent=$(ctl_sent)
	capture $pcap
	ip netns exec "$cl" python3 - <<'PY' || fail "client"
import socket, struct
s = socket.create_connection(("203.0.113.10", 80), timeout=20)
s.sendall(b"reset-me\n")
s.recv(100)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
s.close()
PY
	busywait 6000 no_sessions A web || fail "rA still has the session"
	busywait 6000 no_sessions B web || fail "rB still has the session"
	sleep 1
	capture_stop
	svrctl decode $pcap | tee /tmp/svr-ctl-rst.txt | grep -B3 'control' || true
	grep -q 'control delete-session (6)' /tmp/svr-ctl-rst.txt ||
		fail "no delete-session control message on the WAN after an RST"
	assert_ge "$(ctl_sent)" $((sent + 1)) "delete-session messages sent after an RST"
}

case_del_ingress() {
	local u consumed rcvd
	consumed=$(svr_counter "$rB" drop_md_consumed)
	rcvd=$(svr_counter "$rB" ctl_received_delete_session)
	u=$(udp_session 40001) || return 1
	[ -n "$u" ] || { fail "no session on rA"; return 1; }
	busywait 3000 has_uuid B dns "$u" || fail "rB lacks the session"
	A session del "$u"
	busywait 3000 no_uuid B dns "$u" || fail "rB kept its half after svrctl session del on rA"
	assert_ge "$(svr_counter "$rB" ctl_received_delete_session)" $((rcvd + 1)) \
		"rB ctl_received_delete_session"
	assert_ge "$(svr_counter "$rB" drop_md_consumed)" $((consumed + 1)) \
		"rB drop_md_consumed"
}

case_del_egress_tcp() {
	local u pid
	{ echo hold; sleep 40; } | ip netns exec "$cl" timeout 60 socat -t 5 - TCP4:203.0.113.10:80 >/dev/null &
	pid=$!
	busywait 20000 sh -c "svrctl -n $rB -o session show service web | grep -q 'state established'" ||
		fail "no established TCP session on rB"
	u=$(sess B web | awk '{ print $2; exit }')
	busywait 3000 has_uuid A web "$u" || fail "rA lacks the session"
	B session del "$u"
	busywait 3000 no_uuid A web "$u" || fail "rA kept its half after svrctl session del on rB"
	assert_ge "$(svr_counter "$rA" ctl_received_delete_session)" 1 \
		"rA ctl_received_delete_session"
	kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
	A session flush; B session flush
}

# forge SRC SPORT DST DPORT UUID: a control message (delete-session) sent
# from rA's namespace with any source address and port.
forge() {
	ip netns exec "$rA" python3 - "$@" <<'PY'
import socket, struct, sys, uuid
src, sport, dst, dport, u = sys.argv[1:6]
hdr = struct.pack("!HHB", 24, 1, 6)				# control: delete
pay = struct.pack("!HH", 6, 16) + uuid.UUID(u).bytes		# session UUID
md = bytes.fromhex("4C48DBC6DDF6670C") + \
     struct.pack("!HH", 0x1000 | (12 + len(hdr)), len(pay)) + hdr + pay
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((src, int(sport)))
s.sendto(md, (dst, int(dport)))
PY
}

case_forged() {
	local u fw nosess mism
	u=$(udp_session 40002) || return 1
	busywait 3000 has_uuid B dns "$u" || { fail "rB lacks the session"; return 1; }
	# rB's half is keyed on the waypoint flow from rA.
	fw=$(sess B dns | grep "^session $u " | sed -E 's/.* forward udp ([0-9.]+):([0-9]+) -> ([0-9.]+):([0-9]+).*/\1 \2 \3 \4/')
	echo "# rB forward: $fw"
	set -- $fw
	nosess=$(svr_counter "$rB" drop_ctl_no_session)
	mism=$(svr_counter "$rB" drop_ctl_uuid_mismatch)
	# From an address that is no peer path: matches no session.
	ip -n "$rA" addr add 192.0.2.66/24 dev wan
	forge 192.0.2.66 "$2" "$3" "$4" "$u"
	busywait 3000 sh -c "[ \$(ip netns exec $rB awk '\$1 == \"drop_ctl_no_session\" { print \$2 }' /proc/net/svr/stats) -gt $nosess ]" ||
		fail "forged message from 192.0.2.66 not counted"
	has_uuid B dns "$u" || fail "a forged message deleted rB's session"
	# From the peer's waypoint and wayport, but another session's UUID.
	forge "$1" "$2" "$3" "$4" 01234567-89ab-4def-8123-456789abcdef
	busywait 3000 sh -c "[ \$(ip netns exec $rB awk '\$1 == \"drop_ctl_uuid_mismatch\" { print \$2 }' /proc/net/svr/stats) -gt $mism ]" ||
		fail "control message with a wrong UUID not counted"
	has_uuid B dns "$u" || fail "a wrong UUID deleted rB's session"
	has_uuid A dns "$u" || fail "rA lost its session"
	ip -n "$rA" addr del 192.0.2.66/24 dev wan
}

case_keepalive_router() {
	A router set keepalive 2
	A router show | grep -q ' keepalive 2\b' || fail "router show lacks keepalive 2"
	assert_fails A router set keepalive 86401
	A router set keepalive 0
	A router show | grep -q ' keepalive 0\b' || fail "keepalive not back to off"
}

case_keepalive_wire() {
	local pcap=/tmp/svr-ctl-ka.pcap u ka idle_a idle_b
	ka=$(svr_counter "$rB" ctl_received_keepalive)
	A router set keepalive 1
	capture $pcap
	u=$(udp_session 40003) || return 1
	sleep 4
	capture_stop
	idle_a=$(idle A "$u")
	idle_b=$(idle B "$u")
	echo "# idle: rA $idle_a s, rB $idle_b s"
	A router set keepalive 0
	svrctl decode $pcap > /tmp/svr-ctl-ka.txt
	grep -c 'control keep-alive (1)' /tmp/svr-ctl-ka.txt
	assert_ge "$(grep -c 'control keep-alive (1)' /tmp/svr-ctl-ka.txt)" 2 "keepalives on the WAN"
	assert_ge "$(svr_counter "$rB" ctl_received_keepalive)" $((ka + 2)) "rB ctl_received_keepalive"
	assert_ge "$idle_a" 4 "rA's session idle"
	[ "$idle_b" -le 3 ] || fail "rB's idle time ($idle_b s) not refreshed by keepalives"
}

# The same with a security policy: sealed and signed like any metadata.
case_secure_delete() {
	local u hv bad
	for r in A B; do
		$r security add sp1 cipher aes-cbc-128 hmac sha256 hmac-mode time-based
		$r security key add sp1 7 cipher-key "hex:$CK128" hmac-key "hex:$HK1"
	done
	A peer set rB security sp1
	B peer set rA security sp1
	A session flush; B session flush
	sleep 1
	hv=$(svr_counter "$rB" hmac_verified)
	bad=$(svr_counter "$rB" drop_hmac_bad)
	u=$(udp_session 40004) || return 1
	busywait 3000 has_uuid B dns "$u" || { fail "rB lacks the session"; return 1; }
	A session del "$u"
	busywait 3000 no_uuid B dns "$u" || fail "rB kept its half (secure)"
	assert_ge "$(svr_counter "$rB" hmac_verified)" $((hv + 2)) "rB hmac_verified"
	assert_eq "$(svr_counter "$rB" drop_hmac_bad)" "$bad" "rB drop_hmac_bad"
}

ktap_header 9
run_case "configure both routers" case_config
run_case "TCP closed by FINs: both halves go, no delete-session" case_tcp_close
run_case "TCP reset: both halves go, delete-session on the WAN" case_tcp_reset
run_case "svrctl session del on rA removes rB's half" case_del_ingress
run_case "svrctl session del on rB removes rA's half (TCP)" case_del_egress_tcp
run_case "forged control messages are dropped and counted" case_forged
run_case "router keepalive option" case_keepalive_router
run_case "keepalives on the WAN refresh rB's idle time" case_keepalive_wire
run_case "delete-session with a security policy" case_secure_delete
cleanup_all_ns
svr_unload
ktap_finish
