#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may do what: an unprivileged user can show (and save) but not change
# anything, and never sees key bytes; root's save has them. Configuration
# is per netns: invisible in another netns, gone with its netns.
#
#   rA, rB: two routers (netns)
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

PY=/usr/bin/python3
SVRCTL=$REPO/userspace/svrctl
K256=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
H256=0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000

svr_load
setup_ns rA rB
command -v setpriv >/dev/null || { echo "# setpriv missing"; exit $ksft_skip; }

# U ARGS...: svrctl in rA as nobody, without capabilities.
U() {
	ip netns exec "$rA" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$SVRCTL" "$@"
}
S() { svrctl -n "$rA" "$@"; }

svrctl -n "$rA" -f - <<EOF
router set name rA
tenant add blue prefix 198.18.1.0/24
security add sp1 cipher aes-cbc-256 hmac sha256
security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256
peer add rB security sp1 path 192.0.2.1 192.0.2.2
service add web prefix 198.18.2.0/24 proto tcp port 80 allow blue
route add web via peer rB
EOF

unprivileged_can_show() {
	local o
	U -o tenant show | grep -qx 'tenant blue prefix 198.18.1.0/24' || fail "tenant show"
	for o in router interface tenant security service peer route session; do
		U -j $o show | $PY -m json.tool >/dev/null || fail "$o show -j as nobody"
	done
	U stats >/dev/null || fail "stats as nobody"
	U version >/dev/null || fail "version as nobody"
}

unprivileged_cannot_change() {
	local cmd err rc
	while read -r cmd; do
		err=$(U $cmd 2>&1 >/dev/null) && rc=0 || rc=$?
		echo "\$ $cmd -> $rc: $err"
		assert_eq "$rc" 1 "exit status of '$cmd' as nobody"
		printf '%s\n' "$err" | grep -qiE '^Error: .*(not permitted|permission)' ||
			fail "message of '$cmd': $err"
	done <<-EOF
	router set udp-timeout 5
	tenant add red
	tenant set blue prefix 10.0.0.0/8
	tenant del blue
	security add sp2
	security key add sp1 8 cipher-key hex:$K256 hmac-key hex:$H256
	security key del sp1 7
	service set web timeout 5
	service del web
	peer path set rB 192.0.2.1 192.0.2.2 down
	route del web via peer rB
	interface add lo
	session flush
	EOF
	# And nothing changed.
	S -o tenant show | grep -qx 'tenant blue prefix 198.18.1.0/24' || fail "blue changed"
	S -j route show | $PY -c 'import json,sys; assert len(json.load(sys.stdin)) == 1' ||
		fail "route changed"
	# A file as nobody: checked, then refused on the first line, exit 1.
	printf 'tenant add red\n' | U -f - 2>/dev/null && fail "file applied as nobody"
	S tenant show red >/dev/null 2>&1 && fail "red created by nobody"
	return 0
}

no_key_bytes_for_nobody() {
	local out
	out=$(U security show; U -j security show; U -o security show)
	printf '%s\n' "$out" | grep -qiE "$K256|$H256" && fail "key bytes in show as nobody"
	printf '%s\n' "$out" | grep -qE 'key 7 fingerprint [0-9a-f]{16}' || fail "no fingerprint"
	out=$(U save)
	printf '%s\n' "$out"
	printf '%s\n' "$out" | grep -qiE "$K256|$H256|hex:" && fail "key bytes in save as nobody"
	printf '%s\n' "$out" | grep -q '^# security key add sp1 7: key bytes not shown' ||
		fail "save does not say the key was left out"
	# Root sees them in save, never in show.
	S save | grep -qx "security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256" ||
		fail "root's save has no keys"
	S security show | grep -qiE "$K256|$H256" && fail "key bytes in show as root"
	return 0
}

netns_isolation() {
	assert_eq "$(svrctl -n "$rB" -j tenant show)" "[]" "tenants seen from rB"
	assert_eq "$(svrctl -n "$rB" -j service show)" "[]" "services seen from rB"
	svrctl -n "$rB" tenant add blue prefix 10.0.0.0/8
	S -o tenant show | grep -qx 'tenant blue prefix 198.18.1.0/24' || fail "rB's blue leaked into rA"
	assert_eq "$(svrctl -n "$rB" save | grep -c '^tenant ')" 1 "tenants in rB"
	# The same key id is free in another netns.
	svrctl -n "$rB" security add sp1 cipher aes-cbc-256 hmac sha256
	svrctl -n "$rB" security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256
}

gone_with_netns() {
	local ns=perm-gone-$$ out
	ip netns add "$ns"
	svrctl -n "$ns" -f - <<-EOF
	tenant add t1 prefix 10.1.0.0/16
	security add s1 cipher aes-cbc-128 hmac sha1
	security key add s1 1 cipher-key hex:00112233445566778899aabbccddeeff hmac-key hex:$H256
	service add svc prefix 10.2.0.0/16 allow t1 security s1
	peer add p1 security s1 path 192.0.2.1 192.0.2.2
	route add svc via peer p1
	EOF
	ip netns del "$ns"
	ip netns add "$ns"
	out=$(svrctl -n "$ns" save | grep -v '^#\|^router ' || true)
	ip netns del "$ns"
	assert_eq "$out" "" "config after the netns was deleted and re-created"
	# The module unloads cleanly with config in live namespaces.
	rmmod svr
	svr_load
	assert_eq "$(S -j tenant show)" "[]" "config after reload"
}

ktap_header 5
run_case "an unprivileged user can show every object" unprivileged_can_show
run_case "an unprivileged user cannot change anything (exit 1)" unprivileged_cannot_change
run_case "key bytes: never for nobody (show, JSON, save), only in root's save" no_key_bytes_for_nobody
run_case "config in one netns is invisible in another" netns_isolation
run_case "config disappears with its netns and with the module" gone_with_netns
cleanup_all_ns
svr_unload
ktap_finish
