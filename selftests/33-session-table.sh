#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The session table's size (module parameter hashsize, router show's
# session-buckets) and a table far too small for its sessions: both
# routers of the SVR topology get 4 buckets, 400 UDP sessions chain ~200
# deep in each, and everything still works: every datagram is answered,
# /proc and the netlink dump (many messages, resumed mid-bucket) list each
# session once, a failover rehashes a TCP session's flow under load, and
# deletes by UUID, flushes and expiry take exactly what they should.
#
#   client --lan-- rA ==wan  (192.0.2.0/24, cost 0)====== rB --srv-- server
#                     ==wan2 (198.51.100.0/24, cost 20)==
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
T=$(mktemp -d)
HS=/sys/module/svr/parameters/hashsize
svr_load || exit $ksft_skip
HS0=$(cat $HS)
trap '[ -w $HS ] && echo "$HS0" >$HS; cleanup_all_ns; rm -rf "$T"' EXIT
FLOWS="python3 $REPO/selftests/flows.py"
N=400

# Every router here starts with 4 buckets (3, rounded up). The servers
# start out here: a case's output is a pipe they would hold open.
echo 3 >$HS
topo_two_routers

buckets() { svrctl -n "$1" -j router show | jq '.[0].session_buckets'; }
nproc_lines() { ip netns exec "$1" cat /proc/net/svr/sessions | wc -l; }

case_default() {
	echo "hashsize $HS0, RAM $(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo) kB"
	# A power of two, conntrack's rule: 65536 for 1-4 GiB, fewer below.
	[ "$HS0" -ge 1024 ] && [ "$HS0" -le 262144 ] || fail "hashsize $HS0"
	[ $((HS0 & (HS0 - 1))) = 0 ] || fail "hashsize $HS0: not a power of two"
	# Writes are rounded up; 0 is the default again; nonsense is refused.
	assert_eq "$(cat $HS)" 4 "hashsize after writing 3"
	echo 0 >$HS
	assert_eq "$(cat $HS)" "$HS0" "hashsize after writing 0"
	(echo 99999999 >$HS) 2>/dev/null && fail "hashsize 99999999 accepted"
	(echo many >$HS) 2>/dev/null && fail "hashsize \"many\" accepted"
	assert_eq "$(cat $HS)" "$HS0" "hashsize after refused writes"
	echo 3 >$HS
	assert_eq "$(buckets "$rA")" 0 "session-buckets before the first interface"
	# (text: not shown while there is no table)
	A router show | grep -q "session-buckets" && fail "session-buckets shown before the first interface"
	topo_two_routers_config >/dev/null
	veth_link "$rA" wan2 "$rB" wan2 198.51.100.1/24 198.51.100.2/24
	A router show | grep -q " session-buckets 4$" || fail "router show: no session-buckets 4"
	# Rounded up to a power of two, read when the router started.
	assert_eq "$(buckets "$rA")" 4 "rA session-buckets"
	assert_eq "$(buckets "$rB")" 4 "rB session-buckets"
	# A later write is for routers started after: these keep theirs.
	echo 1024 >$HS
	assert_eq "$(buckets "$rA")" 4 "rA session-buckets after a write"
	echo 3 >$HS
}

case_read_only() {
	local out
	out=$(A router set session-buckets 8 2>&1) && fail "set session-buckets succeeded"
	echo "$out"
	echo "$out" | grep -q "read-only" || fail "no read-only message"
	assert_eq "$(A save | grep -c session-buckets)" 0 "session-buckets in svrctl save"
	svrctl help router 2>&1 | grep -q "session-buckets" && fail "session-buckets in help"
	true
	assert_eq "$(buckets "$rA")" 4 "session-buckets"
}

