#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Payload encryption per service (Documentation/security.md §4): a service
# with a security policy has the L4 payload of every packet of its sessions
# encrypted between the ingress and the egress router, flagged by TLV 11.
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#
# Each capture of the WAN is opened by selftests/secpkt.py with Python's
# cryptography module (key id + IV + AES-CBC, PKCS#7): the marker the
# client sent is in a decrypted payload and in no packet as sent; the
# capture at rB's srv side carries it in the clear.
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

source "$(dirname "$0")/topo.sh"
topo_two_routers

SEC=$(dirname "$0")/secpkt.py
PK=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
PK2=f0e0d0c0b0a090807060504030201000f0e0d0c0b0a090807060504030201000
CK128=00112233445566778899aabbccddeeff
HK1=4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b
PKARGS=(--payload-key $PK --payload-key-id 21)
T=/tmp/svr-pl

capture_start() { # netns dev file
	pcap_start "$@"
	cap_pids+=($cap_pid)
}

capture_stop() {
	pcap_stop "${cap_pids[@]}"
	cap_pids=()
}

# Both captures running: rB's wan (sealed) and rB's srv (clear).
captures() { # name
	cap_pids=()
	capture_start "$rB" wan $T-$1-wan.pcap
	capture_start "$rB" srv $T-$1-srv.pcap
}

stats() {
	local r
	for r in A B; do
		$r stats | grep -E '^(drop|payload|hmac|sess|md_(sent|rec)|gso|tcp)' |
			grep -v ' 0$' | sed "s/^/$r /"
	done
}

# tcp_udp MARKER: a TCP line and a UDP datagram with MARKER come back.
tcp_udp() {
	local out
	out=$(tcp_echo "$1-tcp")
	if [ "$(echo "$out" | sed -n 2p)" != "$1-tcp" ]; then
		stats
		fail "tcp data back: expected '$1-tcp', got '$out'"
	fi
	out=$(echo "$1-udp" | udp_ask "$cl" UDP4:203.0.113.10:53)
	assert_eq "$(echo "$out" | sed -n 2p)" "$1-udp" "udp data back"
}

# on_wire NAME MARKER KEYARGS...: the WAN capture opened by secpkt.py, the
# marker not readable there, readable at the server side.
on_wire() {
	local name=$1 m=$2; shift 2
	python3 "$SEC" verify $T-$name-wan.pcap "$@" "${PKARGS[@]}" --expect-text "$m"
	! grep -aq "$m" $T-$name-wan.pcap || fail "'$m' readable on the WAN"
	grep -aq "$m-tcp" $T-$name-srv.pcap || fail "the server side did not get '$m-tcp'"
	grep -aq "$m-udp" $T-$name-srv.pcap || fail "the server side did not get '$m-udp'"
}

case_config() {
	local r
	topo_two_routers_config
	for r in A B; do
		$r security add pp cipher aes-cbc-256 hmac none
		$r security key add pp 21 cipher-key hex:$PK
		$r service set web security pp
		$r service set dns security pp
		$r service set icmp security pp
	done
	A service show web | grep -q 'security pp' || fail "service web: no 'security pp'"
}

case_clear_metadata() {
	local e0 d0
	e0=$(svr_counter "$rA" payload_encrypted)
	d0=$(svr_counter "$rB" payload_decrypted)
	captures clear
	tcp_udp SVRMARK-clear-5f2a
	capture_stop
	stats
	on_wire clear SVRMARK-clear-5f2a
	# Both directions: rA seals for rB and opens what rB sealed.
	assert_ge "$(svr_counter "$rA" payload_encrypted)" $((e0 + 2)) "rA payload_encrypted"
	assert_ge "$(svr_counter "$rB" payload_decrypted)" $((d0 + 2)) "rB payload_decrypted"
	assert_ge "$(svr_counter "$rB" payload_encrypted)" 2 "rB payload_encrypted"
	assert_ge "$(svr_counter "$rA" payload_decrypted)" 2 "rA payload_decrypted"
	# Clear metadata: svrctl decode shows TLV 11 in the first packets.
	svrctl decode $T-clear-wan.pcap > $T-decode.txt
	grep -c 'session-encrypted' $T-decode.txt | sed 's/^/# first packets with session-encrypted: /'
	grep -q 'session-encrypted' $T-decode.txt || fail "decode: no TLV 11 (session-encrypted)"
	svrctl -j decode $T-clear-wan.pcap | grep -q 'session-encrypted' ||
		fail "decode JSON: no session-encrypted"
}

