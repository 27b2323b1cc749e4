#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svrctl -f FILE and svrctl save: a file is checked completely before
# anything is applied; a line the kernel refuses undoes what the file
# applied; save prints the whole configuration as svrctl commands, and
# save -> -f on an empty router -> save gives the same text, also with
# 2,000 services.
#
#   rA, rB, rC: three routers (netns), no links needed
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

PY=/usr/bin/python3
TMP=$(mktemp -d)

svr_load
setup_ns rA rB rC
for ns in "$rA" "$rB" "$rC"; do
	ip -n "$ns" link add lan0 type veth peer name lan0p
	ip -n "$ns" link add wan0 type veth peer name wan0p
done

K256=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
H256=0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000

cat >"$TMP/full.conf" <<EOF
# A router with one of everything.
router set name rA session-limit 100000 udp-timeout 120 wayport-range 20000-40000

tenant add blue prefix 198.18.1.0/24 dev lan0 prefix 2001:db8:1::/48
tenant add red prefix 198.18.9.0/24
tenant add eng.blue
security add sp1 cipher aes-cbc-256 hmac sha256-128 hmac-mode time-based
security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256
security add sp2 cipher aes-cbc-128 hmac none
interface add lan0 tenant blue
interface add wan0 source-nat
peer add rB security sp1 path 192.0.2.1 192.0.2.2 cost 10 name wan0 \\
	path 192.0.2.1 192.0.2.3 cost 20 port-range 30000-30999 down
peer add rC
service add web prefix 198.18.2.0/24 proto tcp port 80,443,8000-8080 \\
	proto udp port 53 allow blue deny red timeout 300
service add any prefix 0.0.0.0/0 prefix ::/0 allow global
route add web via peer rB cost 10
route add web via gateway 198.51.100.1 dev wan0 cost 20
route add any via fib
route add any via host cost 5
EOF

save() { svrctl -n "$1" save; }

# canon NS: the configuration as canonical JSON (lists sorted), plus the
# key lines of save: equal for equal configurations, whatever order the
# kernel keeps parts and objects in.
canon() {
	local o
	for o in router interface tenant security service peer route; do
		echo "== $o"
		svrctl -n "$1" -j $o show | $PY -c '
import json, sys
def c(x):
    if isinstance(x, dict):
        return {k: c(v) for k, v in x.items()}
    if isinstance(x, list):
        return sorted((c(v) for v in x), key=lambda v: json.dumps(v, sort_keys=True))
    return x
print(json.dumps(c(json.load(sys.stdin)), sort_keys=True, indent=1))'
	done
	svrctl -n "$1" save | grep '^security key' | sort
}

check_before_apply() {
	local before err rc
	before=$(save "$rA")
	cat >"$TMP/bad.conf" <<-EOF
	tenant add t-ok prefix 10.1.0.0/16
	tenant add t-bad prefix 10.1.0.1/16
	service add s-ok prefix 10.2.0.0/16 allow t-ok
	frobnicate now

	service add s-bad proto tcp port 99999
	EOF
	err=$(svrctl -n "$rA" -f "$TMP/bad.conf" 2>&1 >/dev/null) && rc=0 || rc=$?
	echo "$err"
	assert_eq "$rc" 2 "exit status"
	assert_eq "$(printf '%s\n' "$err" | wc -l)" 3 "one line per bad line"
	printf '%s\n' "$err" | grep -q "^Error: $TMP/bad.conf:2: argument \"10.1.0.1/16\" is not a valid prefix" ||
		fail "line 2 not named"
	printf '%s\n' "$err" | grep -q "^Error: $TMP/bad.conf:4: object \"frobnicate\" is unknown" ||
		fail "line 4 not named"
	printf '%s\n' "$err" | grep -q "^Error: $TMP/bad.conf:6: argument \"99999\"" ||
		fail "line 6 not named"
	assert_eq "$(save "$rA")" "$before" "nothing applied"
}

