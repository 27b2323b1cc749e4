#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The session datapath on one router: tenants, FIB, access, the fast lane,
# source NAT, ICMP errors, expiry, limits, revocation, IPv4 and IPv6.
#
#   c1 (198.18.1.2, 2001:db8:1::2) --lan1-- +----+ --srv-- server 203.0.113.10
#      tenant blue by interface            |    |          2001:db8:5::10
#   c2 (198.18.2.2) --lan2-- tenant red    | r  |
#      by prefix, eng.blue by 198.18.2.128/25   |
#   c3 (198.18.3.2) --lan3-- global        |    | --wan (source-nat)-- inet
#                                          +----+          192.0.2.100
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

svr_load
setup_ns r c1 c2 c3 srv inet

veth_link "$r" lan1 "$c1" eth0 198.18.1.1/24 198.18.1.2/24 2001:db8:1::1/64 2001:db8:1::2/64
veth_link "$r" lan2 "$c2" eth0 198.18.2.1/24 198.18.2.2/24
ip -n "$c2" addr add 198.18.2.130/24 dev eth0
veth_link "$r" lan3 "$c3" eth0 198.18.3.1/24 198.18.3.2/24
veth_link "$r" srv "$srv" eth0 203.0.113.1/24 203.0.113.10/24 2001:db8:5::1/64 2001:db8:5::10/64
veth_link "$r" wan "$inet" eth0 192.0.2.1/24 192.0.2.100/24
ip -n "$c1" route add default via 198.18.1.1
ip -n "$c1" -6 route add default via 2001:db8:1::1
ip -n "$c2" route add default via 198.18.2.1
ip -n "$c3" route add default via 198.18.3.1
ip -n "$srv" route add default via 203.0.113.1
ip -n "$srv" -6 route add default via 2001:db8:5::1
# inet has no route back to the clients: only source NAT reaches it.
ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1

# Servers answer with the peer address they see.
for port in 80 8080; do
	ip netns exec "$srv" socat -t 30 TCP4-LISTEN:$port,fork,reuseaddr \
		SYSTEM:'echo $SOCAT_PEERADDR' &
done
ip netns exec "$srv" socat -t 30 TCP6-LISTEN:80,fork,reuseaddr,ipv6only=1 \
	SYSTEM:'echo $SOCAT_PEERADDR' &
ip netns exec "$srv" socat UDP4-RECVFROM:53,fork SYSTEM:'echo $SOCAT_PEERADDR' &
ip netns exec "$inet" socat -t 30 TCP4-LISTEN:80,fork,reuseaddr SYSTEM:'echo $SOCAT_PEERADDR' &
wait_listen "$srv" 80 && wait_listen "$srv" 8080 && wait_listen "$srv" 53 udp &&
	wait_listen "$inet" 80 || echo "# servers did not start"

R() { svrctl -n "$r" "$@"; }
svrcfg() {
	R tenant add blue
	R tenant add red prefix 198.18.2.0/24
	R tenant add eng.blue prefix 198.18.2.128/25
	R interface add lan1 tenant blue
	R interface add lan2
	R interface add lan3
	R interface add srv
	R interface add wan source-nat
	R service add web prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto tcp port 80 allow blue
	R service add dns prefix 203.0.113.0/24 proto udp port 53 allow blue allow global
	R service add icmp prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto icmp allow blue
	R service add alt prefix 203.0.113.0/24 proto tcp port 8080 allow blue deny red
	R service add internet prefix 192.0.2.0/24 allow blue
	for s in web dns icmp alt; do R route add $s via fib; done
	R route add internet via gateway 192.0.2.100 dev wan
}

# peer_seen NS ADDRESS: what the server answered. -t 10: after our EOF,
# wait for the answer (socat's default 0.5 s is too short on a debug
# kernel under load); the server's close ends it at once.
peer_seen() {
	ip netns exec "$1" timeout 15 socat -t 10 -T 10 - "${@:2}" </dev/null 2>/dev/null
}

case_config() { svrcfg; }

case_allowed_tcp_udp_icmp() {
	assert_eq "$(peer_seen "$c1" TCP4:203.0.113.10:80)" 198.18.1.2 "tcp: server sees"
	assert_eq "$(echo q | udp_ask "$c1" UDP4:203.0.113.10:53)" \
		198.18.1.2 "udp: server sees"
	ip netns exec "$c1" ping -c 2 -i 0.2 -W 2 -q 203.0.113.10 >/dev/null ||
		fail "ping through r"
	assert_eq "$(peer_seen "$c1" TCP6:[2001:db8:5::10]:80)" \
		"[2001:0db8:0001:0000:0000:0000:0000:0002]" "tcp6: server sees"
	ip netns exec "$c1" ping -6 -c 2 -i 0.2 -W 2 -q 2001:db8:5::10 >/dev/null ||
		fail "ping6 through r"
}

