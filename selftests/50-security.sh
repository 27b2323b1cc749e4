#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Security between two SVR routers (Documentation/security.md): metadata
# encrypted with AES-CBC, the HMAC trailer on every packet, key rotation,
# GSO, and hostile input at the waypoint.
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#
# Every capture of the WAN is checked by selftests/secpkt.py, which
# recomputes the HMACs and decrypts the metadata with Python's hmac and
# cryptography modules: a known-answer test of the layout of §16.
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

source "$(dirname "$0")/topo.sh"
topo_two_routers

SEC=$(dirname "$0")/secpkt.py
CK128=00112233445566778899aabbccddeeff
CK256=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
HK1=4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b
HK2=a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a55a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a
# The policy in force: secpkt.py arguments.
KEYARGS=()

sessions() { # netns: number of sessions
	svrctl -n "$1" -j session show |
		python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
}

# secure CIPHER HMAC MODE ID CKEY HKEY: policy sp1 on both peers.
secure() {
	local r ck=()
	[ "$1" != none ] && ck=(cipher-key "hex:$5")
	for r in A B; do
		$r security del sp1 force 2>/dev/null || true
		$r security add sp1 cipher "$1" hmac "$2" hmac-mode "$3"
		$r security key add sp1 "$4" "${ck[@]}" hmac-key "hex:$6"
	done
	A peer set rB security sp1
	B peer set rA security sp1
	A session flush
	B session flush
	KEYARGS=(--key-id "$4" --hmac "$2" --mode "$3" --hmac-key "$6")
	[ "$1" != none ] && KEYARGS+=(--cipher-key "$5")
	return 0
}

capture_start() { pcap_start "$rB" wan "$1"; }
capture_stop() { pcap_stop; }

traffic() {
	local out
	# Keep our side open until the echo is back: the server's socat ends
	# 0.5 s after our FIN, which on a loaded host can be before its shell
	# started cat (then "hello" never comes back).
	out=$(tcp_echo hello)
	if [ "$(echo "$out" | sed -n 2p)" != hello ]; then
		for r in A B; do
			$r stats | grep -E '^(drop|hmac|sess|md_(sent|rec)|tcp|gso)' |
				grep -v ' 0$' | sed "s/^/$r /"
			$r session show
		done
		fail "tcp data back: expected 'hello', got '$out'"
		return 1
	fi
	out=$(echo ping-udp | udp_ask "$cl" UDP4:203.0.113.10:53)
	assert_eq "$(echo "$out" | head -n1)" 198.18.1.2 "udp answer" || return 1
	ip netns exec "$cl" ping -q -c 2 -i 0.3 -W 5 203.0.113.10 >/dev/null || fail "ping"
}

# check_policy CIPHER HMAC MODE: traffic, then the WAN capture checked.
check_policy() {
	local pcap=/tmp/svr-sec-$1-$2-$3.pcap sealed=()
	secure "$1" "$2" "$3" 1 "$([ "$1" = aes-cbc-256 ] && echo $CK256 || echo $CK128)" $HK1
	capture_start $pcap
	traffic || { capture_stop; return 1; }
	capture_stop
	[ "$1" != none ] && sealed=(--expect-sealed)
	python3 "$SEC" verify $pcap "${KEYARGS[@]}" "${sealed[@]}" || return 1
	if [ "$1" != none ]; then
		svrctl decode $pcap > /tmp/svr-sec.txt
		grep -q 'opaque payload section' /tmp/svr-sec.txt || fail "decode does not say opaque"
		grep -q 'service web' /tmp/svr-sec.txt && fail "service name readable on the WAN"
	fi
	assert_ge "$(svr_counter "$rB" hmac_verified)" 1 "rB hmac_verified"
	return 0
}

case_config() {
	topo_two_routers_config
	# The transforms are keyed when a key is added: which drivers?
	secure aes-cbc-128 sha256 time-based 1 $CK128 $HK1
	dmesg | grep 'svr: security policy sp1' | tail -n 1
}