apply_and_save_roundtrip() {
	local s1 s2
	svrctl -n "$rA" -f "$TMP/full.conf"
	s1=$(save "$rA")
	printf '%s\n' "$s1"
	assert_eq "$(printf '%s\n' "$s1" | head -n1)" "# svrctl save format 1" "format line"
	printf '%s\n' "$s1" | grep -qx "security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256" ||
		fail "keys not saved as hex"
	for o in router tenant security interface peer service route; do
		printf '%s\n' "$s1" | grep -q "^$o " || fail "no $o in save"
	done
	# Replayable in order: router, tenants, security, interfaces, peers,
	# services, routes.
	assert_eq "$(printf '%s\n' "$s1" | sed -n '2,$p' | awk '{print $1}' | uniq | tr '\n' ' ')" \
		"router tenant security interface peer service route " "save order"
	printf '%s\n' "$s1" >"$TMP/saved.conf"
	svrctl -n "$rB" -f "$TMP/saved.conf"
	s2=$(save "$rB")
	assert_eq "$s2" "$s1" "save of the replayed save"
	# And from stdin.
	svrctl -n "$rC" -f - <"$TMP/saved.conf"
	assert_eq "$(save "$rC")" "$s1" "save after -f -"
}

failing_batch_leaves_nothing() {
	local before after err rc
	before=$(canon "$rA")
	# Every kind of change, then a line the kernel refuses (an unknown
	# peer; svrctl cannot know), then more.
	cat >"$TMP/fail.conf" <<-EOF
	router set name changed session-limit 5 icmp-rate 7
	tenant add new1 prefix 10.50.0.0/16
	tenant set blue prefix 198.18.100.0/24
	tenant del blue prefix 2001:db8:1::/48
	tenant del eng.blue
	security add sp9 cipher aes-cbc-128 hmac sha1
	security key add sp9 90 cipher-key hex:00112233445566778899aabbccddeeff hmac-key hex:$H256
	security set sp1 hmac-mode regular
	security key del sp1 7
	security del sp2
	interface set lan0 no-tenant source-nat
	interface del wan0
	peer set rB no-security
	peer path set rB 192.0.2.1 192.0.2.2 down cost 99
	peer path del rB 192.0.2.1 192.0.2.3
	peer path add rB 192.0.2.1 192.0.2.9
	peer del rC
	service add new2 prefix 10.60.0.0/16 allow new1
	service set web deny new1 timeout 5
	service del web deny red
	service del web proto tcp port 443
	route del web via peer rB
	route add new2 via fib
	service del any
	route add web via peer nosuch-peer
	tenant add never
	EOF
	err=$(svrctl -n "$rA" -f "$TMP/fail.conf" 2>&1 >/dev/null) && rc=0 || rc=$?
	echo "$err"
	assert_eq "$rc" 1 "exit status"
	printf '%s\n' "$err" | head -n1 | grep -q "^Error: $TMP/fail.conf:25: " ||
		fail "the refused line is not named"
	printf '%s\n' "$err" | grep -q "cannot undo" && fail "an undo failed"
	after=$(canon "$rA")
	if [ "$after" != "$before" ]; then
		diff <(printf '%s\n' "$before") <(printf '%s\n' "$after")
		fail "the failed file left changes behind"
	fi
	svrctl -n "$rA" tenant show never >/dev/null 2>&1 && fail "line after the failure applied"
	return 0
}

two_thousand_services() {
	local f=$TMP/2000.conf s1 s2 i start
	setup_ns big1 big2
	{
		echo "tenant add users prefix 100.64.0.0/10"
		echo "peer add far path 192.0.2.1 192.0.2.2"
		for i in $(seq 0 1999); do
			echo "service add svc$i prefix 10.$((i / 256)).$((i % 256)).0/24 proto tcp port $((1000 + i)),443 allow users timeout $((i + 1))"
			echo "route add svc$i via peer far cost $((i % 7))"
		done
	} >"$f"
	start=$(date +%s)
	svrctl -n "$big1" -f "$f"
	echo "# loaded 2000 services and 2000 routes in $(( $(date +%s) - start ))s"
	assert_eq "$(svrctl -n "$big1" -j service show | $PY -c 'import json,sys; print(len(json.load(sys.stdin)))')" \
		2000 "services loaded"
	s1=$(save "$big1")
	assert_eq "$(printf '%s\n' "$s1" | grep -c '^service add ')" 2000 "services saved"
	assert_eq "$(printf '%s\n' "$s1" | grep -c '^route add ')" 2000 "routes saved"
	printf '%s\n' "$s1" >"$TMP/2000.saved"
	svrctl -n "$big2" -f "$TMP/2000.saved"
	s2=$(save "$big2")
	assert_eq "$s2" "$s1" "2000 services saved back identically"
	# A failing line at the end of a large file undoes it all.
	{ cat "$f"; echo "route add svc1 via peer nosuch"; } >"$f.bad"
	setup_ns big3
	svrctl -n "$big3" -f "$f.bad" 2>/dev/null && fail "bad file applied"
	assert_eq "$(save "$big3" | grep -vc '^#\|^router ')" 0 "leftovers after undoing 4002 lines"
}

