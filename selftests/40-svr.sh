#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Secure Vector Routing between two routers: metadata on the first packets,
# waypoints and wayports on the WAN, the fast lane after the handshake.
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#   198.18.1.2       192.0.2.1    192.0.2.2    203.0.113.10
#   2001:db8:1::2    2001:db8:ff::1 ::2        2001:db8:5::10
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

source "$(dirname "$0")/topo.sh"
topo_two_routers

case_config() { topo_two_routers_config; }

capture() { # start a capture of the WAN at rB
	pcap_start "$rB" wan "$1"
}

case_tcp() {
	local out
	out=$(echo hello | ip netns exec "$cl" timeout 90 socat -t 30 -T 60 - TCP4:203.0.113.10:80)
	echo "$out"
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "server sees the client"
	assert_eq "$(echo "$out" | sed -n 2p)" hello "data back"
}

case_udp() {
	local out
	out=$(echo ping-udp | udp_ask "$cl" UDP4:203.0.113.10:53)
	echo "$out"
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "server sees the client"
}

case_ping() {
	ip netns exec "$cl" ping -c 3 -i 0.3 -W 3 203.0.113.10
}

case_ipv6() {
	# -t: after our EOF, wait for the server's line (default 0.5 s).
	assert_eq "$(ip netns exec "$cl" timeout 30 socat -t 15 -T 15 - TCP6:[2001:db8:5::10]:80 </dev/null)" \
		"[2001:0db8:0001:0000:0000:0000:0000:0002]" "tcp6: server sees"
	ip netns exec "$cl" ping -6 -c 2 -i 0.3 -W 3 2001:db8:5::10 >/dev/null || fail "ping6"
}

case_same_session_both_routers() {
	local ua ub
	echo x | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40000 >/dev/null
	A session show service dns
	B session show service dns
	ua=$(A -j session show service dns | python3 -c 'import json,sys; print(sorted(s["uuid"] for s in json.load(sys.stdin))[0])')
	ub=$(B -j session show service dns | python3 -c 'import json,sys; print(sorted(s["uuid"] for s in json.load(sys.stdin))[0])')
	[ -n "$ua" ] || fail "no session on rA"
	assert_eq "$ub" "$ua" "the same UUID on both routers"
}

case_wire() {
	local pcap=/tmp/svr-wan.pcap
	capture $pcap
	echo wire-check | ip netns exec "$cl" timeout 20 socat -T 5 - TCP4:203.0.113.10:80 >/dev/null
	pcap_stop
	svrctl decode $pcap | tee /tmp/svr-wan.txt
	# Only waypoint addresses on the WAN, wayports in range. (The IPv6
	# path's may show too: the delete-session of the IPv6 case's ping,
	# whose session expires after 10 s, can fall into the capture.)
	grep -E '^#' /tmp/svr-wan.txt |
		grep -v -E '(192\.0\.2\.[12]|\[2001:db8:ff::[12]\]):[0-9]* -> (192\.0\.2\.[12]|\[2001:db8:ff::[12]\]):' &&
		fail "non-waypoint addresses"
	grep -q 'tenant blue' /tmp/svr-wan.txt || fail "no tenant in the metadata"
	grep -q 'service web' /tmp/svr-wan.txt || fail "no service in the metadata"
	# Metadata on the first packet of each direction only.
	[ "$(grep -c 'fwd-ctx\|forward' /tmp/svr-wan.txt)" -ge 1 ] || fail "no forward metadata"
	return 0
}

case_counters() {
	B stats | grep -E '^md_|drop_md' || true
	assert_ge "$(svr_counter "$rA" md_sent_forward)" 1 "rA md_sent_forward"
	assert_ge "$(svr_counter "$rB" md_sent_reverse)" 1 "rB md_sent_reverse"
	assert_ge "$(svr_counter "$rB" md_received)" 1 "rB md_received"
}

case_missing_service_refused() {
	local before
	B service del dns
	before=$(svr_counter "$rB" drop_md_no_service)
	echo x | ip netns exec "$cl" timeout 10 socat -T 3 - UDP4:203.0.113.10:53,sourceport=41000 >/dev/null 2>&1
	assert_ge "$(svr_counter "$rB" drop_md_no_service)" $((before + 1)) "drop_md_no_service"
}

# The fast lane keeps the route a flow's packets took (svr_flow_route()):
# a changed route must be followed by the session's next packet. A second
# link rB--server; the server counts the session's datagrams per link.
srv_rx() { # the server's link: datagrams to port 53 that came in on it
	ip netns exec "$sv" nft list chain inet rtcheck pre |
		awk -v d="\"$1\"" '$2 == d { for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

ask_via() { # LINK WORD: one datagram of the session, it must arrive on LINK
	local e0 e1 out
	e0=$(srv_rx eth0) e1=$(srv_rx eth1)
	out=$(echo "$2" | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40100)
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "answered ($2)"
	if [ "$1" = eth1 ]; then
		assert_eq "$(srv_rx eth1)" $((e1 + 1)) "on eth1 ($2)"
		assert_eq "$(srv_rx eth0)" "$e0" "not on eth0 ($2)"
	else
		assert_eq "$(srv_rx eth0)" $((e0 + 1)) "on eth0 ($2)"
		assert_eq "$(srv_rx eth1)" "$e1" "not on eth1 ($2)"
	fi
}

case_route_change() {
	local fast
	veth_link "$rB" srv2 "$sv" eth1 198.51.100.1/24 198.51.100.10/24
	ip netns exec "$sv" sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.eth1.rp_filter=0
	ip netns exec "$sv" nft -f - <<-EOF
	table inet rtcheck {
		chain pre {
			type filter hook prerouting priority 0; policy accept;
			iifname "eth0" udp dport 53 counter
			iifname "eth1" udp dport 53 counter
		}
	}
	EOF
	ask_via eth0 first
	fast=$(svr_counter "$rB" pkt_fast_lane)
	ip -n "$rB" route add 203.0.113.10/32 via 198.51.100.10 dev srv2
	ask_via eth1 "route added"
	ip -n "$rB" route del 203.0.113.10/32
	ask_via eth0 "route deleted"
	ip -n "$rB" route add 203.0.113.10/32 via 198.51.100.10 dev srv2
	ask_via eth1 "route added again"
	ip -n "$rB" link set srv2 down
	ask_via eth0 "link down"
	# One session all along, on the fast lane.
	assert_ge "$(svr_counter "$rB" pkt_fast_lane)" $((fast + 4)) "rB pkt_fast_lane"
	assert_eq "$(A -j session show service dns | jq '[.[] | select(.forward.sport == 40100)] | length')" 1 "one session on rA"
	ip netns exec "$sv" nft delete table inet rtcheck
}

ktap_header 10
run_case "configure both routers" case_config
run_case "TCP through SVR: server sees the client, data intact" case_tcp
run_case "UDP through SVR" case_udp
run_case "ping (ICMP echo as UDP) through SVR" case_ping
run_case "IPv6 through SVR" case_ipv6
run_case "the same session UUID on both routers" case_same_session_both_routers
run_case "the WAN shows waypoints and metadata only on first packets" case_wire
run_case "metadata counters" case_counters
run_case "a changed route is followed mid-session (route add, del, link down)" case_route_change
run_case "a router that lacks the service refuses and counts" case_missing_service_refused
cleanup_all_ns
svr_unload
ktap_finish