case_fast_lane() {
	local before after
	ip netns exec "$c1" socat -T 3 - TCP4:203.0.113.10:80 </dev/null >/dev/null &
	sleep 1
	before=$(svr_counter "$r" fib_lookups)
	ip netns exec "$c1" ping -c 5 -i 0.1 -q 203.0.113.10 >/dev/null
	after=$(svr_counter "$r" fib_lookups)
	# One first packet for the ping session, none for the rest.
	assert_eq "$after" $((before + 1)) "fib_lookups"
	assert_ge "$(svr_counter "$r" pkt_fast_lane)" 10 "pkt_fast_lane"
	wait
}

case_deny_is_silent() {
	local before out
	before=$(svr_counter "$r" drop_denied)
	out=$(ip netns exec "$c2" timeout 4 socat -T 2 - TCP4:203.0.113.10:8080,connect-timeout=2 </dev/null 2>&1) && fail "connected"
	echo "$out"
	echo "$out" | grep -qi "refused\|unreachable\|prohibited" && fail "got an answer: $out"
	assert_ge "$(svr_counter "$r" drop_denied)" $((before + 1)) "drop_denied"
}

case_not_listed_is_prohibited() {
	local out
	out=$(ip netns exec "$c3" ping -c 1 -W 2 203.0.113.10 2>&1) && fail "ping passed"
	echo "$out"
	echo "$out" | grep -q "Packet filtered" || fail "no admin-prohibited"
	assert_ge "$(svr_counter "$r" drop_not_allowed)" 1 "drop_not_allowed"
}

case_fib_miss_is_net_unreachable() {
	local out
	out=$(ip netns exec "$c1" ping -c 1 -W 2 198.51.100.77 2>&1) && fail "ping passed"
	echo "$out"
	echo "$out" | grep -q "Destination Net Unreachable" || fail "no net-unreachable"
	assert_ge "$(svr_counter "$r" drop_fib_miss)" 1 "drop_fib_miss"
}

case_tenant_precedence() {
	# c2 198.18.2.2 is red by prefix: web does not list red.
	peer_seen "$c2" TCP4:203.0.113.10:80,connect-timeout=2 && fail "red reached web"
	# c2 198.18.2.130 is eng.blue (longer prefix): blue's allow admits it.
	assert_eq "$(peer_seen "$c2" TCP4:203.0.113.10:80,bind=198.18.2.130)" 198.18.2.130 \
		"eng.blue reaches web"
	# c3 is global: dns allows global.
	assert_eq "$(echo q | udp_ask "$c3" UDP4:203.0.113.10:53)" \
		198.18.3.2 "global reaches dns"
	assert_eq "$(echo q | udp_ask "$c2" UDP4:203.0.113.10:53,bind=198.18.2.130)" \
		198.18.2.130 "eng.blue reaches dns"
	R session show tenant eng.blue
	R session show tenant eng.blue | grep -q dns || fail "no eng.blue session"
}

case_server_cannot_open() {
	ip netns exec "$srv" ping -c 1 -W 2 198.18.1.2 >/dev/null && fail "server reached client"
	return 0
}

case_source_nat() {
	assert_eq "$(peer_seen "$c1" TCP4:192.0.2.100:80)" 192.0.2.1 "inet sees r's wan address"
}

case_udp_port_unreachable() {
	local out before
	before=$(svr_counter "$r" icmp_errors_translated)
	out=$(echo q | ip netns exec "$c1" timeout 15 socat -T 5 - UDP4:192.0.2.100:9 2>&1) && true
	# Through source NAT: the error must be translated back to c1.
	ip netns exec "$c1" python3 - <<'PY' || fail "no port unreachable at the client"
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
s.connect(("192.0.2.100", 9))
s.send(b"x")
try:
    s.recv(10)
except ConnectionRefusedError:
    raise SystemExit(0)
raise SystemExit(1)
PY
	assert_ge "$(svr_counter "$r" icmp_errors_translated)" $((before + 1)) "icmp_errors_translated"
}

svrcfg_ok=1
ktap_header 10
run_case "configure the router with svrctl" case_config || svrcfg_ok=0
run_case "allowed tenant reaches tcp, udp and ping services (v4 and v6)" case_allowed_tcp_udp_icmp
run_case "fast lane: no FIB lookup after the first packet" case_fast_lane
run_case "explicit deny: silent drop, counted" case_deny_is_silent
run_case "tenant not listed: admin-prohibited" case_not_listed_is_prohibited
run_case "FIB miss: network unreachable" case_fib_miss_is_net_unreachable
run_case "tenant precedence and hierarchy, allow global" case_tenant_precedence
run_case "the server cannot open a session to the client" case_server_cannot_open
run_case "source NAT on the wan interface" case_source_nat
run_case "a UDP port unreachable through source NAT reaches the client" case_udp_port_unreachable
cleanup_all_ns
svr_unload
ktap_finish