undo_deletes_restore_keys() {
	# Deleting a policy in a file and failing later restores the policy
	# with its key bytes (snapshot from save).
	local before
	before=$(canon "$rB")
	printf '%s\n' "route del web via peer rB" "peer del rB" \
		"security del sp1" "tenant add blue" >"$TMP/del.conf"
	svrctl -n "$rB" -f "$TMP/del.conf" 2>/dev/null && fail "file applied"
	assert_eq "$(canon "$rB")" "$before" "state after undo"
}

forced_deletes_undone() {
	# force removes references from other objects; undo puts them back.
	local before
	before=$(canon "$rC")
	printf '%s\n' "tenant del blue force" "security del sp1 force" \
		"peer del rB force" "tenant del red force" \
		"route add web via peer nosuch" >"$TMP/force.conf"
	svrctl -n "$rC" -f "$TMP/force.conf" 2>/dev/null && fail "file applied"
	assert_eq "$(canon "$rC")" "$before" "state after undo"
}

# The two-router example of Documentation/admin-guide.md loads as written
# (key files under $TMP instead of /etc/svr) and saves back identically.
guide_example() {
	local r ns s1
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/sp1.7.ck"
	head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$TMP/sp1.7.hk"
	setup_ns gA gB
	for r in A B; do
		awk -v r="$r" '
			index($0, "Router " r " (") == 1 { f = 1; next }
			f && /^```/ { if (in_block) exit; in_block = 1; next }
			in_block { print }' "$REPO/Documentation/admin-guide.md" |
			sed "s|/etc/svr/|$TMP/|g" >"$TMP/r$r.conf"
		cat "$TMP/r$r.conf"
		[ -s "$TMP/r$r.conf" ] || fail "no Router $r block in the guide"
		ns=$([ $r = A ] && echo "$gA" || echo "$gB")
		ip -n "$ns" link add lan0 type veth peer name lan0p
		ip -n "$ns" link add wan0 type veth peer name wan0p
		svrctl -n "$ns" -f "$TMP/r$r.conf"
		s1=$(save "$ns")
		setup_ns gC
		ip -n "$gC" link add lan0 type veth peer name lan0p
		ip -n "$gC" link add wan0 type veth peer name wan0p
		svrctl -n "$gC" -f - <<<"$s1"
		assert_eq "$(save "$gC")" "$s1" "save of router $r replayed"
	done
	# Both ends hold the same key: same fingerprint.
	assert_eq "$(svrctl -n "$gA" -o security show sp1 | awk '{print $NF}')" \
		"$(svrctl -n "$gB" -o security show sp1 | awk '{print $NF}')" "fingerprints"
}

ktap_header 7
run_case "-f checks every line first; errors name FILE:LINE; exit 2, nothing applied" check_before_apply
run_case "-f applies; save -> -f -> save is identical (keys as hex)" apply_and_save_roundtrip
run_case "a line refused by the kernel undoes the whole file (every verb)" failing_batch_leaves_nothing
run_case "2,000 services load with -f and save back identically" two_thousand_services
run_case "undo re-creates deleted objects, with their keys" undo_deletes_restore_keys
run_case "undo of forced deletes restores the references" forced_deletes_undone
run_case "the admin guide's two-router example loads and saves back" guide_example
cleanup_all_ns
rm -rf "$TMP"
svr_unload
ktap_finish
