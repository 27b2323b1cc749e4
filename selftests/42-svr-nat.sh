#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SVR through a NAT between the routers: an nftables masquerade box rewrites
# the outer source address and port; sessions still set up and flow, since
# the egress keys its half on the outer tuple as it arrives and answers
# where the packets came from.
#
#   client --lan-- rA --wanA-- nat --wanB-- rB --srv-- server
#   198.18.1.2   192.0.2.1  192.0.2.254 198.51.100.1  198.51.100.2  203.0.113.10
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

svr_load
svr_modprobe nf_tables nft_chain_nat nft_masq nf_nat nf_conntrack >/dev/null 2>&1
setup_ns cl rA nat rB sv

veth_link "$cl" eth0 "$rA" lan 198.18.1.2/24 198.18.1.1/24
veth_link "$rA" wan "$nat" wanA 192.0.2.1/24 192.0.2.254/24
veth_link "$nat" wanB "$rB" wan 198.51.100.1/24 198.51.100.2/24
veth_link "$rB" srv "$sv" eth0 203.0.113.1/24 203.0.113.10/24
ip -n "$cl" route add default via 198.18.1.1
ip -n "$rA" route add 198.51.100.0/24 via 192.0.2.254
ip -n "$sv" route add default via 203.0.113.1
for r in "$rA" "$nat" "$rB"; do
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1
done
ip netns exec "$nat" nft -f - <<'NFT'
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "wanB" masquerade random
	}
}
NFT

ip netns exec "$sv" socat -t 30 TCP4-LISTEN:80,fork,reuseaddr SYSTEM:'echo $SOCAT_PEERADDR; cat' &
ip netns exec "$sv" python3 "$REPO/selftests/udp-echo.py" 53 &
wait_listen "$sv" 80 && wait_listen "$sv" 53 udp || echo "# servers did not start"

A() { svrctl -n "$rA" "$@"; }
B() { svrctl -n "$rB" "$@"; }

case_config() {
	A router set name rA
	A tenant add blue
	A interface add lan tenant blue
	A interface add wan
	A service add web prefix 203.0.113.0/24 proto tcp port 80 allow blue
	A service add dns prefix 203.0.113.0/24 proto udp port 53 allow blue
	A peer add rB path 192.0.2.1 198.51.100.2
	A route add web via peer rB
	A route add dns via peer rB
	B router set name rB
	B tenant add blue
	B interface add wan
	B interface add srv
	B service add web prefix 203.0.113.0/24 proto tcp port 80 allow blue
	B service add dns prefix 203.0.113.0/24 proto udp port 53 allow blue
	B peer add rA path 198.51.100.2 192.0.2.1
	B route add web via fib
	B route add dns via fib
}

case_tcp_through_nat() {
	local out
	out=$(echo through-nat | ip netns exec "$cl" timeout 90 socat -t 30 -T 60 - TCP4:203.0.113.10:80)
	echo "$out"
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "server sees the client"
	assert_eq "$(echo "$out" | sed -n 2p)" through-nat "data back"
}

case_udp_through_nat() {
	local out
	out=$(echo dgram | udp_ask "$cl" UDP4:203.0.113.10:53)
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "server sees the client"
}

case_egress_sees_nat_address() {
	B session show
	B session show | grep -q 'forward .*198\.51\.100\.1:' ||
		fail "rB's half is not keyed on the NAT's address"
	ip netns exec "$nat" grep -c . /proc/net/nf_conntrack
}

ktap_header 4
run_case "configure both routers" case_config
run_case "TCP through a NAT between the routers" case_tcp_through_nat
run_case "UDP through a NAT between the routers" case_udp_through_nat
run_case "rB keys its half on the NAT's outer tuple" case_egress_sees_nat_address
cleanup_all_ns
svr_unload
ktap_finish
