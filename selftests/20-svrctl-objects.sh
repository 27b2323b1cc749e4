#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# svrctl against svr.ko: every object and part of the configuration model
# goes through add / set / show / del, in text and JSON; validation errors
# reach the user as one readable line with the right exit status; deleting
# what is in use is refused; monitor prints one line per change.
#
#   rA (lan0, wan0: veth, peers in the same netns)
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

PY=/usr/bin/python3

svr_load
setup_ns rA
ip -n "$rA" link add lan0 type veth peer name lan0p
ip -n "$rA" link add wan0 type veth peer name wan0p
ip -n "$rA" link set lan0 up
ip -n "$rA" link set wan0 up

S() { svrctl -n "$rA" "$@"; }
# One object per line, for grep.
So() { svrctl -n "$rA" -o "$@"; }

json_ok() { $PY -m json.tool >/dev/null || fail "not valid JSON"; }
# jget EXPR: evaluate a Python expression on the JSON document d (stdin).
jget() { $PY -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

# expect_err STATUS REGEX cmd...: cmd fails with STATUS and one line on
# stderr, "Error: ..." matching REGEX (case-insensitive).
expect_err() {
	local want=$1 pat=$2 err rc
	shift 2
	err=$("$@" 2>&1 >/dev/null) && rc=0 || rc=$?
	echo "\$ ${*#svrctl -n *} -> $rc: $err"
	assert_eq "$rc" "$want" "exit status of: $*"
	[ "$(printf '%s\n' "$err" | wc -l)" = 1 ] || fail "not one line: $err"
	case "$err" in
	"Error: "?*) ;;
	*) fail "no \"Error: \" line: $err" ;;
	esac
	[ -z "$pat" ] || printf '%s\n' "$err" | grep -qiE -- "$pat" ||
		fail "message does not match /$pat/: $err"
}

# has_line REGEX: stdin has a line matching REGEX.
has_line() {
	local in
	in=$(cat)
	printf '%s\n' "$in" | grep -qE -- "$1" || fail "no line /$1/ in:
$in"
}

router_set_show() {
	S router set name rA session-limit 1000 tcp-timeout 600 \
		tcp-close-timeout 5 udp-timeout 90 icmp-timeout 7 \
		wayport-range 20000-30000 icmp-rate 50
	S router show | has_line '^router name rA session-limit 1000 tcp-timeout 600 tcp-close-timeout 5 udp-timeout 90 icmp-timeout 7 wayport-range 20000-30000 icmp-rate 50 keepalive 0$'
	S -j router show | json_ok
	assert_eq "$(S -j router show | jget 'd[0]["session_limit"], d[0]["wayport_lo"], d[0]["wayport_hi"], d[0]["name"]')" \
		"1000 20000 30000 rA" "router JSON"
	# Abbreviated keywords, and 0 restores a default.
	S ro se sess 0 udp 0
	assert_eq "$(S -j router show | jget 'd[0]["session_limit"], d[0]["timeout_udp"]')" \
		"262144 180" "defaults restored"
	S -p router show | json_ok
}

tenant_roundtrip() {
	S tenant add blue prefix 198.18.1.0/24 dev lan0 prefix 2001:db8:1::/48
	S tenant add red
	So tenant show blue | has_line '^tenant blue prefix 198.18.1.0/24 dev lan0 prefix 2001:db8:1::/48$'
	S tenant show | has_line '^tenant red$'
	S tenant show blue | has_line '^	prefix 198.18.1.0/24 dev lan0$'
	S -j tenant show | json_ok
	assert_eq "$(S -j tenant show blue | jget '[p["prefix"] for p in d[0]["prefixes"]], d[0]["prefixes"][0]["dev"], d[0]["prefixes"][1]["dev"]')" \
		"['198.18.1.0/24', '2001:db8:1::/48'] lan0 None" "tenant JSON"
	S tenant prefix add blue 198.18.11.0/24
	S tenant set red prefix 203.0.113.0/25
	So tenant show red | has_line '^tenant red prefix 203.0.113.0/25$'
	S tenant del blue prefix 2001:db8:1::/48
	S tenant prefix del blue 198.18.11.0/24
	So tenant show blue | has_line '^tenant blue prefix 198.18.1.0/24 dev lan0$'
	S tenant del red
	assert_eq "$(S -j tenant show | jget 'sorted(t["name"] for t in d)')" "['blue']" "tenants left"
	# Hierarchical names.
	S tenant add eng.acme
	S tenant del eng.acme
}

