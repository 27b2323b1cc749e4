#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A session's life on one router: TCP and UDP expiry, flush and delete by
# id, a full table, revocation by configuration changes, replies after
# expiry, tracepoints, svrctl monitor and /proc/net/svr/sessions; IPv4 and
# IPv6.
#
#   c1 198.18.1.2 2001:db8:1::2 --lan1 (tenant blue)--+---+--srv-- srv 203.0.113.10
#   c2 198.18.2.2 2001:db8:2::2 --lan2 (tenant red)---+ r +        2001:db8:5::10
#
# srv runs selftests/flows.py server (TCP 7001-7011, UDP 7053-7058).
source "$(dirname "$0")/lib.sh"
T=$(mktemp -d)
trap 'cleanup_all_ns; rm -rf "$T"' EXIT
FLOWS="python3 $REPO/selftests/flows.py"

svr_load || exit $ksft_skip
{ time python3 $REPO/selftests/flows.py --help >/dev/null; } 2>&1 | grep real | sed 's/^/# python start: /'
setup_ns r c1 c2 srv

veth_link "$r" lan1 "$c1" eth0 198.18.1.1/24 198.18.1.2/24 2001:db8:1::1/64 2001:db8:1::2/64
veth_link "$r" lan2 "$c2" eth0 198.18.2.1/24 198.18.2.2/24 2001:db8:2::1/64 2001:db8:2::2/64
veth_link "$r" srv "$srv" eth0 203.0.113.1/24 203.0.113.10/24 2001:db8:5::1/64 2001:db8:5::10/64
for c in "$c1" "$c2"; do
	ip -n "$c" route add default via "$(ip -n "$c" -4 -o addr show eth0 |
		awk '{ sub(/\.[0-9]+\/.*/, ".1", $4); print $4 }')"
done
ip -n "$c1" -6 route add default via 2001:db8:1::1
ip -n "$c2" -6 route add default via 2001:db8:2::1
ip -n "$srv" route add default via 203.0.113.1
ip -n "$srv" -6 route add default via 2001:db8:5::1
ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# The server never answers TCP port 7009: a connection that never
# establishes.
ip netns exec "$srv" nft -f - <<'EOF'
table inet t {
	chain in {
		type filter hook input priority 0;
		tcp dport 7009 drop
	}
}
EOF
ip netns exec "$srv" $FLOWS server >"$T/server.log" 2>&1 &
# (python starts slowly in a loaded VM)
busywait 90000 sh -c "ip netns exec $srv ss -Hln | grep -q ':7058 '" ||
	echo "# server did not start"

R() { svrctl -n "$r" "$@"; }
SV4=203.0.113.10
SV6=2001:db8:5::10
PFX="prefix 203.0.113.0/24 prefix 2001:db8:5::/64"
CLOSE_TIMEOUT=8

# ---- helpers ----------------------------------------------------------------

sessions() { ip netns exec "$r" cat /proc/net/svr/sessions; }
nsessions() { sessions | wc -l; }
# The session whose forward flow comes from source port $1.
sess_of() { sessions | grep -E " fwd [^ ]*:$1>"; }
sess_present() { sess_of "$1" >/dev/null; }
sess_gone() { ! sess_of "$1" >/dev/null; }
delta() { # name before
	echo $(( $(svr_counter "$r" "$1") - $2 ))
}
# udps NS HOST,PORT,SPORT...: a UDP exchange (a session) each.
udps() {
	local ns=$1; shift
	ip netns exec "$ns" $FLOWS udps "$@" || fail "udp from $ns: no reply"
}
nsessions_of() { R session show "$@" | grep -c '^session'; }

