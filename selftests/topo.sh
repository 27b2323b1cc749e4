# SPDX-License-Identifier: GPL-2.0
#
# The two-router SVR topology shared by the tests and `make demo`:
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#   198.18.1.2       192.0.2.1    192.0.2.2    203.0.113.10
#   2001:db8:1::2    2001:db8:ff::1 ::2        2001:db8:5::10
#
# topo_two_routers builds it (namespaces $cl $rA $rB $sv, servers on the
# server: TCP 80 answers the client's address then echoes, UDP 53 answers
# the sender's address and the data); topo_two_routers_config programs
# both routers with svrctl (tenant blue, services web/dns/icmp via peer).
# Neither router knows the other's LANs: only SVR gets across.

A() { svrctl -n "$rA" "$@"; }
B() { svrctl -n "$rB" "$@"; }

topo_two_routers() {
	svr_load
	setup_ns cl rA rB sv

	veth_link "$cl" eth0 "$rA" lan 198.18.1.2/24 198.18.1.1/24 2001:db8:1::2/64 2001:db8:1::1/64
	veth_link "$rA" wan "$rB" wan 192.0.2.1/24 192.0.2.2/24 2001:db8:ff::1/64 2001:db8:ff::2/64
	veth_link "$rB" srv "$sv" eth0 203.0.113.1/24 203.0.113.10/24 2001:db8:5::1/64 2001:db8:5::10/64
	ip -n "$cl" route add default via 198.18.1.1
	ip -n "$cl" -6 route add default via 2001:db8:1::1
	ip -n "$sv" route add default via 203.0.113.1
	ip -n "$sv" -6 route add default via 2001:db8:5::1
	for r in "$rA" "$rB"; do
		ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
	done
	# Neither router knows the other's LANs: only SVR gets across.

	ip netns exec "$sv" socat -t 30 TCP4-LISTEN:80,fork,reuseaddr SYSTEM:'echo $SOCAT_PEERADDR; cat' &
	ip netns exec "$sv" socat -t 30 TCP6-LISTEN:80,fork,reuseaddr,ipv6only=1 SYSTEM:'echo $SOCAT_PEERADDR' &
	ip netns exec "$sv" python3 "$REPO/selftests/udp-echo.py" 53 &
	wait_listen "$sv" 80 && wait_listen "$sv" 53 udp || echo "# servers did not start"
}

topo_two_routers_config() {
	A router set name rA
	A tenant add blue
	A interface add lan tenant blue
	A interface add wan
	A service add web prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto tcp port 80 allow blue
	A service add dns prefix 203.0.113.0/24 proto udp port 53 allow blue
	A service add icmp prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto icmp allow blue
	A peer add rB path 192.0.2.1 192.0.2.2 name wan0 path 2001:db8:ff::1 2001:db8:ff::2
	for s in web dns icmp; do A route add $s via peer rB; done

	B router set name rB
	B tenant add blue
	B interface add wan
	B interface add srv
	B service add web prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto tcp port 80 allow blue
	B service add dns prefix 203.0.113.0/24 proto udp port 53 allow blue
	B service add icmp prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto icmp allow blue
	B peer add rA path 192.0.2.2 192.0.2.1 path 2001:db8:ff::2 2001:db8:ff::1
	for s in web dns icmp; do B route add $s via fib; done
}

