#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Multi-hop SVR: rA's route for the services is `via peer rT`, rT's is
# `via peer rB`. rT is a transit router: the egress of the hop from rA
# (metadata read and removed) and the ingress of the hop to rB (the same
# UUID, tenant, service and original tuple in its own metadata, fresh
# wayports). No router knows a LAN it is not attached to.
#
#   client --lan-- rA --wanA-- rT --wanB-- rB --srv-- server
#   198.18.1.2  192.0.2.1  192.0.2.2  198.51.100.1  198.51.100.2  203.0.113.10
#   2001:db8:1::2  2001:db8:ff::1 ::2  2001:db8:fe::1 ::2       2001:db8:5::10
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

svr_load
setup_ns cl rA rT rB sv

A() { svrctl -n "$rA" "$@"; }
T() { svrctl -n "$rT" "$@"; }
B() { svrctl -n "$rB" "$@"; }

veth_link "$cl" eth0 "$rA" lan 198.18.1.2/24 198.18.1.1/24 2001:db8:1::2/64 2001:db8:1::1/64
veth_link "$rA" wan "$rT" wanA 192.0.2.1/24 192.0.2.2/24 2001:db8:ff::1/64 2001:db8:ff::2/64
veth_link "$rT" wanB "$rB" wan 198.51.100.1/24 198.51.100.2/24 2001:db8:fe::1/64 2001:db8:fe::2/64
veth_link "$rB" srv "$sv" eth0 203.0.113.1/24 203.0.113.10/24 2001:db8:5::1/64 2001:db8:5::10/64
ip -n "$cl" route add default via 198.18.1.1
ip -n "$cl" -6 route add default via 2001:db8:1::1
ip -n "$sv" route add default via 203.0.113.1
ip -n "$sv" -6 route add default via 2001:db8:5::1
for r in "$rA" "$rT" "$rB"; do
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done

ip netns exec "$sv" socat -t 30 TCP4-LISTEN:80,fork,reuseaddr SYSTEM:'echo $SOCAT_PEERADDR; cat' &
ip netns exec "$sv" socat -t 30 TCP6-LISTEN:80,fork,reuseaddr,ipv6only=1 SYSTEM:'echo $SOCAT_PEERADDR' &
ip netns exec "$sv" python3 "$REPO/selftests/udp-echo.py" 53 &
wait_listen "$sv" 80 && wait_listen "$sv" 53 udp || echo "# servers did not start"

services() { # router-function
	"$1" tenant add blue
	"$1" service add web prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto tcp port 80 allow blue
	"$1" service add dns prefix 203.0.113.0/24 proto udp port 53 allow blue
	"$1" service add icmp prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto icmp allow blue
}

case_config() {
	A router set name rA
	services A
	A interface add lan tenant blue
	A interface add wan
	A peer add rT path 192.0.2.1 192.0.2.2 path 2001:db8:ff::1 2001:db8:ff::2
	for s in web dns icmp; do A route add $s via peer rT; done

	T router set name rT
	services T
	T interface add wanA
	T interface add wanB
	T peer add rA path 192.0.2.2 192.0.2.1 path 2001:db8:ff::2 2001:db8:ff::1
	T peer add rB path 198.51.100.1 198.51.100.2 name hop2 \
		path 2001:db8:fe::1 2001:db8:fe::2
	for s in web dns icmp; do T route add $s via peer rB; done

	B router set name rB
	services B
	B interface add wan
	B interface add srv
	B peer add rT path 198.51.100.2 198.51.100.1 path 2001:db8:fe::2 2001:db8:fe::1
	for s in web dns icmp; do B route add $s via fib; done
}

case_tcp() {
	local out
	out=$(echo hello | ip netns exec "$cl" timeout 90 socat -t 30 -T 60 - TCP4:203.0.113.10:80)
	echo "$out"
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "server sees the client" &&
	assert_eq "$(echo "$out" | sed -n 2p)" hello "data back"
}

case_udp() {
	local out
	out=$(echo ping-udp | udp_ask "$cl" UDP4:203.0.113.10:53)
	echo "$out"
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "server sees the client" &&
	assert_eq "$(echo "$out" | sed -n 2p)" ping-udp "data back"
}

case_ping() {
	ip netns exec "$cl" ping -c 3 -i 0.3 -W 3 203.0.113.10
}