# Session events from `svrctl -j monitor sessions`, one JSON object a line
# ({"event":"add"|"del","object":"session","session":{...}}): a deleted
# session's event carries its state, timeout and idle time at deletion, so
# expiry is checked to the second however slowly this test observes it.
MON=$T/monitor.json
mon_event() { # add|del jq-condition-on-.session
	jq -c "select(.event == \"$1\") | .session | select($2)" "$MON" 2>/dev/null | head -n 1
}
# expect_expiry JQCOND WHAT TIMEOUT STATE: the session ends with this
# timeout in this state, idle for at least its timeout and not much more.
expect_expiry() {
	local cond=$1 what=$2 timeout=$3 state=$4 ev idle wait_ms=$((($3 + 40) * 1000))
	busywait $wait_ms has_event del "$cond" ||
		fail "$what: no deleted event within $((wait_ms / 1000)) s"
	ev=$(mon_event del "$cond")
	echo "$what: $(echo "$ev" | jq -c '{state, timeout, idle, age, packets_fwd, packets_rev}')"
	assert_eq "$(echo "$ev" | jq -r .state)" "$state" "$what: state"
	assert_eq "$(echo "$ev" | jq -r .timeout)" "$timeout" "$what: timeout"
	idle=$(echo "$ev" | jq -r .idle)
	# GC runs every second: gone once idle passes the timeout.
	[ "$idle" -ge "$timeout" ] || fail "$what: deleted after $idle s idle, before its $timeout s"
	[ "$idle" -le $((timeout + 3)) ] || fail "$what: deleted only after $idle s idle (timeout $timeout s)"
}
sport_is() { echo ".forward.sport == $1"; }
has_event() { [ -n "$(mon_event "$@")" ]; }

# ---- cases ----------------------------------------------------------------

case_config() {
	R router set tcp-close-timeout $CLOSE_TIMEOUT icmp-timeout 2
	R tenant add blue
	R tenant add red
	R interface add lan1 tenant blue
	R interface add lan2 tenant red
	R interface add srv
	R service add tcp $PFX proto tcp port 7001-7002,7009 allow blue
	R service add idle $PFX proto tcp port 7003 allow blue timeout 3
	R service add udp3 $PFX proto udp port 7053 allow blue timeout 3
	R service add udp $PFX proto udp port 7054-7056 allow blue allow red
	R service add rv1 $PFX proto udp port 7057 allow blue allow red
	R service add rv2 $PFX proto udp port 7058 allow blue allow red
	R service add icmp $PFX proto icmp allow blue
	for s in tcp idle udp3 udp rv1 rv2 icmp; do R route add $s via fib; done
}

# Until the monitor has joined the sessions group: new sessions until one
# shows. Then the flows whose expiry the next cases check, all at once.
case_start_flows() {
	local i=0
	until [ -n "$(mon_event add true)" ]; do
		i=$((i + 1))
		[ $i -le 30 ] || { cat "$MON"; fail "svrctl monitor shows no session"; }
		udps "$c1" $SV4,7054,$((42000 + i))
	done
	R session flush
	ip netns exec "$c1" $FLOWS tcpmany \
		fin,$SV4,7001,41000 fin,$SV6,7001,41100 half,$SV4,7002,41002,60 \
		rst,$SV4,7001,41003 rst,$SV6,7001,41103 syn,$SV4,7009,41004 \
		syn,$SV6,7009,41104 idle,$SV4,7003,41005,25 >"$T/tcp.out" 2>&1 &
	udps "$c1" $SV4,7053,41006 $SV6,7053,41007 $SV4,7054,41008
	ip netns exec "$c1" ping -c 1 -W 5 -q $SV4 >/dev/null || fail "ping"
	ip netns exec "$c1" ping -6 -c 1 -W 5 -q $SV6 >/dev/null || fail "ping6"
	busywait 60000 sh -c "[ \$(grep -cE 'closed|reset|syn sent|connected' $T/tcp.out) -ge 10 ]" ||
		{ cat "$T/tcp.out"; fail "tcp flows did not run"; }
	cat "$T/tcp.out"
	! grep error "$T/tcp.out" || fail "a tcp flow failed"
	# The router's udp-timeout (180 s) for a service without a timeout.
	assert_eq "$(sess_of 41008 | grep -o 'timeout=[0-9]*')" timeout=180 "udp timeout (router)"
}

