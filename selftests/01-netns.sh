#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Per-netns state: 50 namespaces (SVR_NETNS_CHURN) come and go with the module loaded while
# traffic crosses a veth pair between two others; each netns has its own
# /proc/net/svr and answers svrctl.
#
#   a (198.51.100.1) ---veth--- b (198.51.100.2)
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

svr_load
setup_ns a b
ip link add va netns "$a" type veth peer name vb netns "$b"
ip -n "$a" addr add 198.51.100.1/24 dev va
ip -n "$b" addr add 198.51.100.2/24 dev vb
ip -n "$a" link set va up
ip -n "$b" link set vb up
# svr's hooks come with its first interface in a netns.
svrctl -n "$a" interface add va
svrctl -n "$b" interface add vb

churn_netns_under_traffic() {
	local i pid ns
	ip netns exec "$a" ping -q -i 0.05 -w 600 198.51.100.2 >/tmp/ping.out 2>&1 &
	pid=$!
	for i in $(seq "${SVR_NETNS_CHURN:-50}"); do
		ns=churn-$i-$$
		ip netns add "$ns"
		ip netns exec "$ns" test -r /proc/net/svr/stats ||
			fail "no stats in $ns"
		ip -n "$ns" link set lo up
		svrctl -n "$ns" interface add lo || fail "no interface in $ns"
		ip netns del "$ns"
	done
	kill -INT $pid 2>/dev/null || true
	wait $pid || true
	cat /tmp/ping.out
	grep -qE ' 0% packet loss| [1-9][0-9]* received' /tmp/ping.out ||
		fail "no traffic crossed the veth pair"
}

stats_per_netns() {
	local pa pb
	ip netns exec "$a" ping -c 5 -i 0.1 -q 198.51.100.2 >/dev/null
	pa=$(svr_counter "$a" pkt_prerouting)
	pb=$(svr_counter "$b" pkt_prerouting)
	assert_ge "$pa" 5 "a's pkt_prerouting"
	assert_ge "$pb" 5 "b's pkt_prerouting"
	# A fresh netns starts at zero: counters are not shared.
	setup_ns c
	assert_eq "$(svr_counter "$c" pkt_prerouting)" 0 "c's pkt_prerouting"
}

svrctl_in_two_netns() {
	svrctl -n "$a" version | grep -q '^svr.ko ' || fail "no answer in $a"
	svrctl -n "$b" version | grep -q '^svr.ko ' || fail "no answer in $b"
	svrctl -n "$a" stats | grep -q '^pkt_prerouting' || fail "no stats in $a"
}

unload_with_netns_alive() {
	rmmod svr
	ip netns exec "$a" test ! -e /proc/net/svr || fail "/proc/net/svr left in $a"
	svr_load
	ip netns exec "$a" test -r /proc/net/svr/stats || fail "no stats in $a after reload"
}

ktap_header 4
run_case "${SVR_NETNS_CHURN:-50} netns created and destroyed under traffic" \
	churn_netns_under_traffic
run_case "/proc/net/svr/stats per netns, counters separate" stats_per_netns
run_case "svrctl version and stats in two netns" svrctl_in_two_netns
run_case "unload and reload with namespaces alive" unload_with_netns_alive
cleanup_all_ns
svr_unload
ktap_finish
