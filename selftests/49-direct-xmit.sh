#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The router option direct-xmit: the IPv4 packets of a session that has
# seen a reply, other than each direction's first, are sent from
# PREROUTING straight to the next hop, past the FORWARD and POSTROUTING
# hooks (as an nftables flowtable sends offloaded flows). What the
# shortcut does not cover (IPv6, a packet over the route's MTU) still goes
# through the stack.
#
# topo.sh's two routers, plus a local session on rA (source NAT on its
# wan) to a UDP server on rB's WAN address:
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#   198.18.1.2       192.0.2.1    192.0.2.2    203.0.113.10
#                    (source NAT) (UDP 5353)
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

source "$(dirname "$0")/topo.sh"
topo_two_routers
ip netns exec "$rB" python3 "$REPO/selftests/udp-echo.py" 5353 &
wait_listen "$rB" 5353 udp || echo "# rB's UDP server did not start"

direct() { svr_counter "$1" pkt_direct_xmit; }

snmp_ip() { # NS FIELD: a counter of the Ip: lines of /proc/net/snmp
	ip netns exec "$1" awk -v f="$2" '$1 == "Ip:" {
		if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i; next }
		print $c }' /proc/net/snmp
}

case_config() {
	topo_two_routers_config
	A interface set wan source-nat
	A service add local prefix 192.0.2.2/32 proto udp port 5353 allow blue
	A route add local via fib
	A router show | grep -q ' direct-xmit' && fail "direct-xmit on by default"
	A router set direct-xmit
	B router set direct-xmit
	A router show | grep -q ' direct-xmit' || fail "rA: router show lacks direct-xmit"
	assert_eq "$(B -j router show | jq -r ".[0].direct_xmit")" true "rB: JSON direct_xmit"
	assert_eq "$(A save | grep -c 'direct-xmit')" 1 "save keeps direct-xmit"
}

# A megabyte to the echo server and back (100 chunks of 10,240 bytes,
# unpaced): the data intact, the packets sent directly on both routers
# and counted by the IP MIB as forwarded.
case_tcp_bulk() {
	local a0 b0 f0 da db out
	a0=$(direct "$rA") b0=$(direct "$rB") f0=$(snmp_ip "$rB" ForwDatagrams)
	out=$(ip netns exec "$cl" timeout 90 \
		python3 "$REPO/selftests/tcp-transfer.py" 203.0.113.10 80 100 0)
	assert_eq "$out" ok "1 MB echoed through both routers"
	da=$(( $(direct "$rA") - a0 )) db=$(( $(direct "$rB") - b0 ))
	echo "direct: rA $da, rB $db"
	assert_ge "$da" 100 "rA pkt_direct_xmit"
	assert_ge "$db" 100 "rB pkt_direct_xmit"
	assert_ge $(( $(snmp_ip "$rB" ForwDatagrams) - f0 )) "$db" "rB Ip ForwDatagrams"
}

# Each router takes one off the TTL, sent directly or not: the server sees
# 62 on the first packet of a session (the stack) and on the second (direct).
case_ttl() {
	local pcap=/tmp/svr-dx-ttl.pcap b0 ttls
	pcap_start "$sv" eth0 $pcap
	b0=$(direct "$rB")
	echo one | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40100 >/dev/null
	echo two | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40100 >/dev/null
	pcap_stop
	assert_ge $(( $(direct "$rB") - b0 )) 1 "rB sent the second directly"
	ttls=$(tcpdump -r $pcap -n -v 'udp dst port 53' 2>/dev/null |
	       grep -o 'ttl [0-9]*' | sort | uniq -c | sed 's/^ *//')
	assert_eq "$ttls" "2 ttl 62" "TTLs at the server"
}