case_tcp_fin() {
	expect_expiry "$(sport_is 41000)" "FIN both ways" 1 closing
	expect_expiry "$(sport_is 41100)" "FIN both ways (v6)" 1 closing
}
case_tcp_half_close() {
	expect_expiry "$(sport_is 41002)" "one FIN" $CLOSE_TIMEOUT closing
}
case_tcp_rst() {
	expect_expiry "$(sport_is 41003)" "RST" 1 closing
	expect_expiry "$(sport_is 41103)" "RST (v6)" 1 closing
}
case_tcp_syn_only() {
	expect_expiry "$(sport_is 41004)" "SYN only" 10 pending
	expect_expiry "$(sport_is 41104)" "SYN only (v6)" 10 pending
}
case_tcp_idle() {
	# The service's timeout (3 s) overrides the router's tcp-timeout.
	expect_expiry "$(sport_is 41005)" "idle established" 3 established
}
case_udp_expiry() {
	expect_expiry "$(sport_is 41006)" "udp" 3 established
	expect_expiry "$(sport_is 41007)" "udp (v6)" 3 established
}
case_icmp_expiry() {
	expect_expiry '.forward.proto == "icmp" and .forward.src == "198.18.1.2"' "ping" 2 established
	expect_expiry '.forward.proto == "58" and .forward.src == "2001:db8:1::2"' "ping6" 2 established
}

case_reply_after_expiry() {
	local before out
	# Alive: the late reply (2 s) passes.
	out=$(ip netns exec "$c1" $FLOWS udp $SV4 7054 --sport 41010 --later 2)
	echo "$out"
	echo "$out" | grep -q "^second" || fail "late reply within the session lost"
	# Expired (3 s): the reply 8 s later opens nothing and is dropped.
	before=$(svr_counter "$r" drop_fib_miss)
	out=$(ip netns exec "$c1" $FLOWS udp $SV4 7053 --sport 41011 --later 8)
	echo "$out"
	echo "$out" | grep -q "^no second reply" || fail "a reply after expiry passed"
	assert_ge "$(delta drop_fib_miss "$before")" 1 "drop_fib_miss (the server's reply)"
	out=$(ip netns exec "$c1" $FLOWS udp $SV6 7053 --sport 41012 --later 8)
	echo "$out"
	echo "$out" | grep -q "^no second reply" || fail "a reply after expiry passed (v6)"
}

case_flush() {
	local before
	R session flush
	udps "$c1" $SV4,7054,41020 $SV4,7055,41021 $SV6,7054,41022 $SV4,7057,41023
	assert_eq "$(nsessions)" 4 "sessions"
	before=$(svr_counter "$r" sessions_deleted)
	R session flush service rv1
	assert_eq "$(nsessions)" 3 "sessions after flushing service rv1"
	sess_gone 41023 || fail "rv1's session survived"
	R session flush
	assert_eq "$(nsessions)" 0 "sessions after flush"
	assert_eq "$(nsessions_of)" 0 "svrctl session show"
	assert_eq "$(delta sessions_deleted "$before")" 4 "sessions_deleted"
}

case_del_uuid() {
	local uuid other
	R session flush
	udps "$c1" $SV4,7054,41030 $SV6,7054,41031
	uuid=$(R -j session show | jq -r '.[] | select(.forward.sport == 41030) | .uuid')
	other=$(R -j session show | jq -r '.[] | select(.forward.sport == 41031) | .uuid')
	echo "uuid $uuid other $other"
	[ -n "$uuid" ] && [ -n "$other" ] || fail "no uuids"
	R session show "$uuid" | grep -q "^session $uuid" || fail "show UUID"
	R session del "$uuid"
	sess_gone 41030 || fail "deleted session still there"
	sess_present 41031 || fail "the other session went too"
	assert_fails R session show "$uuid"
	assert_fails R session del "$uuid"
	R session del "$other"
	assert_eq "$(nsessions)" 0 "sessions"
}

case_table_full() {
	local before out
	R session flush
	R router set session-limit 3
	before=$(svr_counter "$r" drop_table_full)
	out=$(ip netns exec "$c1" python3 - <<'PY'
import socket
def sock(port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("0.0.0.0", port))
    s.settimeout(3)
    s.connect(("203.0.113.10", 7054))
    return s
def ask(s):
    s.send(b"x")
    try:
        return s.recv(10) == b"x"
    except OSError:
        return False
old = [sock(41040 + i) for i in range(3)]
print("first three:", [ask(s) for s in old])
print("fourth:", ask(sock(41043)))
print("first three again:", [ask(s) for s in old])
PY
)
	echo "$out"
	R router set session-limit 0
	echo "$out" | grep -qx "first three: \[True, True, True\]" || fail "sessions under the limit"
	echo "$out" | grep -qx "fourth: False" || fail "the session over the limit passed"
	echo "$out" | grep -qx "first three again: \[True, True, True\]" ||
		fail "existing sessions hurt by the full table"
	assert_ge "$(delta drop_table_full "$before")" 1 "drop_table_full"
	assert_eq "$(nsessions)" 3 "sessions"
	# The default limit again: the fourth gets through.
	udps "$c1" $SV4,7054,41044
}