case_ping() {
	local e0
	e0=$(svr_counter "$rA" payload_encrypted)
	ip netns exec "$cl" ping -q -c 3 -i 0.3 -W 5 -p 5356524d41524b 203.0.113.10 >/dev/null ||
		fail "ping through a service with payload encryption"
	assert_ge "$(svr_counter "$rA" payload_encrypted)" $((e0 + 3)) "rA payload_encrypted by ping"
}

# The peers' policy too: sealed metadata, the HMAC trailer over the sealed
# payload; secpkt.py checks both layers.
case_with_peer_policy() {
	local r
	for r in A B; do
		$r security add sp1 cipher aes-cbc-128 hmac sha256-128 hmac-mode regular
		$r security key add sp1 1 cipher-key hex:$CK128 hmac-key hex:$HK1
	done
	A peer set rB security sp1
	B peer set rA security sp1
	A session flush
	B session flush
	captures peer
	tcp_udp SVRMARK-peer-81c3
	capture_stop
	stats
	on_wire peer SVRMARK-peer-81c3 --key-id 1 --cipher-key $CK128 \
		--hmac-key $HK1 --hmac sha256-128 --mode regular --expect-sealed
}

case_gso_bulk() {
	local seg0
	ip netns exec "$rA" ethtool -K lan gro on >/dev/null 2>&1
	ip netns exec "$rB" ethtool -K srv gro on >/dev/null 2>&1
	ip netns exec "$rB" ethtool -K wan gro on >/dev/null 2>&1
	ip netns exec "$cl" ethtool -K eth0 tso on gso on >/dev/null 2>&1
	seg0=$(( $(svr_counter "$rA" gso_segmented) + $(svr_counter "$rB" gso_segmented) ))
	head -c 1000000 /dev/urandom > $T-bulk.in
	ip netns exec "$cl" timeout 120 socat -t 20 -T 60 - TCP4:203.0.113.10:80 \
		< $T-bulk.in > $T-bulk.out
	tail -c +12 $T-bulk.out | cmp - $T-bulk.in || fail "bulk data differs"
	echo "gso_segmented rA $(svr_counter "$rA" gso_segmented) rB $(svr_counter "$rB" gso_segmented)," \
		"mss clamped rA $(svr_counter "$rA" tcp_mss_clamped) rB $(svr_counter "$rB" tcp_mss_clamped)"
	assert_ge "$(( $(svr_counter "$rA" gso_segmented) + $(svr_counter "$rB" gso_segmented) ))" \
		$((seg0 + 1)) "GSO packets segmented"
	assert_ge "$(svr_counter "$rA" tcp_mss_clamped)" 1 "MSS clamped on rA"
}

# udp_refused COUNTER MARKER: a datagram is not answered, COUNTER moves on
# rB and the server side never sees the marker.
udp_refused() {
	local before out
	before=$(svr_counter "$rB" "$1")
	cap_pids=()
	capture_start "$rB" srv $T-refused.pcap
	out=$(echo "$2" | ip netns exec "$cl" timeout 30 socat -T 5 - UDP4:203.0.113.10:53,sourceport=$3 || true)
	capture_stop
	[ -z "$out" ] || fail "$1: answered: '$out'"
	busywait 30000 sh -c "[ \$(ip netns exec $rB awk '\$1 == \"$1\" { print \$2 }' /proc/net/svr/stats) -gt $before ]" ||
		fail "$1 did not move"
	! grep -aq "$2" $T-refused.pcap || fail "$1: '$2' reached the server side"
	echo "$1: $before -> $(svr_counter "$rB" "$1")"
}

