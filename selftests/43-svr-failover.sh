#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Failover: rA reaches rB over two paths; the one in use is marked down in
# the middle of a TCP transfer, the session moves to the other path (new
# waypoints and wayports, metadata re-sent, rB replaces its half) and the
# transfer completes intact.
#
#   client --lan-- rA ==wan  (192.0.2.0/24, cost 0)====== rB --srv-- server
#                     ==wan2 (198.51.100.0/24, cost 20)==
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
trap cleanup_all_ns EXIT

topo_two_routers
topo_two_routers_config >/dev/null
veth_link "$rA" wan2 "$rB" wan2 198.51.100.1/24 198.51.100.2/24

case_second_path() {
	A interface add wan2
	B interface add wan2
	A peer path add rB 198.51.100.1 198.51.100.2 cost 20 name backup
	B peer path add rA 198.51.100.2 198.51.100.1 cost 20
	A peer show rB
}

case_failover_mid_transfer() {
	local got
	ip netns exec "$cl" python3 "$REPO/selftests/tcp-transfer.py" >/tmp/failover.out 2>&1 &
	local pid=$!
	# Python starts slowly on a loaded machine: wait for the session.
	busywait 90000 sh -c "svrctl -n $rA session show service web | grep -q ." ||
		fail "no session"
	sleep 1
	A session show service web
	A peer path set rB 192.0.2.1 192.0.2.2 down
	wait $pid
	cat /tmp/failover.out
	got=$(tail -n1 /tmp/failover.out)
	A session show service web
	B session show service web
	assert_eq "$got" ok "the transfer survived the move"
	assert_ge "$(svr_counter "$rA" sessions_moved)" 1 "rA sessions_moved"
	assert_ge "$(svr_counter "$rB" sessions_moved)" 1 "rB sessions_moved"
	# The rest of the transfer crossed the backup link.
	assert_ge "$(ip netns exec "$rB" cat /sys/class/net/wan2/statistics/rx_packets)" 100 \
		"packets on the backup path"
}

ktap_header 2
run_case "a second path, cost 20" case_second_path
run_case "failover in the middle of a TCP transfer" case_failover_mid_transfer
cleanup_all_ns
svr_unload
ktap_finish