K256=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
K128=ffeeddccbbaa99887766554433221100
H256=0f0e0d0c0b0a09080706050403020100f0e0d0c0b0a090807060504030201000

security_roundtrip() {
	local keyfile=/tmp/svr-test-$$.hk
	S security add sp1 cipher aes-cbc-256 hmac sha256-128 hmac-mode time-based
	So security show sp1 | has_line '^security sp1 cipher aes-cbc-256 hmac sha256-128 hmac-mode time-based$'
	S security key add sp1 7 cipher-key hex:$K256 hmac-key hex:$H256
	printf '%s\n' "$H256" >"$keyfile"
	S security key add sp1 8 cipher-key hex:$K256 hmac-key file "$keyfile"
	rm -f "$keyfile"
	So security show sp1 | has_line '^security sp1 .* key 7 fingerprint [0-9a-f]{16} key 8 fingerprint [0-9a-f]{16}$'
	S security show | grep -qiE "$K256|$H256" && fail "key bytes in show"
	S -j security show | grep -qiE "$K256|$H256" && fail "key bytes in JSON"
	S -j security show | json_ok
	assert_eq "$(S -j security show sp1 | jget '[k["id"] for k in d[0]["keys"]], len(d[0]["keys"][0]["fingerprint"]), d[0]["cipher"], d[0]["hmac"], d[0]["hmac_mode"]')" \
		"[7, 8] 16 aes-cbc-256 sha256-128 time-based" "security JSON"
	# Same key, same fingerprint.
	assert_eq "$(S -j security show sp1 | jget 'd[0]["keys"][0]["fingerprint"] == d[0]["keys"][1]["fingerprint"]')" \
		True "fingerprints of equal keys"
	S security key del sp1 8
	S security add sp2 cipher aes-cbc-128 hmac none
	S security key add sp2 9 cipher-key hex:$K128
	S security set sp2 hmac-mode regular
	So security show sp2 | has_line '^security sp2 cipher aes-cbc-128 hmac none hmac-mode regular key 9 fingerprint [0-9a-f]{16}$'
	S security key del sp2 9
	S security del sp2
	S security show sp2 >/dev/null 2>&1 && fail "sp2 still there"
	return 0
}

service_roundtrip() {
	S tenant add green
	S tenant add red
	S security add sp3 cipher aes-cbc-128 hmac sha256
	S service add web prefix 198.18.2.0/24 prefix 2001:db8:2::/64 \
		proto tcp port 80,443,8000-8080 proto udp port 53 proto icmp \
		allow blue deny red security sp3 timeout 300
	So service show web | has_line '^service web security sp3 timeout 300 prefix 198.18.2.0/24 prefix 2001:db8:2::/64 proto tcp port 80,443,8000-8080 proto udp port 53 proto icmp allow blue deny red$'
	S -j service show | json_ok
	assert_eq "$(S -j service show web | jget 'd[0]["prefixes"], [(t["proto"], t["port_lo"], t["port_hi"]) for t in d[0]["transports"]], [(a["action"], a["tenant"]) for a in d[0]["access"]], d[0]["security"], d[0]["timeout"]')" \
		"['198.18.2.0/24', '2001:db8:2::/64'] [('tcp', 80, 80), ('tcp', 443, 443), ('tcp', 8000, 8080), ('udp', 53, 53), ('icmp', 0, 0)] [('allow', 'blue'), ('deny', 'red')] sp3 300" \
		"service JSON"
	S service set web allow green
	S service del web deny red
	S service del web proto tcp port 443
	S service set web no-security timeout 0
	So service show web | has_line '^service web prefix 198.18.2.0/24 prefix 2001:db8:2::/64 proto tcp port 80,8000-8080 proto udp port 53 proto icmp allow blue allow green$'
	assert_eq "$(S -j service show web | jget 'd[0]["security"], d[0]["timeout"]')" "None 0" "cleared options"
	S service add any-svc prefix 0.0.0.0/0 allow global
	So service show any-svc | has_line '^service any-svc prefix 0.0.0.0/0 allow global$'
	S service del any-svc
	S security del sp3
}

