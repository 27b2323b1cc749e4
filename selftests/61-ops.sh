#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What an operator relies on, on the two-router topology: `svrctl stats
# --prometheus` parses as the Prometheus text format and moves with traffic;
# `svrctl -j` matches the schema of Documentation/json.md member by member;
# the nftables ruleset and sysctls of Documentation/firewall.md, loaded as
# printed there on both routers, let SVR through (and nothing passes without
# its `ct state untracked` rules).
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

source "$(dirname "$0")/topo.sh"
topo_two_routers

TMP=$(mktemp -d)
FW_DOC=$REPO/Documentation/firewall.md
WAYPORTS=61000-65534

# doc_block DOC FIRST-LINE-REGEX: the fenced block of DOC that holds a line
# matching the regex, from the block's first line to its end.
doc_block() {
	awk -v re="$2" '/^```/ { if (on) exit; blk = ""; inb = !inb; next }
		inb { blk = blk $0 "\n"; if ($0 ~ re) on = 1 }
		END { if (on) printf "%s", blk }' "$1"
}

udp_ok() { # ns sport: a UDP exchange with the server, answered
	local out
	out=$(echo "udp-$2" | udp_ask "$1" UDP4:203.0.113.10:53,sourceport="$2" 2>/dev/null)
	[ "$(echo "$out" | sed -n 2p)" = "udp-$2" ]
}

tcp_ok() {
	local out
	out=$(echo tcp-check | ip netns exec "$cl" timeout 60 socat -t 20 -T 30 - TCP4:203.0.113.10:80)
	[ "$(echo "$out" | sed -n 2p)" = tcp-check ]
}

case_config() {
	topo_two_routers_config
	for r in A B; do
		$r router set wayport-range $WAYPORTS
		$r security add sp1 cipher aes-cbc-256 hmac sha256-128
		$r security key add sp1 7 cipher-key hex:$(printf '%064d' 1) \
			hmac-key hex:$(printf '%064d' 2)
	done
	A tenant add red prefix 198.18.9.0/24 dev lan
	A service add guarded prefix 198.51.100.0/24 proto tcp port 1000-2000 \
		security sp1 timeout 30 deny red allow blue
	A route add web via gateway 192.0.2.2 dev wan cost 50
}

# The exposition format, checked line by line: comments are HELP or TYPE
# of the family that follows, once each; samples are NAME{LABELS} VALUE.
prom_parse() { # file
	python3 - "$1" <<'EOF'
import re, sys
name = r'[a-zA-Z_:][a-zA-Z0-9_:]*'
lval = r'"(?:[^"\\\n]|\\[\\"n])*"'
sample = re.compile(r'^(%s)(\{(%s=%s(,%s=%s)*)?\})? ([0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?)$'
                    % (name, name, lval, name, lval))
help_ = {}; type_ = {}; done = set(); cur = None; n = 0; bad = []
for i, line in enumerate(open(sys.argv[1]).read().split('\n')[:-1], 1):
    m = re.match(r'^# (HELP|TYPE) (%s) (.*)$' % name, line)
    if m:
        kind, fam, rest = m.groups()
        d = help_ if kind == 'HELP' else type_
        if fam in d or fam in done:
            bad.append('%d: second %s for %s' % (i, kind, fam))
        if kind == 'TYPE' and rest != 'counter':
            bad.append('%d: %s is not a counter' % (i, fam))
        d[fam] = rest
        if cur != fam:
            if cur: done.add(cur)
            cur = fam
        continue
    if line.startswith('#') or not line:
        bad.append('%d: stray line %r' % (i, line)); continue
    m = sample.match(line)
    if not m:
        bad.append('%d: not NAME{LABELS} VALUE: %r' % (i, line)); continue
    fam = m.group(1)
    if fam != cur or fam not in help_ or fam not in type_:
        bad.append('%d: %s without its HELP and TYPE just before' % (i, fam))
    if 'netns="' not in (m.group(3) or ''):
        bad.append('%d: no netns label' % i)
    n += 1
for b in bad: print('FAIL:', b)
print('%d samples, %d families' % (n, len(type_)))
sys.exit(1 if bad or not n else 0)
EOF
}