case_many() {
	local d uu
	d=$(svr_counter "$rA" sessions_created)
	ip netns exec "$cl" $FLOWS many 203.0.113.10 53 --count $N --base 30000 ||
		fail "not every session answered"
	assert_eq "$(( $(svr_counter "$rA" sessions_created) - d ))" $N "rA sessions_created"
	for r in "$rA" "$rB"; do
		assert_eq "$(nproc_lines "$r")" $N "/proc/net/svr/sessions lines"
		svrctl -n "$r" -j session show >"$T/dump.json"
		assert_eq "$(jq length "$T/dump.json")" $N "sessions in the netlink dump"
		uu=$(jq -r '.[].uuid' "$T/dump.json" | sort -u | wc -l)
		assert_eq "$uu" $N "distinct UUIDs in the dump"
	done
	# The first and the last still answer on their sessions.
	for p in 30000 $((30000 + N - 1)); do
		ip netns exec "$cl" $FLOWS many 203.0.113.10 53 --count 1 --base $p >/dev/null ||
			fail "port $p: a second datagram got no answer"
	done
	assert_eq "$(( $(svr_counter "$rA" sessions_created) - d ))" $N "rA sessions_created after the second datagrams"
}

case_failover() {
	local got fl mv
	A interface add wan2
	B interface add wan2
	A peer path add rB 198.51.100.1 198.51.100.2 cost 20 name backup
	B peer path add rA 198.51.100.2 198.51.100.1 cost 20
	fl=$(svr_counter "$rA" pkt_fast_lane)
	mv=$(svr_counter "$rA" sessions_moved)
	ip netns exec "$cl" python3 "$REPO/selftests/tcp-transfer.py" >"$T/xfer.out" 2>&1 &
	local pid=$!
	busywait 90000 sh -c "svrctl -n $rA session show service web | grep -q ." ||
		fail "no session"
	sleep 1
	A peer path set rB 192.0.2.1 192.0.2.2 down
	wait $pid
	got=$(tail -n1 "$T/xfer.out")
	echo "$got"
	[ "$got" = "ok" ] || fail "transfer: $got"
	# (the session itself is gone a second after both FINs)
	[ $(( $(svr_counter "$rA" sessions_moved) - mv )) -ge 1 ] || fail "no session moved"
	[ $(( $(svr_counter "$rA" pkt_fast_lane) - fl )) -gt 100 ] || fail "few fast-lane packets"
	A peer path set rB 192.0.2.1 192.0.2.2 up
}

case_delete() {
	local uuids u n
	A session flush service web
	B session flush service web
	n=$(A -j session show | jq length)
	assert_eq "$n" $N "rA sessions"
	uuids=$(A -j session show | jq -r '.[].uuid' | shuf -n 10 --random-source=/dev/zero)
	for u in $uuids; do A session del "$u"; done
	assert_eq "$(A -j session show | jq length)" $((N - 10)) "rA sessions after 10 deletes"
	assert_eq "$(nproc_lines "$rA")" $((N - 10)) "rA /proc lines after 10 deletes"
	for u in $uuids; do
		A -j session show | jq -e --arg u "$u" 'any(.[]; .uuid == $u)' >/dev/null &&
			fail "$u still there"
	done
	A session flush
	assert_eq "$(A -j session show | jq length)" 0 "rA sessions after flush"
	assert_eq "$(nproc_lines "$rA")" 0 "rA /proc lines after flush"
	# rB's halves go by expiry (their peer's delete messages, or timeout).
	B router set udp-timeout 2
	busywait 30000 sh -c "[ \$(ip netns exec $rB cat /proc/net/svr/sessions | wc -l) = 0 ]" ||
		fail "rB: $(nproc_lines "$rB") sessions left"
	assert_eq "$(B -j session show | jq length)" 0 "rB sessions"
}

case_new_router() {
	# A router started after the write gets the new size.
	echo 1000 >$HS
	assert_eq "$(cat $HS)" 1024 "hashsize after writing 1000"
	setup_ns rC
	ip -n "$rC" link add dummy0 type dummy
	svrctl -n "$rC" interface add dummy0
	assert_eq "$(buckets "$rC")" 1024 "rC session-buckets"
	assert_eq "$(buckets "$rA")" 4 "rA session-buckets"
}

ktap_header 6
run_case "hashsize: a power of two by default; read when a router starts" case_default
run_case "session-buckets is read-only, not saved" case_read_only
run_case "$N UDP sessions in 4 buckets: all answered, each listed once" case_many
run_case "failover in a crowded 4-bucket table: the TCP transfer completes" case_failover
run_case "delete by UUID, flush and expiry in chained buckets" case_delete
run_case "a router started after a write gets the new size" case_new_router
cleanup_all_ns
svr_unload
ktap_finish