peer_roundtrip() {
	S security add sp4 cipher aes-cbc-128 hmac sha1
	S peer add rB security sp4 path 192.0.2.1 192.0.2.2 cost 10 name wan0
	S peer path add rB 192.0.2.1 192.0.2.3 port-range 30000-30999 down
	S peer set rB path 2001:db8::1 2001:db8::2
	So peer show rB | has_line '^peer rB security sp4 path 192.0.2.1 192.0.2.2 cost 10 name wan0 up path 192.0.2.1 192.0.2.3 cost 0 port-range 30000-30999 down path 2001:db8::1 2001:db8::2 cost 0 up$'
	S -j peer show | json_ok
	assert_eq "$(S -j peer show rB | jget '[(p["local"], p["remote"], p["cost"], p["name"], p["port_lo"], p["port_hi"], p["admin"]) for p in d[0]["paths"]]')" \
		"[('192.0.2.1', '192.0.2.2', 10, 'wan0', 0, 0, 'up'), ('192.0.2.1', '192.0.2.3', 0, None, 30000, 30999, 'down'), ('2001:db8::1', '2001:db8::2', 0, None, 0, 0, 'up')]" \
		"peer JSON"
	S peer path set rB 192.0.2.1 192.0.2.2 down cost 20
	S peer path set rB 192.0.2.1 192.0.2.3 up
	So peer show rB | has_line 'path 192.0.2.1 192.0.2.2 cost 20 name wan0 down path 192.0.2.1 192.0.2.3 cost 0 port-range 30000-30999 up'
	S peer path del rB 192.0.2.1 192.0.2.3
	S peer del rB path 2001:db8::1 2001:db8::2
	S peer set rB no-security
	So peer show rB | has_line '^peer rB path 192.0.2.1 192.0.2.2 cost 20 name wan0 down$'
	S peer add rC
	S peer del rC
	S security del sp4
}

route_roundtrip() {
	S service add db prefix 198.18.3.0/24 proto tcp port 5432 allow blue
	S route add db via peer rB cost 10
	S route add db via gateway 198.51.100.1 dev wan0 cost 20
	S route add db via gateway 2001:db8::9 cost 25
	S route add db via fib cost 30
	S route add db via host cost 40
	So route show db | has_line '^route db via peer rB cost 10$'
	So route show db | has_line '^route db via gateway 198.51.100.1 dev wan0 cost 20$'
	So route show | has_line '^route db via fib cost 30$'
	S -j route show | json_ok
	assert_eq "$(S -j route show db | jget 'sorted((r["via"], r["peer"], r["gateway"], r["dev"], r["cost"]) for r in d)')" \
		"[('fib', None, None, None, 30), ('gateway', None, '198.51.100.1', 'wan0', 20), ('gateway', None, '2001:db8::9', None, 25), ('host', None, None, None, 40), ('peer', 'rB', None, None, 10)]" \
		"route JSON"
	S route del db via gateway 198.51.100.1 dev wan0
	S route del db via host
	assert_eq "$(S -j route show db | jget 'len(d)')" 3 "routes left"
	# Deleting a service removes its routes.
	S service del db
	assert_eq "$(S -j route show | jget 'len(d)')" 0 "routes after service del"
}

interface_roundtrip() {
	S interface add lan0 tenant blue
	S interface add wan0 source-nat
	So interface show lan0 | has_line '^interface lan0 tenant blue$'
	So interface show | has_line '^interface wan0 source-nat$'
	S -j interface show | json_ok
	assert_eq "$(S -j interface show lan0 | jget 'd[0]["name"], d[0]["tenant"], d[0]["source_nat"], d[0]["ifindex"] > 0')" \
		"lan0 blue False True" "interface JSON"
	S interface set lan0 no-tenant source-nat
	S interface set wan0 no-source-nat tenant blue
	assert_eq "$(S -j interface show | jget 'sorted((i["name"], i["tenant"], i["source_nat"]) for i in d)')" \
		"[('lan0', None, True), ('wan0', 'blue', False)]" "interfaces after set"
	S interface del wan0
	S interface set lan0 tenant blue
	S -j interface show | jget 'len(d)' | grep -qx 1 || fail "interface count"
}