case_wrong_key() {
	# Same key id, other bytes on rB: the padding does not check out.
	B security key del pp 21
	B security key add pp 21 cipher-key hex:$PK2
	A session flush
	B session flush
	udp_refused drop_payload_decrypt SVRMARK-wrongkey 42001
	# A key id rB does not have.
	B security key del pp 21
	B security key add pp 22 cipher-key hex:$PK
	A session flush
	udp_refused drop_payload_unknown_key SVRMARK-unknownkey 42002
	# A key of another policy.
	B security key del pp 22
	B security add other cipher aes-cbc-256 hmac none
	B security key add other 21 cipher-key hex:$PK
	B security key add pp 23 cipher-key hex:$PK
	A session flush
	udp_refused drop_payload_wrong_policy SVRMARK-otherpolicy 42003
	B security del other
	B security key del pp 23
	B security key add pp 21 cipher-key hex:$PK
	A session flush
	B session flush
	tcp_udp SVRMARK-again
}

case_mismatch() {
	local s0
	# rB's dns without payload encryption: TLV 11 is refused.
	B service set dns no-security
	s0=$(svr_counter "$rB" sessions_created)
	udp_refused drop_payload_mismatch SVRMARK-mismatch 42010
	assert_eq "$(svr_counter "$rB" sessions_created)" "$s0" "sessions created on rB"
	B service set dns security pp
}

# The first packets secpkt.py builds for case_hostile, from ports 42100,
# 42101, ... in this order, and the counter on rB each must move: a valid
# one (a session), then four spoiled ones (a drop each, no session).
HOSTILE=(payload-valid:sessions_created
	payload-not-blocks:drop_payload_malformed
	payload-bad-padding:drop_payload_decrypt
	payload-unknown-key:drop_payload_unknown_key
	payload-no-tlv11:drop_payload_mismatch)

case_hostile() {
	local h kinds=() before=() i=0 s0
	for h in "${HOSTILE[@]}"; do
		kinds+=("${h%%:*}")
		before+=("$(svr_counter "$rB" "${h#*:}")")
	done
	s0=${before[0]}
	# One Python start sends them all (it takes seconds on the debug kernel).
	ip netns exec "$rA" python3 "$SEC" send "$(IFS=,; echo "${kinds[*]}")" \
		--key-id 1 --cipher-key $CK128 --hmac-key $HK1 --hmac sha256-128 \
		--mode regular "${PKARGS[@]}" --sport 42100
	for h in "${HOSTILE[@]}"; do
		busywait 5000 sh -c "[ \$(ip netns exec $rB awk '\$1 == \"${h#*:}\" { print \$2 }' /proc/net/svr/stats) -gt ${before[i]} ]" ||
			fail "${h%%:*}: ${h#*:} did not move"
		echo "${h%%:*}: ${h#*:} ${before[i]} -> $(svr_counter "$rB" "${h#*:}")"
		i=$((i + 1))
	done
	assert_eq "$(svr_counter "$rB" sessions_created)" $((s0 + 1)) \
		"sessions created on rB: the valid packet's only"
	tcp_udp SVRMARK-after-hostile
}

case_counters() {
	assert_eq "$(svr_counter "$rA" drop_crypto_error)" 0 "rA drop_crypto_error"
	assert_eq "$(svr_counter "$rB" drop_crypto_error)" 0 "rB drop_crypto_error"
	! { A security show; A -j security show; A service show; dmesg; } |
		grep -qi -e "$PK" -e "$PK2" || fail "payload key bytes visible"
}

ktap_header 9
run_case "services web, dns, icmp with payload policy pp on both routers" case_config
run_case "TCP and UDP: payload sealed on the WAN, clear at the server, TLV 11" case_clear_metadata
run_case "ping through a service with payload encryption" case_ping
run_case "payload encryption inside sealed metadata and the HMAC trailer" case_with_peer_policy
run_case "TCP bulk with GRO/TSO: segmented, MSS clamped, data intact" case_gso_bulk
run_case "wrong key bytes, unknown key id, another policy's key: dropped, counted" case_wrong_key
run_case "TLV 11 for a service without payload policy: refused" case_mismatch
run_case "hostile sealed payloads at the waypoint" case_hostile
run_case "counters; payload key bytes never shown" case_counters
cleanup_all_ns
svr_unload
ktap_finish