# SVR_SEC_CASES="name..." runs only those case functions (the rest skip).
sec_case() { # description function [args]
	local fn=$2
	if [ -n "$SVR_SEC_CASES" ] && [ "$fn" != case_config ] &&
	   [[ " $SVR_SEC_CASES " != *" $fn "* ]]; then
		run_case "$1" true_skip
		return
	fi
	run_case "$@"
}
true_skip() { return $ksft_skip; }

# Hostile input: one packet of KIND at rB's waypoint; COUNTER must move,
# no session may appear, and legitimate traffic goes on.
hostile() { # kind counter [sport]
	local before s0 n
	before=$(svr_counter "$rB" "$2")
	s0=$(svr_counter "$rB" sessions_created)
	ip netns exec "$rA" python3 "$SEC" send "$1" "${KEYARGS[@]}" --sport "${3:-40001}" || return 1
	busywait 5000 sh -c "[ \$(ip netns exec $rB awk '\$1 == \"$2\" { print \$2 }' /proc/net/svr/stats) -gt $before ]" ||
		fail "$1: $2 did not move"
	n=$(svr_counter "$rB" sessions_created)
	assert_eq "$n" "$s0" "$1: sessions created on rB" || return 1
	echo "$1: $2 $before -> $(svr_counter "$rB" "$2"), sessions created $n"
}

case_hostile() {
	secure aes-cbc-256 sha256 time-based 1 $CK256 $HK1
	# A second policy, not the peer's: its key is known but wrong here.
	B security add sp2 cipher aes-cbc-256 hmac sha256 hmac-mode time-based
	B security key add sp2 50 cipher-key hex:$CK256 hmac-key hex:$HK1
	# First, one that is right in every way: the egress accepts it.
	local s0
	s0=$(sessions "$rB")
	ip netns exec "$rA" python3 "$SEC" send valid "${KEYARGS[@]}" --sport 40100
	busywait 5000 sh -c "[ \$(svrctl -n $rB -j session show | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))') -gt $s0 ]" ||
		fail "a first packet built by secpkt.py was not accepted"
	hostile bad-hmac drop_hmac_bad 40002
	hostile stale-slot drop_hmac_bad 40003
	hostile unknown-key drop_sec_unknown_key 40004
	hostile wrong-key drop_sec_wrong_policy 40005
	hostile no-key-id drop_sec_missing 40006
	hostile truncated md_payload_len_overrun 40007
	hostile hl-lies md_payload_len_overrun 40008
	hostile pl-lies md_payload_len_overrun 40009
	hostile not-blocks md_cipher_len 40010
	hostile bad-padding drop_md_decrypt 40011
	hostile tlv-fill md_payload_tlv_fill 40012
	B security del sp2
	traffic
}

case_replay() {
	local pcap=/tmp/svr-sec-replay.pcap before s0
	secure aes-cbc-128 sha256-128 time-based 1 $CK128 $HK1
	capture_start $pcap
	echo replay-me | udp_ask "$cl" UDP4:203.0.113.10:53,sourceport=41234 >/dev/null
	capture_stop
	B session flush
	sleep 5	# three time slots later
	before=$(svr_counter "$rB" drop_hmac_bad)
	s0=$(svr_counter "$rB" sessions_created)
	ip netns exec "$rA" python3 "$SEC" replay $pcap || return 1
	busywait 5000 sh -c "[ \$(ip netns exec $rB awk '\$1 == \"drop_hmac_bad\" { print \$2 }' /proc/net/svr/stats) -gt $before ]" ||
		fail "the replay was not dropped as drop_hmac_bad"
	assert_eq "$(svr_counter "$rB" sessions_created)" "$s0" "sessions created on rB by the replay"
	traffic
}