usage_errors() {
	# Parsed by svrctl: exit 2, nothing sent.
	expect_err 2 'argument "10.0.0.0/33" is not a valid prefix' S tenant add t1 prefix 10.0.0.0/33
	expect_err 2 'host bits set' S service add s1 prefix 10.0.0.1/24
	expect_err 2 'argument "300.1.1.1" is not a valid IPv4 or IPv6 address' S peer add p1 path 300.1.1.1 1.1.1.1
	expect_err 2 'same address family' S peer add p1 path 1.1.1.1 2001:db8::1
	expect_err 2 'not a valid port list' S service add s1 proto tcp port 80,70000
	expect_err 2 'not a valid port list' S service add s1 proto tcp port 90-80
	expect_err 2 'only valid with proto tcp or udp' S service add s1 proto icmp port 7
	expect_err 2 'needs "proto tcp"' S service add s1 port 80
	expect_err 2 'not a valid tenant name' S tenant add 'bad name'
	expect_err 2 'not a valid tenant name' S tenant add "$(printf 'x%.0s' $(seq 64))"
	expect_err 2 'reserved for the global tenant' S tenant add global
	expect_err 2 'not a valid cipher' S security add sx cipher rot13
	expect_err 2 'cipher key is 4 bytes long' S security key add sp1 3 cipher-key hex:00112233
	expect_err 2 'HMAC key .*hex' S security key add sp1 3 hmac-key hex:xyz
	expect_err 2 'cannot be read' S security key add sp1 3 hmac-key file /nonexistent
	expect_err 2 'not a valid key id' S security key add sp1 0
	expect_err 2 'not a valid next hop' S route add web via nowhere
	expect_err 2 'not a valid session-limit' S router set session-limit -1
	expect_err 2 'is unknown in tenant' S tenant add t1 frob
	expect_err 2 'command "frob" is unknown for tenant' S tenant frob
	expect_err 2 'object "frob" is unknown' S frob
	expect_err 2 'not complete' S tenant add t1 prefix
	expect_err 2 'given twice' S router set udp-timeout 1 udp-timeout 2
	expect_err 2 'not a valid session UUID' S session del 1234
	expect_err 2 'option "-x" is unknown' svrctl -x tenant show
	# Key bytes are never echoed in an error.
	S security key add sp1 3 cipher-key hex:${K256}zz 2>&1 | grep -qi "$K256" &&
		fail "key echoed in an error"
	return 0
}

kernel_errors() {
	# Refused by svr.ko: exit 1 and the kernel's extack text.
	expect_err 1 'exist' S tenant add blue
	expect_err 1 'tenant' S interface add wan0 tenant nosuch
	expect_err 1 'tenant' S service add s2 prefix 198.18.9.0/24 allow nosuch
	expect_err 1 'security|polic' S peer add p2 security nosuch
	expect_err 1 'peer' S route add web via peer nosuch
	expect_err 1 '' S route add nosuch via fib
	expect_err 1 'unknown|not|no such|exist' S tenant set nosuch prefix 10.9.0.0/16
	expect_err 1 'unknown|not|no such|exist' S tenant del nosuch
	expect_err 1 'exist' S tenant set blue prefix 198.18.1.0/24 dev lan0
	S security add sp5 cipher aes-cbc-256 hmac sha256
	expect_err 1 'key' S security key add sp5 7 cipher-key hex:$K256 hmac-key hex:$H256
	expect_err 1 'length|long|size|key' S security key add sp5 11 cipher-key hex:$K128 hmac-key hex:$H256
	S security del sp5
	expect_err 1 '' S session del 00000000-0000-0000-0000-000000000001
}

in_use_refused() {
	# blue is used by interface lan0 and service web.
	expect_err 1 'in use|used' S tenant del blue
	S tenant show blue >/dev/null || fail "blue gone after a refused delete"
	S security add sp6 cipher aes-cbc-128 hmac sha1
	S peer add rD security sp6
	S service add svc6 prefix 198.18.6.0/24 allow blue
	S route add svc6 via peer rD
	expect_err 1 'in use|used' S security del sp6
	expect_err 1 'in use|used|route' S peer del rD
	S peer del rD force
	assert_eq "$(S -j route show svc6 | jget 'len(d)')" 0 "routes via a force-deleted peer"
	S security del sp6
	S service del svc6
	S tenant add tmp
	S interface set wan0 tenant tmp 2>/dev/null || S interface add wan0 tenant tmp
	S tenant del tmp force
	assert_eq "$(S -j interface show wan0 | jget 'd[0]["tenant"]')" None "tenant reference cleared by force"
	S interface del wan0
}