prom_value() { # file sample-prefix (name{labels})
	awk -v k="$2" 'index($0, k) == 1 { print $NF }' "$1"
}

case_prometheus() {
	local f=$TMP/prom before after rc
	A stats --prometheus >"$f"
	prom_parse "$f"
	sed -n '1,3p' "$f"
	grep '^svr_drops_total' "$f" | head -n 3
	before=$(prom_value "$f" "svr_md_sent_forward_total{netns=\"$rA\"}")
	assert_ge "$before" 0 "md_sent_forward sample"
	udp_ok "$cl" 41001 || fail "UDP through SVR"
	A stats --prometheus >"$f"
	prom_parse "$f" >/dev/null
	after=$(prom_value "$f" "svr_md_sent_forward_total{netns=\"$rA\"}")
	assert_ge "$after" $((before + 1)) "svr_md_sent_forward_total after a new session"
	# Every counter of `stats -j` is one sample, by kind.
	A -j stats | python3 -c '
import json, sys
names = json.load(sys.stdin)
prom = open(sys.argv[1]).read()
def key(n):
    if n.startswith("drop_"):
        return "svr_drops_total{netns=\"%s\",reason=\"%s\"} " % (sys.argv[2], n[5:])
    if n.startswith("md_") and ("error=\"%s\"" % n[3:]) in prom:
        return "svr_md_errors_total{netns=\"%s\",error=\"%s\"} " % (sys.argv[2], n[3:])
    return "svr_%s_total{netns=\"%s\"} " % (n, sys.argv[2])
miss = [n for n in names if ("\n" + key(n)) not in "\n" + prom]
print("%d counters, missing: %s" % (len(names), miss))
sys.exit(1 if miss or len(names) < 50 else 0)' "$f" "$rA"
	# The label from `ip netns exec` (no -n) and from the init namespace.
	ip netns exec "$rB" svrctl stats --prometheus |
		grep -q "^svr_pkt_prerouting_total{netns=\"$rB\"} " || fail "netns label under ip netns exec"
	svrctl stats --prometheus | grep -q '^svr_pkt_prerouting_total{netns="init"} ' ||
		fail "netns label init"
	rc=0
	A -j stats --prometheus 2>/dev/null || rc=$?
	assert_eq $rc 2 "-j with --prometheus: usage error"
}

# Every member of svrctl's JSON against the tables of json.md: documented,
# of the documented type; every documented member present.
json_check() { # what file
	python3 - "$REPO/Documentation/json.md" "$@" <<'EOF'
import json, re, sys
doc, what, path = sys.argv[1:4]
tables, cur = {}, None
for line in open(doc):
    m = re.match(r'^#{2,3} (\S+)', line)
    if m:
        cur = m.group(1); tables[cur] = {}; continue
    m = re.match(r'^\| `([a-z_]+)` \| ([a-z ]+) \|', line)
    if m and cur:
        tables[cur][m.group(1)] = m.group(2).strip()
def ok(t, v):
    if t.endswith(' or null') and v is None: return True
    t = t.replace(' or null', '')
    return {'string': lambda: isinstance(v, str),
            'integer': lambda: isinstance(v, int) and not isinstance(v, bool) and v >= 0,
            'boolean': lambda: isinstance(v, bool),
            'object': lambda: isinstance(v, dict),
            'array of object': lambda: isinstance(v, list) and all(isinstance(x, dict) for x in v),
            'array of string': lambda: isinstance(v, list) and all(isinstance(x, str) for x in v),
            }[t]()
bad, seen = [], set()
def check(tname, obj, where):
    t = tables.get(tname)
    if t is None: bad.append('%s: no table "### %s" in json.md' % (where, tname)); return
    seen.add(tname)
    for k in t:
        if k not in obj: bad.append('%s: documented member %s absent' % (where, k))
    for k, v in obj.items():
        if k not in t: bad.append('%s.%s: not documented' % (where, k)); continue
        if not ok(t[k], v): bad.append('%s.%s: %r is not %s' % (where, k, v, t[k])); continue
        if t[k].startswith('object') and isinstance(v, dict):
            check(tname + '.' + k, v, where + '.' + k)
        if t[k] == 'array of object':
            for i, x in enumerate(v): check(tname + '.' + k + '[]', x, '%s.%s[%d]' % (where, k, i))
text = open(path).read()
if what == 'monitor':
    docs = [json.loads(l) for l in text.splitlines() if l.strip()]
    for i, d in enumerate(docs):
        check('monitor', {k: d[k] for k in ('event', 'object')}, 'monitor[%d]' % i)
        check(d['object'], d[d['object']], 'monitor[%d].%s' % (i, d['object']))
        extra = set(d) - {'event', 'object', d['object']}
        if extra: bad.append('monitor[%d]: undocumented %s' % (i, extra))
else:
    d = json.loads(text)
    if isinstance(d, list):
        if not d: bad.append('%s: empty, nothing checked' % what)
        for i, x in enumerate(d): check(what, x, '%s[%d]' % (what, i))
    else:
        check(what, d, what)
for b in bad: print('FAIL:', b)
print('%s: %d tables checked: %s' % (what, len(seen), ' '.join(sorted(seen))))
sys.exit(1 if bad else 0)
EOF
}