# What direct-xmit gives up, shown: an established session's packets pass
# a FORWARD drop rule; a new session's first packet meets it; with the
# option off the established session meets it again.
dx_hits() {
	ip netns exec "$rB" nft list chain inet dx filt |
		awk '{ for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

case_forward_rules() {
	local out
	out=$(echo one | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40200)
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "answered before the rule"
	ip netns exec "$rB" nft -f - <<-EOF
	table inet dx {
		chain filt {
			type filter hook forward priority 0; policy accept;
			udp dport 53 counter drop
		}
	}
	EOF
	out=$(echo two | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40200)
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "established session past the rule"
	assert_eq "$(dx_hits)" 0 "rule hits after the established session"
	out=$(echo three | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40201 3)
	assert_eq "$out" "" "a new session's answer"
	assert_eq "$(dx_hits)" 1 "rule hits after a new session"
	B router set no-direct-xmit
	B router show | grep -q ' direct-xmit' && fail "no-direct-xmit did not turn it off"
	out=$(echo four | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40200 3)
	assert_eq "$out" "" "the established session's answer, direct-xmit off"
	assert_eq "$(dx_hits)" 2 "rule hits with direct-xmit off"
	ip netns exec "$rB" nft delete table inet dx
	B router set direct-xmit
}

# Over the MTU of rB's server link (no DF): the stack fragments it, as
# without direct-xmit; svr does not send it whole into a link it cannot cross.
case_mtu() {
	local b0 fc out
	echo small | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40300 >/dev/null
	ip -n "$rB" link set srv mtu 1280
	ip -n "$sv" link set eth0 mtu 1280
	b0=$(direct "$rB") fc=$(snmp_ip "$rB" FragCreates)
	out=$(ip netns exec "$cl" timeout 30 python3 - <<-'EOF'
	import socket
	s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
	s.setsockopt(socket.IPPROTO_IP, 10, 0)  # IP_MTU_DISCOVER: DONT, no DF
	s.bind(("0.0.0.0", 40300))
	s.settimeout(15)
	s.sendto(b"x" * 1400, ("203.0.113.10", 53))
	who, data = s.recv(65535).split(b"\n", 1)
	print(who.decode(), len(data))
	EOF
	)
	ip -n "$rB" link set srv mtu 1500
	ip -n "$sv" link set eth0 mtu 1500
	assert_eq "$out" "198.18.1.2 1400" "the server's answer"
	assert_ge $(( $(snmp_ip "$rB" FragCreates) - fc )) 2 "rB Ip FragCreates"
	assert_eq "$(direct "$rB")" "$b0" "rB pkt_direct_xmit (neither way direct)"
}

case_ipv6() {
	local a0 b0
	a0=$(direct "$rA") b0=$(direct "$rB")
	ip netns exec "$cl" ping -6 -c 4 -i 0.2 -W 3 2001:db8:5::10 >/dev/null ||
		fail "ping6 through both routers"
	assert_eq "$(direct "$rA")" "$a0" "rA pkt_direct_xmit"
	assert_eq "$(direct "$rB")" "$b0" "rB pkt_direct_xmit"
}

# A local session with source NAT: its forward packets after the first go
# directly (the replies only change their destination: no route of svr's).
case_local() {
	local a0 w out
	a0=$(direct "$rA")
	for w in one two three; do
		out=$(echo $w | udp_ask "$cl" UDP4:192.0.2.2:5353,sourceport=40400)
		assert_eq "$(echo "$out" | head -n1)" 192.0.2.1 "rB sees the NAT address ($w)"
		assert_eq "$(echo "$out" | sed -n 2p)" $w "the data back ($w)"
	done
	assert_eq "$(A -j session show service local | jq -r '.[0].role')" local "session role"
	assert_ge $(( $(direct "$rA") - a0 )) 2 "rA pkt_direct_xmit"
}

ktap_header 7
run_case "configure both routers, direct-xmit on" case_config
run_case "TCP bulk: intact, sent directly, counted as forwarded" case_tcp_bulk
run_case "TTL: one less per router, sent directly or not" case_ttl
run_case "FORWARD rules: first packets only, all with the option off" case_forward_rules
run_case "over the MTU: the stack fragments" case_mtu
run_case "IPv6: the stack forwards" case_ipv6
run_case "a local session with source NAT" case_local
cleanup_all_ns
svr_unload
ktap_finish
