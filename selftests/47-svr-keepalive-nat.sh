#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# SVR keepalive control messages (§4.6, §6.17) through a NAT between the
# routers whose UDP mappings last 3 s: a UDP answer 8 s after the question
# is lost without keepalives and arrives with `router set keepalive 1`.
# BFD on the path comes up through the NAT too.
#
#   client --lan-- rA --wanA-- nat --wanB-- rB --srv-- server
#   198.18.1.2   192.0.2.1  192.0.2.254 198.51.100.1  198.51.100.2  203.0.113.10
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

A() { svrctl -n "$rA" "$@"; }
B() { svrctl -n "$rB" "$@"; }

svr_load
nat_topology() {
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
	ip netns exec "$nat" nft -f - <<'NFT' || return 1
table ip nat {
	chain post {
		type nat hook postrouting priority srcnat;
		oifname "wanB" masquerade random
	}
}
NFT
	# An answer 8 s after the question.
	ip netns exec "$sv" python3 "$REPO/selftests/udp-echo.py" 54 4 8 &
	wait_listen "$sv" 54 udp || echo "# server did not start"
}

case_nat_config() {
	# The NAT forgets a UDP mapping after 3 s without packets.
	ip netns exec "$nat" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3 \
		net.netfilter.nf_conntrack_udp_timeout_stream=3
	A router set name rA
	A tenant add blue
	A interface add lan tenant blue
	A interface add wan
	A service add slow prefix 203.0.113.0/24 proto udp port 54 allow blue
	A peer add rB path 192.0.2.1 198.51.100.2
	A route add slow via peer rB
	B router set name rB
	B tenant add blue
	B interface add wan
	B interface add srv
	B service add slow prefix 203.0.113.0/24 proto udp port 54 allow blue
	B peer add rA path 198.51.100.2 192.0.2.1
	B route add slow via fib
}

# The client's side stays open up to 16 s for the answer (socat alone
# closes it 0.5 s after its input ends), and closes once the answer is in.
late_answer() { # client source port: the late answer's first line
	echo late | udp_ask "$cl" UDP4:203.0.113.10:54,sourceport="$1" 16 |
		head -n1
}

case_nat_no_keepalive() {
	A router set keepalive 0
	assert_eq "$(late_answer 41001)" "" "late answer without keepalives (the NAT forgot the mapping)"
}

case_nat_keepalive() {
	local sent out
	sent=$(svr_counter "$rA" ctl_sent_keepalive)
	A router set keepalive 1
	out=$(late_answer 41002)
	# Read rB first: one a second, a keepalive may leave rA between reads.
	echo "# received $(svr_counter "$rB" ctl_received_keepalive), sent $(svr_counter "$rA" ctl_sent_keepalive)"
	# The idle session of the case before gets keepalives too, but its
	# mapping is gone: the NAT gives them a new port that rB does not know.
	echo "# rB drop_ctl_no_session $(svr_counter "$rB" drop_ctl_no_session)"
	assert_eq "$out" 198.18.1.2 "late answer with keepalives"
	assert_ge "$(svr_counter "$rA" ctl_sent_keepalive)" $((sent + 3)) "rA ctl_sent_keepalive"
	assert_ge "$(svr_counter "$rB" ctl_received_keepalive)" 3 "rB ctl_received_keepalive"
	A router set keepalive 0
}

case_nat_bfd() {
	# BFD through the NAT: rB hears rA from the NAT's address and port
	# and answers there; rB's configured remote (192.0.2.1) it cannot
	# even route to.
	local st
	A peer path set rB 192.0.2.1 198.51.100.2 bfd-interval 300 bfd-multiplier 5
	B peer path set rA 198.51.100.2 192.0.2.1 bfd-interval 300 bfd-multiplier 5
	busywait 30000 sh -c "svrctl -n $rA peer show rB | grep -q 'bfd up'" ||
		fail "rA: $(A peer show rB)" || return 1
	busywait 30000 sh -c "svrctl -n $rB peer show rA | grep -q 'bfd up'" ||
		fail "rB: $(B peer show rA)" || return 1
	# Mappings of 3 s, probes every 300 ms: up 5 s later still.
	sleep 5
	A -s peer show rB
	B -s peer show rA
	st=$(A peer show rB; B peer show rA)
	assert_eq "$(echo "$st" | grep -c 'bfd up')" 2 "BFD up at both ends after 5 s"
	assert_ge "$(svr_counter "$rB" bfd_received)" 10 "rB bfd_received"
	assert_ge "$(svr_counter "$rA" bfd_received)" 10 "rA bfd_received (through the NAT)"
	echo "# rA bfd_path_down $(svr_counter "$rA" bfd_path_down) (a loaded machine may miss the detection time)"
}

nat_topology
ktap_header 4
run_case "NAT with 3 s UDP mappings between the routers" case_nat_config
run_case "UDP through the NAT, idle 8 s, no keepalives: answer lost" case_nat_no_keepalive
run_case "UDP through the NAT, idle 8 s, keepalive 1 s: answer arrives" case_nat_keepalive
run_case "BFD through the NAT: up at both ends, and stays up" case_nat_bfd
cleanup_all_ns
svr_unload
ktap_finish
