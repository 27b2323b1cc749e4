#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# BFD liveness on peer paths (RFC 5880 control packets on UDP 1280): rA
# reaches rB over two paths with BFD on both. The link of the used path
# starts dropping everything in the middle of a TCP transfer: the path goes
# down by itself after the detection time, the session moves to the other
# path and the transfer completes; when the link carries packets again, the
# path comes back up.
#
#   client --lan-- rA ==wan  (192.0.2.0/24, cost 0)====== rB --srv-- server
#                     ==wan2 (198.51.100.0/24, cost 20)==
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
TMP=$(mktemp -d)
trap 'cleanup_all_ns; rm -rf "$TMP"' EXIT

# 300 ms x 5: a path is down 1.5 s after its last probe arrived.
INTERVAL=300
MULT=5

topo_two_routers
topo_two_routers_config >/dev/null
veth_link "$rA" wan2 "$rB" wan2 198.51.100.1/24 198.51.100.2/24
svr_modprobe nf_tables >/dev/null 2>&1

path_is() { [ "$(path_get "$1" "$2" bfd_state)" = "$3" ]; }

# The wan link between rA and rB drops every packet, both ways (or not).
wan_cut() {
	local ns
	for ns in "$rA" "$rB"; do
		ip netns exec "$ns" nft -f - <<'NFT' || return 1
table inet cut {
	chain pre {
		type filter hook prerouting priority -500;
		iifname "wan" drop
	}
}
NFT
	done
}

wan_heal() {
	ip netns exec "$rA" nft delete table inet cut
	ip netns exec "$rB" nft delete table inet cut
}

case_bfd_config() {
	A interface add wan2
	B interface add wan2
	A peer path add rB 198.51.100.1 198.51.100.2 cost 20 name backup
	B peer path add rA 198.51.100.2 198.51.100.1 cost 20
	assert_fails A peer path set rB 192.0.2.1 192.0.2.2 bfd-interval 5 2>/dev/null
	assert_fails A peer path set rB 192.0.2.1 192.0.2.2 bfd-interval 60001 2>/dev/null
	assert_fails A peer path set rB 192.0.2.1 192.0.2.2 bfd-multiplier 256 2>/dev/null
	A peer path set rB 192.0.2.1 192.0.2.2 bfd-interval $INTERVAL bfd-multiplier $MULT
	A peer path set rB 198.51.100.1 198.51.100.2 bfd-interval $INTERVAL bfd-multiplier $MULT
	B peer path set rA 192.0.2.2 192.0.2.1 bfd-interval $INTERVAL bfd-multiplier $MULT
	B peer path set rA 198.51.100.2 198.51.100.1 bfd-interval $INTERVAL bfd-multiplier $MULT
	assert_eq "$(A peer show rB | grep -c "bfd-interval $INTERVAL bfd-multiplier $MULT")" 2 \
		"peer show: the BFD options of both paths"
	assert_eq "$(path_get "$rA" 192.0.2.1 bfd_interval)" $INTERVAL "JSON bfd_interval"
	assert_eq "$(path_get "$rA" 192.0.2.1 bfd_multiplier)" $MULT "JSON bfd_multiplier"
}

case_bfd_up() {
	local ns l
	for ns in "$rA" "$rB"; do
		for l in 192.0.2 198.51.100; do
			[ "$ns" = "$rA" ] && l=$l.1 || l=$l.2
			busywait 30000 path_is "$ns" "$l" up ||
				fail "$ns path $l: BFD $(path_get "$ns" "$l" bfd_state)" || return 1
		done
	done
	A -s peer show rB
	assert_ge "$(path_get "$rA" 192.0.2.1 bfd_rx)" 2 "rA probes received on wan"
	assert_ge "$(path_get "$rB" 192.0.2.2 bfd_tx)" 2 "rB probes sent on wan"
	assert_ge "$(svr_counter "$rA" bfd_path_up)" 2 "rA bfd_path_up"
	# The packets on the wire: RFC 5880 version 1, 24 bytes, port 1280.
	ip netns exec "$rB" timeout 10 tcpdump -c 1 -nni wan -x \
		'src host 192.0.2.1 and udp dst port 1280' \
		>"$TMP/bfd.txt" 2>/dev/null
	cat "$TMP/bfd.txt"
	grep -q '192.0.2.1.1280 > 192.0.2.2.1280: UDP, length 24' "$TMP/bfd.txt" ||
		fail "no BFD control packet from rA on wan" || return 1
	# Bytes 20-31: UDP ports 1280, length 32; BFD version 1, diagnostic
	# 0, state up (3 << 6), the multiplier, length 24.
	assert_eq "$(awk '$1 == "0x0010:" { print $4, $5, $6, $8, $9 }' "$TMP/bfd.txt")" \
		"0500 0500 0020 20c0 $(printf '%02x' $MULT)18" "BFD header on the wire"
}