case_revoke() {
	local before
	R session flush
	# blue: rv1, rv2, udp; red: rv1 (v4, v6), rv2, udp
	udps "$c1" $SV4,7057,41050 $SV4,7058,41053 $SV4,7054,41055
	udps "$c2" $SV4,7057,41051 $SV6,7057,41052 $SV4,7058,41054 $SV4,7054,41056
	assert_eq "$(nsessions)" 7 "sessions"
	before=$(svr_counter "$r" sessions_deleted)

	# The allow list loses red: red's rv1 sessions end, nothing else.
	R service del rv1 allow red
	sess_gone 41051 && sess_gone 41052 || fail "red's rv1 sessions survived"
	sess_present 41050 || fail "blue's rv1 session went too"
	assert_eq "$(nsessions)" 5 "sessions after removing red from rv1"
	assert_eq "$(nsessions_of service rv1 tenant red)" 0 \
		"svrctl session show service rv1 tenant red"
	# ... and red cannot open it again.
	ip netns exec "$c2" $FLOWS udps $SV4,7057,41057 --tries 1 &&
		fail "red reached rv1 after its allow went"

	# The service goes: its sessions end.
	R service del rv2
	sess_gone 41053 && sess_gone 41054 || fail "rv2's sessions survived"
	assert_eq "$(nsessions)" 3 "sessions after deleting rv2"

	# lan2 is no longer managed: the sessions that came in on it end.
	R interface del lan2
	sess_gone 41056 || fail "lan2's session survived"
	sess_present 41050 && sess_present 41055 || fail "lan1's sessions went too"
	assert_eq "$(nsessions)" 2 "sessions after unmanaging lan2"
	assert_eq "$(delta sessions_deleted "$before")" 5 "sessions_deleted"
	R interface add lan2 tenant red
	R service add rv2 $PFX proto udp port 7058 allow blue allow red
	R route add rv2 via fib
	R service set rv1 allow red
}

case_monitor() {
	local ev uuid
	R session flush
	udps "$c1" $SV6,7055,41090
	R session flush
	busywait 10000 has_event del "$(sport_is 41090)" ||
		fail "no deleted event for the flushed session"
	ev=$(mon_event add "$(sport_is 41090)")
	echo "add: $ev"
	[ -n "$ev" ] || fail "no created event"
	uuid=$(echo "$ev" | jq -r .uuid)
	assert_eq "$(echo "$ev" | jq -r '.forward.src + " " + .forward.dst + " " + .tenant + " " + .service')" \
		"2001:db8:1::2 2001:db8:5::10 blue udp" "created event"
	assert_eq "$(mon_event del "$(sport_is 41090)" | jq -r .uuid)" "$uuid" "deleted event's uuid"
	# And the plain text form.
	svrctl -n "$r" monitor sessions >"$T/monitor.txt" 2>&1 &
	busywait 60000 sh -c "ip netns exec $c1 $FLOWS udps $SV4,7055,0 >/dev/null; grep -q '^\[add\] session' $T/monitor.txt" ||
		{ cat "$T/monitor.txt"; fail "no [add] line"; }
	R session flush
	busywait 10000 grep -q '^\[del\] session' "$T/monitor.txt" ||
		{ cat "$T/monitor.txt"; fail "no [del] line"; }
	kill $!
	head -n 2 "$T/monitor.txt"
}

case_proc() {
	local out
	R session flush
	udps "$c1" $SV4,7054,41080 $SV6,7055,41081
	out=$(sessions)
	echo "$out"
	assert_eq "$(echo "$out" | wc -l)" 2 "lines"
	echo "$out" | grep -qE "^[0-9a-f-]{36} tenant=blue service=udp proto=17 fwd 198\.18\.1\.2:41080>203\.0\.113\.10:7054 rev 203\.0\.113\.10:7054>198\.18\.1\.2:41080 state=established pkts=1/1 " ||
		fail "the IPv4 session line"
	echo "$out" | grep -qF "fwd [2001:db8:1::2]:41081>[2001:db8:5::10]:7055 rev [2001:db8:5::10]:7055>[2001:db8:1::2]:41081" ||
		fail "the IPv6 session line"
	# Per netns: the client's netns has none.
	assert_eq "$(ip netns exec "$c1" cat /proc/net/svr/sessions | wc -l)" 0 "sessions in c1"
	R session flush
	assert_eq "$(nsessions)" 0 "after flush"
}