case_json() {
	local o mpid mon=$TMP/monitor.json
	udp_ok "$cl" 41002 || fail "UDP through SVR"
	for o in router interface tenant security service peer route session; do
		A -j $o show >"$TMP/$o.json"
		json_check $o "$TMP/$o.json"
	done
	A -j version >"$TMP/version.json"
	json_check version "$TMP/version.json"
	# stats: one object of integers, the counters' names.
	A -j stats | python3 -c 'import json, sys
d = json.load(sys.stdin)
assert d and all(isinstance(v, int) and v >= 0 for v in d.values()), d
assert all(k in d for k in ("pkt_prerouting", "drop_fib_miss", "md_parsed")), d'
	timeout 120 svrctl -n "$rA" -j monitor all >"$mon" &
	mpid=$!
	# Until the monitor has joined: config events until one shows.
	busywait 60000 sh -c "svrctl -n $rA tenant add green; svrctl -n $rA tenant del green
		grep -q '\"tenant\"' $mon" || fail "svrctl monitor shows no config event"
	A tenant add green prefix 198.18.7.0/24
	udp_ok "$cl" 41003 || fail "UDP through SVR"
	busywait 60000 grep -q '"object":"session"' "$mon" || fail "no session event"
	busywait 60000 grep -q '"prefix":"198.18.7.0/24"' "$mon" || fail "no tenant event"
	kill $mpid
	wait $mpid || true
	A tenant del green
	cat "$mon"
	json_check monitor "$mon"
}

# The ruleset of firewall.md for one router: router A as printed, router B
# with its own LAN device and peers.
fw_ruleset() { # A|B
	doc_block "$FW_DOC" '^# /etc/nftables.d/svr.nft' >"$TMP/fw-A.nft"
	[ -s "$TMP/fw-A.nft" ] || fail "no svr.nft ruleset in $FW_DOC"
	if [ "$1" = A ]; then
		cat "$TMP/fw-A.nft"
	else
		sed -e 's/^define SVR_LAN = .*/define SVR_LAN = { "srv" }/' \
		    -e 's/^define SVR_PEERS4 = .*/define SVR_PEERS4 = { 192.0.2.1 }/' \
		    -e 's/^define SVR_PEERS6 = .*/define SVR_PEERS6 = { 2001:db8:ff::1 }/' \
			"$TMP/fw-A.nft"
	fi
}