case_gso_bulk() {
	local seg0
	secure aes-cbc-128 sha256-128 regular 1 $CK128 $HK1
	# GRO on the routers' inputs hands svr super-packets; TSO on the ends.
	ip netns exec "$rA" ethtool -K lan gro on >/dev/null 2>&1
	ip netns exec "$rB" ethtool -K srv gro on >/dev/null 2>&1
	ip netns exec "$rB" ethtool -K wan gro on >/dev/null 2>&1
	ip netns exec "$cl" ethtool -K eth0 tso on gso on >/dev/null 2>&1
	seg0=$(( $(svr_counter "$rA" gso_segmented) + $(svr_counter "$rB" gso_segmented) ))
	head -c 2000000 /dev/urandom > /tmp/svr-bulk.in
	ip netns exec "$cl" timeout 120 socat -t 20 -T 60 - TCP4:203.0.113.10:80 \
		< /tmp/svr-bulk.in > /tmp/svr-bulk.out
	tail -c +12 /tmp/svr-bulk.out | cmp - /tmp/svr-bulk.in || fail "bulk data differs"
	echo "gso_segmented rA $(svr_counter "$rA" gso_segmented) rB $(svr_counter "$rB" gso_segmented)," \
		"mss clamped rA $(svr_counter "$rA" tcp_mss_clamped) rB $(svr_counter "$rB" tcp_mss_clamped)"
	assert_ge "$(( $(svr_counter "$rA" gso_segmented) + $(svr_counter "$rB" gso_segmented) ))" $((seg0 + 1)) "GSO packets segmented"
	assert_ge "$(svr_counter "$rA" tcp_mss_clamped)" 1 "MSS clamped on rA"
}

case_rotation() {
	local pcap=/tmp/svr-sec-rot.pcap n
	secure aes-cbc-256 sha256 time-based 1 $CK256 $HK1
	echo 2 > /sys/module/svr/parameters/key_delay
	# Live traffic: a TCP session that echoes a line every 0.25 s and a ping.
	(for i in $(seq 1 48); do echo line$i; sleep 0.25; done; sleep 3) |
		ip netns exec "$cl" timeout 60 socat -t 10 -T 30 - TCP4:203.0.113.10:80 > /tmp/svr-rot.out &
	local tcp=$!
	ip netns exec "$cl" ping -c 40 -i 0.3 -W 5 203.0.113.10 > /tmp/svr-rot.ping &
	local png=$!
	sleep 2
	A security key add sp1 2 cipher-key hex:$CK128$CK128 hmac-key hex:$HK2
	B security key add sp1 2 cipher-key hex:$CK128$CK128 hmac-key hex:$HK2
	sleep 3		# key_delay: both now send with key 2
	capture_start $pcap
	echo after-rotation | udp_ask "$cl" UDP4:203.0.113.10:53 >/dev/null
	capture_stop
	A security key del sp1 1
	B security key del sp1 1
	wait $tcp $png
	echo 30 > /sys/module/svr/parameters/key_delay
	python3 "$SEC" verify $pcap --key-id 2 --cipher-key $CK128$CK128 --hmac-key $HK2 \
		--hmac sha256 --mode time-based --expect-sealed || fail "not key 2 after the rotation"
	n=$(grep -c '^line' /tmp/svr-rot.out)
	for r in A B; do $r stats | grep -E '^(drop|hmac|sessions)' | grep -v ' 0$' | sed "s/^/$r /"; done
	assert_eq "$n" 48 "lines echoed through the rotation" || return 1
	grep -E 'packets transmitted' /tmp/svr-rot.ping
	grep -q ' 0% packet loss' /tmp/svr-rot.ping || fail "ping lost packets in the rotation"
	KEYARGS=(--key-id 2 --hmac sha256 --mode time-based --hmac-key $HK2 --cipher-key $CK128$CK128)
	traffic
}