# Enabled before the first case: everything the test did is in the trace.
TRACE=/sys/kernel/tracing
trace_on() {
	[ -d $TRACE/events/svr ] || mount -t tracefs nodev $TRACE 2>/dev/null
	[ -d $TRACE/events/svr ] || return 0
	echo 0 >$TRACE/tracing_on
	echo >$TRACE/trace
	echo 1 >$TRACE/events/svr/enable
	echo 1 >$TRACE/tracing_on
}
case_tracepoints() {
	local out
	[ -d $TRACE/events/svr ] || { echo "no events/svr in tracefs"; return $ksft_skip; }
	# A FIB miss, to be sure of one.
	ip netns exec "$c1" ping -c 1 -W 3 198.51.100.7 >/dev/null && fail "ping to a FIB miss"
	echo 0 >$TRACE/tracing_on
	echo 0 >$TRACE/events/svr/enable
	out=$(grep -E 'svr_(session|drop|fib)' $TRACE/trace)
	echo "$(echo "$out" | wc -l) events, e.g."
	echo "$out" | grep -m 1 svr_session_new
	echo "$out" | grep -m 1 svr_fib_miss
	echo "$out" | grep -m 1 "reason=drop_table_full"
	echo "$out" | grep -q "svr_session_new: .*sport=41006 dport=7053" || fail "svr_session_new"
	for why in expired tcp-closed flush admin revoked; do
		echo "$out" | grep -q "svr_session_delete: .*reason=$why" ||
			fail "svr_session_delete (reason $why)"
	done
	echo "$out" | grep -q "svr_fib_miss: tenant=blue dst=::ffff:198.51.100.7 proto=1" || fail "svr_fib_miss"
	echo "$out" | grep -q "svr_drop: dev=lan1 .*reason=drop_fib_miss" || fail "svr_drop (fib miss)"
	echo "$out" | grep -q "svr_drop: dev=lan1 .*reason=drop_table_full" || fail "svr_drop (table full)"
}

T0=$(date +%s)
tcase() { echo "at $(( $(date +%s) - T0 )) s"; "$@"; }
ktap_header 17
run_case "configure the router" tcase case_config
trace_on
svrctl -n "$r" -j monitor sessions >"$MON" 2>"$T/monitor.err" &
monpid=$!
run_case "TCP, UDP and ping flows, svrctl monitor sees them" tcase case_start_flows
run_case "TCP (v4, v6): both FINs end the session within the closing timeout" tcase case_tcp_fin
run_case "TCP: one FIN: gone after tcp-close-timeout" tcase case_tcp_half_close
run_case "TCP (v4, v6): RST ends the session in about 1 s" tcase case_tcp_rst
run_case "TCP (v4, v6): never established (SYN only): gone after 10 s" tcase case_tcp_syn_only
run_case "TCP: idle established session, service timeout 3 s" tcase case_tcp_idle
run_case "UDP (v4, v6): service timeout 3 s" tcase case_udp_expiry
run_case "ICMP echo (v4, v6): icmp-timeout" tcase case_icmp_expiry
run_case "a reply after its session expired is dropped (v4, v6)" tcase case_reply_after_expiry
run_case "svrctl session flush (all, by service)" tcase case_flush
run_case "svrctl session del UUID" tcase case_del_uuid
run_case "table full: refused and counted, existing sessions work" tcase case_table_full
run_case "revocation: allow list, service, interface" tcase case_revoke
run_case "svrctl monitor prints session events" tcase case_monitor
run_case "/proc/net/svr/sessions" tcase case_proc
run_case "tracepoints fire (new, delete with reasons, drop, fib miss)" tcase case_tracepoints
kill $monpid 2>/dev/null
cleanup_all_ns
svr_unload
ktap_finish