case_bfd_failover() {
	local got start now downs_a
	downs_a=$(path_get "$rA" 192.0.2.1 bfd_downs)
	ip netns exec "$cl" python3 "$REPO/selftests/tcp-transfer.py" >"$TMP/bfd-transfer.out" 2>&1 &
	local pid=$!
	busywait 90000 sh -c "svrctl -n $rA session show service web | grep -q ." ||
		fail "no session" || return 1
	sleep 1
	A session show service web
	# The clock starts before the cut: the rule takes effect somewhere
	# inside wan_cut, whose return can come 100 ms later on a debug
	# kernel (a start taken after it measured 1,133 ms once).
	start=$(date +%s%3N)
	wan_cut || fail "nft" || return 1
	busywait 30000 path_is "$rA" 192.0.2.1 down
	now=$(date +%s%3N)
	echo "# rA: path wan down $((now - start)) ms after the cut (detection time $((INTERVAL * MULT)) ms)"
	path_is "$rA" 192.0.2.1 down || fail "rA path wan still $(path_get "$rA" 192.0.2.1 bfd_state)"
	# Generous for a loaded VM; the detection time is the floor.
	assert_ge $((now - start)) $((INTERVAL * (MULT - 1))) "not before the detection time"
	assert_ge 30000 $((now - start)) "ms until down"
	busywait 30000 path_is "$rB" 192.0.2.2 down || fail "rB path wan still up"
	wait $pid
	cat "$TMP/bfd-transfer.out"
	got=$(tail -n1 "$TMP/bfd-transfer.out")
	A -s peer show rB
	A session show service web
	assert_eq "$got" ok "the transfer survived the move"
	assert_eq "$(path_get "$rA" 198.51.100.1 bfd_state)" up "the backup path stays up"
	assert_ge "$(path_get "$rA" 192.0.2.1 bfd_downs)" $((downs_a + 1)) "rA path wan bfd_downs"
	assert_ge "$(svr_counter "$rA" bfd_path_down)" 1 "rA bfd_path_down"
	assert_ge "$(svr_counter "$rA" sessions_moved)" 1 "rA sessions_moved"
	assert_ge "$(svr_counter "$rB" sessions_moved)" 1 "rB sessions_moved"
	assert_ge "$(path_get "$rA" 198.51.100.1 tx_packets)" 100 "packets on the backup path"
}

case_bfd_back_up() {
	local rx tx
	rx=$(path_get "$rA" 192.0.2.1 bfd_rx)
	wan_heal
	busywait 30000 path_is "$rA" 192.0.2.1 up || fail "rA path wan: $(path_get "$rA" 192.0.2.1 bfd_state)"
	busywait 30000 path_is "$rB" 192.0.2.2 up || fail "rB path wan: $(path_get "$rB" 192.0.2.2 bfd_state)"
	assert_ge "$(path_get "$rA" 192.0.2.1 bfd_rx)" $((rx + 1)) "probes again"
	# New sessions take the cheaper path again.
	tx=$(path_get "$rA" 192.0.2.1 tx_packets)
	echo hello | ip netns exec "$cl" timeout 60 socat -t 20 -T 20 - TCP4:203.0.113.10:80 >/dev/null
	A -s peer show rB
	assert_ge "$(path_get "$rA" 192.0.2.1 tx_packets)" $((tx + 3)) \
		"a new session on the path that came back"
}

case_bfd_admin_down() {
	# Taken down by hand, the path tells the peer (AdminDown): it goes
	# down on rB at once, not after the detection time.
	A peer path set rB 192.0.2.1 192.0.2.2 down
	busywait 30000 path_is "$rA" 192.0.2.1 admin-down || fail "rA: $(path_get "$rA" 192.0.2.1 bfd_state)"
	busywait 30000 path_is "$rB" 192.0.2.2 down || fail "rB: $(path_get "$rB" 192.0.2.2 bfd_state)"
	assert_eq "$(path_get "$rB" 192.0.2.2 bfd_diag)" 3 "rB diagnostic: neighbor signaled down"
	A peer path set rB 192.0.2.1 192.0.2.2 up
	busywait 30000 path_is "$rA" 192.0.2.1 up || fail "rA: $(path_get "$rA" 192.0.2.1 bfd_state)"
	# BFD off on rA: the path is usable without probes there; rB, which
	# still runs BFD, hears nothing and takes its end down.
	A peer path set rB 192.0.2.1 192.0.2.2 bfd-interval 0
	A peer show rB
	assert_eq "$(A peer show rB | grep -c '192.0.2.1 192.0.2.2.*\(bfd-interval\|bfd up\)')" 0 \
		"rA: no BFD on the path"
	assert_eq "$(path_get "$rA" 192.0.2.1 bfd_state)" admin-down "rA JSON bfd_state"
	busywait 30000 path_is "$rB" 192.0.2.2 down || fail "rB: $(path_get "$rB" 192.0.2.2 bfd_state)"
	assert_eq "$(path_get "$rB" 192.0.2.2 bfd_diag)" 1 "rB diagnostic: detection time expired"
	assert_eq "$(svr_counter "$rB" drop_bfd_malformed)" 0 "rB drop_bfd_malformed"
}

case_bfd_ipv6() {
	A peer path set rB 2001:db8:ff::1 2001:db8:ff::2 bfd-interval $INTERVAL
	B peer path set rA 2001:db8:ff::2 2001:db8:ff::1 bfd-interval $INTERVAL
	busywait 30000 path_is "$rA" 2001:db8:ff::1 up || fail "rA: $(path_get "$rA" 2001:db8:ff::1 bfd_state)"
	busywait 30000 path_is "$rB" 2001:db8:ff::2 up || fail "rB: $(path_get "$rB" 2001:db8:ff::2 bfd_state)"
	assert_ge "$(path_get "$rB" 2001:db8:ff::2 bfd_rx)" 2 "rB probes received over IPv6"
	# The default multiplier: 3.
	assert_eq "$(path_get "$rA" 2001:db8:ff::1 bfd_multiplier)" 0 "JSON bfd_multiplier (0: 3)"
}

ktap_header 6
run_case "two paths with BFD every $INTERVAL ms, multiplier $MULT" case_bfd_config
run_case "BFD comes up on both paths, both routers" case_bfd_up
run_case "the used path's link drops everything mid-transfer: down by itself, the transfer completes" case_bfd_failover
run_case "the link carries packets again: the path comes back up" case_bfd_back_up
run_case "a path taken down by hand tells the peer; BFD off at one end" case_bfd_admin_down
run_case "BFD on an IPv6 path" case_bfd_ipv6
cleanup_all_ns
svr_unload
ktap_finish