monitor_events() {
	local out=/tmp/svr-mon-$$ pid pidj
	S monitor >"$out" 2>&1 &
	pid=$!
	S -j monitor config >"$out.j" 2>&1 &
	pidj=$!
	sleep 0.5
	S tenant add mon1 prefix 198.18.77.0/24
	S tenant set mon1 prefix 198.18.78.0/24
	S tenant del mon1
	S router set icmp-rate 60
	busywait 3000 grep -q '^\[del\] tenant mon1' "$out" || true
	busywait 3000 grep -q '"del"' "$out.j" || true
	kill "$pid" "$pidj"
	wait "$pid" "$pidj" 2>/dev/null || true
	cat "$out"
	grep -qx '\[add\] tenant mon1 prefix 198.18.77.0/24' "$out" || fail "no add event"
	grep -qx '\[change\] tenant mon1 prefix 198.18.77.0/24 prefix 198.18.78.0/24' "$out" || fail "no change event"
	grep -q '^\[del\] tenant mon1' "$out" || fail "no del event"
	grep -q '^\[change\] router .*icmp-rate 60' "$out" || fail "no router event"
	assert_eq "$(wc -l <"$out.j")" 4 "JSON events"
	while read -r line; do
		printf '%s\n' "$line" | json_ok
	done <"$out.j"
	assert_eq "$(head -n1 "$out.j" | jget 'd["event"], d["object"], d["tenant"]["name"]')" \
		"add tenant mon1" "JSON event"
	rm -f "$out" "$out.j"
}

sessions_and_stats() {
	S session show
	S -j session show | json_ok
	assert_eq "$(S -j session show service web tenant blue | jget 'len(d)')" 0 "sessions"
	S session flush
	S session flush service web
	S -j stats | json_ok
}

help_and_version() {
	local o
	for o in router interface tenant security service peer route session monitor save stats; do
		svrctl "$o" help | grep -q "^svrctl $o" || fail "no help for $o"
	done
	svrctl --help | grep -q '^Usage: svrctl' || fail "no usage"
	svrctl help >/dev/null
	# Every keyword of the grammar svrctl prints is in the man page.
	local w missing= man
	man=$(sed 's/\\-/-/g; s/\\f[BIRP]//g' "$REPO/Documentation/svrctl.8")
	for w in $(svrctl help | grep -E '^(svrctl |	)' |
		   grep -oE '[a-z][a-z0-9.-]*[a-z0-9]' | sort -u); do
		printf '%s\n' "$man" | grep -qwF -- "$w" || missing="$missing $w"
	done
	[ -z "$missing" ] || fail "not in svrctl.8:$missing"
}

ktap_header 14
run_case "router set/show (text, JSON, defaults)" router_set_show
run_case "tenant add/set/del, prefixes (text, JSON)" tenant_roundtrip
run_case "security add/set/del, keys by hex and file, fingerprints only" security_roundtrip
run_case "service add/set/del, prefixes, transports, access, options" service_roundtrip
run_case "peer add/set/del, paths add/set/del" peer_roundtrip
run_case "route add/del via peer, gateway, fib, host" route_roundtrip
run_case "interface add/set/del" interface_roundtrip
run_case "usage errors: one line, exit 2" usage_errors
run_case "kernel refusals: one line with the extack text, exit 1" kernel_errors
run_case "deleting a tenant, policy or peer in use is refused unless forced" in_use_refused
run_case "monitor: one line (or JSON object) per change" monitor_events
run_case "session show/flush, stats (JSON)" sessions_and_stats
run_case "help for every object, every keyword in the man page" help_and_version
run_case "config disappears with the netns" bash -c "
	source '$REPO/selftests/lib.sh'
	ns=gone-\$\$
	ip netns add \$ns
	svrctl -n \$ns tenant add t1 prefix 10.1.0.0/16
	svrctl -n \$ns service add s1 prefix 10.2.0.0/16 allow t1
	ip netns del \$ns
	ip netns add \$ns
	out=\$(svrctl -n \$ns -j tenant show)
	ip netns del \$ns
	[ \"\$out\" = '[]' ] || fail \"config survived its netns: \$out\"
"
cleanup_all_ns
svr_unload
ktap_finish