case_ipv6() {
	# The WANs carry IPv6 first (on a debug kernel under load a veth's
	# link may take a minute to become ready for IPv6).
	busywait 90000 ip netns exec "$rA" ping -6 -c 1 -W 1 2001:db8:ff::2 >/dev/null &&
	busywait 90000 ip netns exec "$rT" ping -6 -c 1 -W 1 2001:db8:fe::2 >/dev/null ||
		fail "the WAN does not carry IPv6" || return 1
	assert_eq "$(ip netns exec "$cl" timeout 20 socat -t 10 -T 10 - TCP6:[2001:db8:5::10]:80 </dev/null)" \
		"[2001:0db8:0001:0000:0000:0000:0000:0002]" "tcp6: server sees the client" &&
	ip netns exec "$cl" ping -6 -c 2 -i 0.3 -W 3 2001:db8:5::10 >/dev/null || fail "ping6"
}

# the uuid of rA's dns session from source port 40000
uuid_a() {
	A -j session show service dns |
		jq -r '.[] | select(.forward.sport == 40000) | .uuid'
}

# the role of session $2 on router $1
role_of() {
	"$1" -j session show service dns |
		jq -r --arg u "$2" '.[] | select(.uuid == $u) | .role'
}

case_roles() {
	local u
	echo x | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40000 >/dev/null
	A session show service dns
	T session show service dns
	B session show service dns
	u=$(uuid_a)
	[ -n "$u" ] || fail "no session on rA" || return 1
	assert_eq "$(role_of A "$u")" ingress "role on rA" &&
	assert_eq "$(role_of T "$u")" transit "the same UUID on rT, role" &&
	assert_eq "$(role_of B "$u")" egress "the same UUID on rB, role"
}

# metadata frames of a decoded capture: "<ctx> <router> <uuid>" per line
md_frames() {
	svrctl decode -j "$1" | jq -r '.[] | (.svr // {}) as $m |
		select($m.result == "metadata") |
		[if $m | has("fwd-ctx") then "fwd" elif $m | has("rev-ctx") then "rev" else "?" end,
		 $m.router, $m.uuid, .src, .dst] | map(tostring) | join(" ")'
}

case_wire() {
	local ca=/tmp/mh-wanA.pcap cb=/tmp/mh-wanB.pcap pa pb n
	ip netns exec "$rT" tcpdump -i wanA -U -w $ca -s 0 tcp >/dev/null 2>&1 &
	pa=$!
	ip netns exec "$rT" tcpdump -i wanB -U -w $cb -s 0 tcp >/dev/null 2>&1 &
	pb=$!
	sleep 1
	(echo one; sleep 0.5; echo two; sleep 0.5; echo three) |
		ip netns exec "$cl" timeout 20 socat -T 5 - TCP4:203.0.113.10:80 >/dev/null
	sleep 1
	kill $pa $pb; wait $pa $pb 2>/dev/null
	md_frames $ca | tee /tmp/mh-a.txt
	md_frames $cb | tee /tmp/mh-b.txt
	svrctl decode $cb | grep -E '^#' | head -n 20
	# Only waypoints and wayports on both hops.
	svrctl decode $ca | grep -E '^#' | grep -v '192\.0\.2\.[12]:[0-9]* -> 192\.0\.2\.[12]:' &&
		fail "non-waypoint addresses on hop 1"
	svrctl decode $cb | grep -E '^#' | grep -v '198\.51\.100\.[12]:[0-9]* -> 198\.51\.100\.[12]:' &&
		fail "non-waypoint addresses on hop 2"
	# Forward metadata from rA on hop 1 and from rT on hop 2 (the same
	# UUID), reverse metadata from rT and rB: the first packet of each
	# direction.
	grep -q '^fwd rA ' /tmp/mh-a.txt || fail "no forward metadata from rA" || return 1
	grep -q '^rev ' /tmp/mh-a.txt || fail "no reverse metadata from rT" || return 1
	grep -q '^fwd rT ' /tmp/mh-b.txt || fail "no forward metadata from rT" || return 1
	grep -q '^rev ' /tmp/mh-b.txt || fail "no reverse metadata from rB" || return 1
	assert_eq "$(grep -h '^fwd' /tmp/mh-a.txt /tmp/mh-b.txt | awk '{print $3}' | sort -u | wc -l)" 1 \
		"one UUID on both hops" || return 1
	# SYN and SYN-ACK carry it; the rest of the connection does not.
	for f in /tmp/mh-a.txt /tmp/mh-b.txt; do
		n=$(grep -c . $f)
		[ "$n" -le 4 ] || fail "$n metadata frames in $f" || return 1
	done
	for c in $ca $cb; do
		n=$(svrctl decode -j $c |
			jq '[.[] | select((.svr // {}).result != "metadata")] | length')
		assert_ge "$n" 6 "frames without metadata in $c" || return 1
	done
}