case_counters() {
	B stats | grep -E '^(hmac|md_|drop_(hmac|sec|md|gso|crypto)|gso|tcp_mss)' || true
	assert_eq "$(svr_counter "$rA" drop_crypto_error)" 0 "rA drop_crypto_error"
	assert_eq "$(svr_counter "$rB" drop_crypto_error)" 0 "rB drop_crypto_error"
	# Key bytes never show: not in show, JSON, /proc or the log.
	! { A security show; A -j security show; ip netns exec "$rA" cat /proc/net/svr/* 2>/dev/null; dmesg; } |
		grep -qi -e "$CK128" -e 4b4b4b4b4b4b4b4b -e a5a5a5a5a5a5 || fail "key bytes visible"
}

# HMAC off (metadata sealed; packets between the routers otherwise as
# they were): the fast lane adds nothing and keeps GSO packets whole.
case_hmac_none() {
	local r seg0 hm0 segs
	for r in A B; do
		$r security del sp1 force 2>/dev/null || true
		$r security add sp1 cipher aes-cbc-128 hmac none
		$r security key add sp1 1 cipher-key hex:$CK128
	done
	A peer set rB security sp1
	B peer set rA security sp1
	A session flush
	B session flush
	traffic || return 1
	assert_ge "$(svr_counter "$rA" md_encrypted)" 1 "rA md_encrypted" || return 1
	ip netns exec "$rA" ethtool -K lan gro on >/dev/null 2>&1
	ip netns exec "$rB" ethtool -K srv gro on >/dev/null 2>&1
	ip netns exec "$rB" ethtool -K wan gro on >/dev/null 2>&1
	ip netns exec "$cl" ethtool -K eth0 tso on gso on >/dev/null 2>&1
	seg0=$(( $(svr_counter "$rA" gso_segmented) + $(svr_counter "$rB" gso_segmented) ))
	hm0=$(( $(svr_counter "$rA" hmac_added) + $(svr_counter "$rB" hmac_added) ))
	head -c 2000000 /dev/urandom > /tmp/svr-bulk.in
	ip netns exec "$cl" timeout 120 socat -t 20 -T 60 - TCP4:203.0.113.10:80 \
		< /tmp/svr-bulk.in > /tmp/svr-bulk.out
	tail -c +12 /tmp/svr-bulk.out | cmp - /tmp/svr-bulk.in || fail "bulk data differs"
	segs=$(( $(svr_counter "$rA" gso_segmented) + $(svr_counter "$rB" gso_segmented) ))
	echo "gso_segmented $seg0 -> $segs"
	assert_eq "$segs" "$seg0" "GSO packets segmented with HMAC off" || return 1
	assert_eq "$(( $(svr_counter "$rA" hmac_added) + $(svr_counter "$rB" hmac_added) ))" \
		"$hm0" "HMAC trailers added with HMAC off"
}

ktap_header 12
sec_case "configure both routers with policy sp1" case_config
sec_case "aes-cbc-128, hmac sha256 time-based: sealed metadata, 32-byte trailers" check_policy aes-cbc-128 sha256 time-based
sec_case "aes-cbc-256, hmac sha1 regular: 20-byte trailers" check_policy aes-cbc-256 sha1 regular
sec_case "aes-cbc-256, hmac sha256-128 time-based: 16-byte trailers" check_policy aes-cbc-256 sha256-128 time-based
sec_case "aes-cbc-128, hmac sha256-128 regular" check_policy aes-cbc-128 sha256-128 regular
sec_case "hmac sha256 only, metadata in the clear" check_policy none sha256 regular
sec_case "hostile input: dropped, counted, no session, traffic flows" case_hostile
sec_case "a first packet replayed three time slots later is dropped" case_replay
sec_case "TCP bulk with GRO/TSO and the HMAC: segmented, data intact" case_gso_bulk
sec_case "key rotation under live traffic loses nothing" case_rotation
sec_case "counters; key bytes never shown" case_counters
sec_case "aes-cbc-128, hmac none: fast lane adds nothing, GSO kept whole" case_hmac_none
cleanup_all_ns
svr_unload
ktap_finish