case_firewall() {
	local ports out r i
	doc_block "$FW_DOC" '^# /etc/sysctl.d/60-svr.conf' >"$TMP/60-svr.conf"
	grep -q "ip_local_reserved_ports = $WAYPORTS" "$TMP/60-svr.conf" ||
		fail "the sysctl file reserves another range than the ruleset's"
	grep -q "^define SVR_WAYPORTS = $WAYPORTS " "$FW_DOC" || fail "ruleset wayports"
	for r in "$rA" "$rB"; do
		ip netns exec "$r" sysctl -q -p "$TMP/60-svr.conf"
		assert_eq "$(ip netns exec "$r" sysctl -n net.ipv4.ip_local_reserved_ports)" \
			$WAYPORTS "reserved ports in $r"
	done
	fw_ruleset A >"$TMP/fw-rA.nft"
	fw_ruleset B >"$TMP/fw-rB.nft"
	ip netns exec "$rA" nft -f "$TMP/fw-rA.nft"
	ip netns exec "$rB" nft -f "$TMP/fw-rB.nft"
	# Loading it twice replaces it (the table is deleted first).
	ip netns exec "$rA" nft -f "$TMP/fw-rA.nft"
	assert_eq "$(ip netns exec "$rA" nft list tables | grep -c svr_filter)" 1 "one table"

	tcp_ok || fail "TCP through the firewalls"
	udp_ok "$cl" 41010 || fail "UDP through the firewalls"
	ip netns exec "$cl" ping -c 2 -i 0.3 -W 3 203.0.113.10 >/dev/null || fail "ping through the firewalls"
	# A loaded machine may lose the first try to timeouts: three tries,
	# then say where the packets went.
	for i in 1 2 3; do
		out=$(ip netns exec "$cl" timeout 60 socat -t 30 -T 30 - TCP6:[2001:db8:5::10]:80 </dev/null)
		[ -n "$out" ] && break
		echo "TCP over IPv6: try $i got nothing"
	done
	if [ -z "$out" ]; then
		for r in "$rA" "$rB"; do
			ip netns exec "$r" nft list ruleset | grep 'counter packets [1-9]'
			ip netns exec "$r" awk '$2 != 0' /proc/net/svr/stats
		done
	fi
	assert_eq "$out" "[2001:0db8:0001:0000:0000:0000:0000:0002]" "TCP over IPv6 through the firewalls"
	# The outer packets used the wayport range the rules name.
	ports=$(A -j session show | python3 -c 'import json, sys
for s in json.load(sys.stdin):
    if s["role"] == "ingress": print(s["rewrite"]["sport"], s["rewrite"]["dport"])')
	echo "wayports: $(echo $ports)"
	[ -n "$ports" ] || fail "no ingress session"
	for p in $ports; do
		[ "$p" -ge 61000 ] && [ "$p" -le 65534 ] || fail "wayport $p outside $WAYPORTS"
	done
	# The rules svr's packets met, with their counters.
	for r in "$rA" "$rB"; do
		ip netns exec "$r" nft list chain inet svr_filter forward | grep untracked
	done
	ip netns exec "$rA" nft list chain inet svr_filter forward |
		grep -E 'oifname .*ip daddr .*counter packets [1-9]' || fail "rA: outer rule never matched"
	ip netns exec "$rB" nft list chain inet svr_filter forward |
		grep -E 'iifname .*"wan".* oifname .*"srv".* counter packets [1-9]' || fail "rB: inner rule never matched"

	# Before svr, only the peers may send to the wayports: a stranger on
	# the WAN is dropped in rB's raw chain.
	ip -n "$rA" addr add 192.0.2.77/24 dev wan
	echo stranger | ip netns exec "$rA" timeout 10 socat -T 1 - \
		UDP4:192.0.2.2:62001,bind=192.0.2.77 >/dev/null 2>&1 || true
	ip netns exec "$rB" nft list chain inet svr_filter raw_prerouting |
		grep -E 'ip saddr != .*counter packets [1-9]' || fail "rB: stranger not dropped before svr"
	ip -n "$rA" addr del 192.0.2.77/24 dev wan

	# Without the untracked rules, policy drop stops SVR: the rules matter.
	ip netns exec "$rA" nft flush chain inet svr_filter forward
	! udp_ok "$cl" 41011 || fail "UDP passed a FORWARD chain that only has policy drop"
	ip netns exec "$rA" nft -f "$TMP/fw-rA.nft"
	udp_ok "$cl" 41012 || fail "UDP after the ruleset was loaded again"
	for r in "$rA" "$rB"; do ip netns exec "$r" nft delete table inet svr_filter; done
}

ktap_header 4
run_case "configure both routers (wayport range, security keys)" case_config
run_case "stats --prometheus parses, counters move with traffic" case_prometheus
run_case "svrctl -j matches Documentation/json.md" case_json
run_case "firewall.md ruleset and sysctls: SVR passes, and stops without them" case_firewall
ktap_finish