case_counters() {
	T stats | grep -E '^md_|^sessions|fast_lane' || true
	assert_ge "$(svr_counter "$rT" md_received)" 2 "rT md_received" &&
	assert_ge "$(svr_counter "$rT" md_sent_forward)" 1 "rT md_sent_forward" &&
	assert_ge "$(svr_counter "$rT" md_sent_reverse)" 1 "rT md_sent_reverse" &&
	assert_ge "$(svr_counter "$rT" pkt_fast_lane)" 10 "rT fast lane" &&
	assert_eq "$(svr_counter "$rT" drop_no_route)" 0 "rT drop_no_route"
}

case_bulk_tcp() {
	local sum_in sum_out
	head -c 3000000 /dev/urandom >/tmp/mh-bulk.in
	sum_in=$(sha256sum </tmp/mh-bulk.in)
	sum_out=$(ip netns exec "$cl" timeout 120 socat -t 10 -T 60 - TCP4:203.0.113.10:80 </tmp/mh-bulk.in |
		tail -c 3000000 | sha256sum)
	assert_eq "$sum_out" "$sum_in" "3 MB echoed intact across two hops"
}

# counter $3 of rT's path to peer $1 with local waypoint $2
pathc() { path_get "$rT" "$2" "$3" "$1"; }

case_path_counters() {
	local tx rx mds mdr
	T -s peer show
	tx=$(pathc rB 198.51.100.1 tx_packets)
	rx=$(pathc rA 192.0.2.2 rx_packets)
	mds=$(pathc rB 198.51.100.1 md_sent)
	mdr=$(pathc rA 192.0.2.2 md_received)
	# Five pings: one new session, five packets each way on both hops,
	# metadata received from rA and sent to rB once.
	ip netns exec "$cl" ping -c 5 -i 0.2 -W 3 203.0.113.10 >/dev/null || fail "ping" || return 1
	# first, before the ping session's idle timeout (10 s) can end it
	assert_ge "$(pathc rB 198.51.100.1 sessions)" 1 "sessions on the path to rB" || return 1
	T -s peer show
	T -s peer show | grep -q ' sessions [1-9]' || fail "no sessions in peer show -s" || return 1
	assert_ge "$(pathc rB 198.51.100.1 tx_packets)" $((tx + 5)) "tx to rB" &&
	assert_ge "$(pathc rB 198.51.100.1 rx_packets)" 5 "rx from rB" &&
	assert_ge "$(pathc rA 192.0.2.2 rx_packets)" $((rx + 5)) "rx from rA" &&
	assert_ge "$(pathc rA 192.0.2.2 tx_packets)" 5 "tx to rA" &&
	assert_ge "$(pathc rB 198.51.100.1 md_sent)" $((mds + 1)) "md sent to rB" &&
	assert_ge "$(pathc rA 192.0.2.2 md_received)" $((mdr + 1)) "md received from rA" &&
	assert_ge "$(pathc rB 198.51.100.1 tx_bytes)" 1000 "bytes to rB" || return 1
	# A path set keeps its counters; the sessions end, the count drops.
	T peer path set rB 198.51.100.1 198.51.100.2 cost 5
	assert_ge "$(pathc rB 198.51.100.1 tx_packets)" $((tx + 5)) "tx kept across path set" || return 1
	T session flush
	assert_eq "$(pathc rB 198.51.100.1 sessions)" 0 "no sessions after flush" &&
	assert_eq "$(pathc rA 192.0.2.2 sessions)" 0 "no sessions from rA after flush"
	# (That counters are refused as input: nltest.py peer_route.)
}

