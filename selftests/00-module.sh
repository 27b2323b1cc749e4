#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svr.ko loads and unloads cleanly; svrctl talks to it, and says clearly
# when it is not there.
source "$(dirname "$0")/lib.sh"

load_unload_20() {
	local i
	svr_load	# once, for its dependencies
	svr_unload
	for i in $(seq 20); do
		insmod "$SVR_KO"
		[ -r /proc/net/svr/stats ] || fail "no /proc/net/svr/stats after load $i"
		rmmod svr
		[ ! -e /proc/net/svr ] || fail "/proc/net/svr left after unload $i"
	done
}

svrctl_without_module() {
	local err rc
	svr_unload
	err=$(svrctl stats 2>&1 >/dev/null) && rc=0 || rc=$?
	assert_eq "$rc" 1 "exit status"
	assert_eq "$err" "svr: kernel module not loaded" "message"
}

svrctl_version() {
	local out
	svr_load
	out=$(svrctl version)
	echo "$out"
	echo "$out" | grep -qx "svrctl 0.1.0" || fail "no svrctl version line"
	echo "$out" | grep -q "^svr.ko 0.1.0 (netlink version 1)$" || fail "no module version line"
	out=$(svrctl -j version)
	assert_eq "$out" '{"svrctl":"0.1.0","module":"0.1.0","genl_version":1}' "json"
}

svrctl_usage_errors() {
	local rc
	svrctl frobnicate 2>/dev/null && rc=0 || rc=$?
	assert_eq "$rc" 2 "unknown object exit status"
	svrctl -x 2>/dev/null && rc=0 || rc=$?
	assert_eq "$rc" 2 "unknown option exit status"
	svrctl -n no-such-netns version >/dev/null 2>&1 && rc=0 || rc=$?
	assert_eq "$rc" 1 "missing netns exit status"
}

hooks_see_traffic() {
	local before after
	svr_load
	ip link set lo up
	# The hooks come with svr's first interface in a netns.
	svrctl interface show lo >/dev/null 2>&1 || svrctl interface add lo
	before=$(awk '$1 == "pkt_prerouting" { print $2 }' /proc/net/svr/stats)
	ping -c 3 -i 0.2 -q 127.0.0.1 >/dev/null
	after=$(awk '$1 == "pkt_prerouting" { print $2 }' /proc/net/svr/stats)
	assert_ge "$after" $((before + 6)) "pkt_prerouting"
	svrctl stats | grep -q '^pkt_prerouting  *[0-9]' || fail "svrctl stats lacks pkt_prerouting"
}

ktap_header 5
run_case "load and unload 20 times" load_unload_20
run_case "svrctl without the module: one line, exit 1" svrctl_without_module
run_case "svrctl version shows svrctl and module" svrctl_version
run_case "svrctl usage errors exit 2, refusals exit 1" svrctl_usage_errors
run_case "hooks see traffic, counters move" hooks_see_traffic
svr_unload
ktap_finish