case_security() {
	local ck1=00112233445566778899aabbccddeeff hk=$(printf 'ab%.0s' $(seq 32))
	local ck2=$(printf '5a%.0s' $(seq 32)) enc dec sum_in sum_out
	# Each hop its own policy: rT decrypts with rA's and re-seals for rB.
	A security add sp1 cipher aes-cbc-128 hmac sha256 hmac-mode time-based
	A security key add sp1 1 cipher-key hex:$ck1 hmac-key hex:$hk
	T security add sp1 cipher aes-cbc-128 hmac sha256 hmac-mode time-based
	T security key add sp1 1 cipher-key hex:$ck1 hmac-key hex:$hk
	T security add sp2 cipher aes-cbc-256 hmac sha1 hmac-mode regular
	T security key add sp2 2 cipher-key hex:$ck2 hmac-key hex:$hk
	B security add sp2 cipher aes-cbc-256 hmac sha1 hmac-mode regular
	B security key add sp2 2 cipher-key hex:$ck2 hmac-key hex:$hk
	A peer set rT security sp1
	T peer set rA security sp1
	T peer set rB security sp2
	B peer set rT security sp2
	A session flush; T session flush; B session flush
	enc=$(svr_counter "$rT" md_encrypted)
	dec=$(svr_counter "$rT" md_decrypted)
	case_tcp || return 1
	case_udp || return 1
	ip netns exec "$cl" ping -c 2 -i 0.3 -W 3 203.0.113.10 >/dev/null || fail "ping" || return 1
	head -c 1000000 /dev/urandom >/tmp/mh-sec.in
	sum_in=$(sha256sum </tmp/mh-sec.in)
	sum_out=$(ip netns exec "$cl" timeout 120 socat -t 10 -T 60 - TCP4:203.0.113.10:80 </tmp/mh-sec.in |
		tail -c 1000000 | sha256sum)
	assert_eq "$sum_out" "$sum_in" "1 MB with an HMAC on every packet of both hops" &&
	assert_ge "$(svr_counter "$rT" md_encrypted)" $((enc + 6)) "rT sealed metadata" &&
	assert_ge "$(svr_counter "$rT" md_decrypted)" $((dec + 6)) "rT opened metadata" &&
	assert_ge "$(svr_counter "$rB" md_decrypted)" 3 "rB opened rT's metadata" &&
	assert_ge "$(svr_counter "$rT" hmac_verified)" 100 "rT verified HMACs" &&
	assert_ge "$(svr_counter "$rT" hmac_added)" 100 "rT added HMACs" &&
	assert_eq "$(svr_counter "$rT" drop_hmac_bad)" 0 "no bad HMAC at rT" &&
	assert_eq "$(svr_counter "$rB" drop_hmac_bad)" 0 "no bad HMAC at rB"
}

case_loop_refused() {
	# A transit whose route points back at the peer it came from.
	local before
	T route del icmp via peer rB
	T route add icmp via peer rA
	before=$(svr_counter "$rT" drop_no_route)
	ip netns exec "$cl" ping -c 1 -W 2 203.0.113.10 >/dev/null && fail "ping went through a loop"
	assert_ge "$(svr_counter "$rT" drop_no_route)" $((before + 1)) "rT drop_no_route"
	T route del icmp via peer rA
	T route add icmp via peer rB
}

# Payload encryption end to end (security.md §4): rA and rB share the
# service policy, rT has none and only relays the sealed payload.
case_payload_e2e() {
	local pk=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
	local ca=/tmp/mh-pl-A.pcap cb=/tmp/mh-pl-B.pcap pa pb out mark=SVRMARK-e2e-77d1
	local r
	for r in A B; do
		$r security add pp cipher aes-cbc-256 hmac none
		$r security key add pp 21 cipher-key hex:$pk
		$r service set dns security pp
	done
	ip netns exec "$rT" tcpdump -i wanA -U -w $ca -s 0 udp >/dev/null 2>&1 &
	pa=$!
	ip netns exec "$rT" tcpdump -i wanB -U -w $cb -s 0 udp >/dev/null 2>&1 &
	pb=$!
	sleep 1
	out=$(echo "$mark" | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=40500)
	sleep 1
	kill $pa $pb; wait $pa $pb 2>/dev/null
	echo "$out"
	assert_eq "$(echo "$out" | sed -n 2p)" "$mark" "data back through the transit" || return 1
	grep -qa "$mark" $ca && fail "clear payload on hop 1"
	grep -qa "$mark" $cb && fail "clear payload on hop 2"
	# rB opens it only if rT's metadata carried TLV 11 (sealed by the
	# per-hop policy here, so not readable on the wire).
	assert_eq "$(svr_counter "$rB" drop_payload_mismatch)" 0 "rB: TLV 11 from rT" || return 1
	assert_eq "$(svr_counter "$rT" payload_decrypted)" 0 "rT opened nothing" &&
	assert_eq "$(svr_counter "$rT" payload_encrypted)" 0 "rT sealed nothing" &&
	assert_ge "$(svr_counter "$rA" payload_encrypted)" 1 "rA sealed" &&
	assert_ge "$(svr_counter "$rB" payload_decrypted)" 1 "rB opened" || return 1
	for r in A B; do
		$r service set dns no-security
		$r security del pp
	done
}

ktap_header 13
run_case "configure three routers" case_config
run_case "TCP across two hops: server sees the client" case_tcp
run_case "UDP across two hops" case_udp
run_case "ping across two hops" case_ping
run_case "IPv6 across two hops" case_ipv6
run_case "the session on all three routers: roles and UUID" case_roles
run_case "metadata on both hops, first packets only" case_wire
run_case "transit counters" case_counters
run_case "bulk TCP across two hops" case_bulk_tcp
run_case "per-path counters in peer show" case_path_counters
run_case "a security policy per hop: rT re-seals for rB" case_security
run_case "a route back to the previous peer is refused" case_loop_refused
run_case "payload encryption end to end: the transit only relays it" case_payload_e2e
cleanup_all_ns
svr_unload
ktap_finish
