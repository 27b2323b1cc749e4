#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# ICMP errors from the WAN: two plain routers between rA and rB, joined by
# a 1400-byte link. "Fragmentation needed" / "packet too big" and "time
# exceeded" sent by them about SVR packets (to a waypoint, quoting
# wayports) reach the end host as errors about its own packet: PMTUD and
# traceroute work end to end. Errors from the server's side travel back to
# the client across SVR the same way.
#
#   client --lan-- rA --wanA-- m1 ==mid (mtu 1400)== m2 --wanB-- rB --srv-- server
#   198.18.1.2  192.0.2.1  .254  198.19.0.1  198.19.0.2  .254  198.51.100.2  203.0.113.10
#   2001:db8:1::2  2001:db8:ff::1 ::fe  2001:db8:fd::1 ::2  2001:db8:fe::fe ::2  2001:db8:5::10
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT

svr_load
setup_ns cl rA m1 m2 rB sv

A() { svrctl -n "$rA" "$@"; }
B() { svrctl -n "$rB" "$@"; }

veth_link "$cl" eth0 "$rA" lan 198.18.1.2/24 198.18.1.1/24 2001:db8:1::2/64 2001:db8:1::1/64
veth_link "$rA" wan "$m1" wanA 192.0.2.1/24 192.0.2.254/24 2001:db8:ff::1/64 2001:db8:ff::fe/64
veth_link "$m1" mid "$m2" mid 198.19.0.1/24 198.19.0.2/24 2001:db8:fd::1/64 2001:db8:fd::2/64
veth_link "$m2" wanB "$rB" wan 198.51.100.254/24 198.51.100.2/24 2001:db8:fe::fe/64 2001:db8:fe::2/64
veth_link "$rB" srv "$sv" eth0 203.0.113.1/24 203.0.113.10/24 2001:db8:5::1/64 2001:db8:5::10/64
ip -n "$m1" link set mid mtu 1400
ip -n "$m2" link set mid mtu 1400
ip -n "$cl" route add default via 198.18.1.1
ip -n "$cl" -6 route add default via 2001:db8:1::1
ip -n "$rA" route add 198.51.100.0/24 via 192.0.2.254
ip -n "$rA" -6 route add 2001:db8:fe::/64 via 2001:db8:ff::fe
ip -n "$m1" route add 198.51.100.0/24 via 198.19.0.2
ip -n "$m1" -6 route add 2001:db8:fe::/64 via 2001:db8:fd::2
ip -n "$m2" route add 192.0.2.0/24 via 198.19.0.1
ip -n "$m2" -6 route add 2001:db8:ff::/64 via 2001:db8:fd::1
ip -n "$rB" route add 192.0.2.0/24 via 198.51.100.254
ip -n "$rB" -6 route add 2001:db8:ff::/64 via 2001:db8:fe::fe
ip -n "$sv" route add default via 203.0.113.1
ip -n "$sv" -6 route add default via 2001:db8:5::1
for r in "$rA" "$m1" "$m2" "$rB"; do
	ip netns exec "$r" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
done

ip netns exec "$sv" socat -t 30 TCP4-LISTEN:80,fork,reuseaddr SYSTEM:'echo $SOCAT_PEERADDR; cat' &
ip netns exec "$sv" socat -t 30 TCP6-LISTEN:80,fork,reuseaddr,ipv6only=1 SYSTEM:'echo $SOCAT_PEERADDR; cat' &
ip netns exec "$sv" python3 "$REPO/selftests/udp-echo.py" 53 &
wait_listen "$sv" 80 && wait_listen "$sv" 53 udp || echo "# servers did not start"

case_config() {
	local r
	for r in A B; do
		$r tenant add blue
		$r service add web prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto tcp port 80 allow blue
		$r service add trace prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto udp port 44400-44499 allow blue
		$r service add icmp prefix 203.0.113.0/24 prefix 2001:db8:5::/64 proto icmp allow blue
	done
	A router set name rA
	A interface add lan tenant blue
	A interface add wan
	A peer add rB path 192.0.2.1 198.51.100.2 path 2001:db8:ff::1 2001:db8:fe::2
	for s in web trace icmp; do A route add $s via peer rB; done
	B router set name rB
	B interface add wan
	B interface add srv
	B peer add rA path 198.51.100.2 192.0.2.1 path 2001:db8:fe::2 2001:db8:ff::1
	for s in web trace icmp; do B route add $s via fib; done
}

bulk() { # address: 2 MB each way through the 1400-byte link, full-size segments
	local sum_in sum_out
	head -c 2000000 /dev/urandom >/tmp/pmtu.in
	sum_in=$(sha256sum </tmp/pmtu.in)
	sum_out=$(ip netns exec "$cl" timeout 120 socat -t 10 -T 60 - "$1" </tmp/pmtu.in |
		tail -c 2000000 | sha256sum)
	assert_eq "$sum_out" "$sum_in" "2 MB echoed intact"
}

case_pmtud4() {
	local a0 b0
	a0=$(svr_counter "$rA" icmp_errors_relayed)
	b0=$(svr_counter "$rB" icmp_errors_relayed)
	bulk TCP4:203.0.113.10:80 || return 1
	ip -n "$cl" route get 203.0.113.10
	ip -n "$sv" route get 198.18.1.2
	assert_ge "$(svr_counter "$rA" icmp_errors_relayed)" $((a0 + 1)) "rA relayed" &&
	assert_ge "$(svr_counter "$rB" icmp_errors_relayed)" $((b0 + 1)) "rB relayed" &&
	# The end hosts learnt the path MTU for their own addresses.
	ip -n "$cl" route get 203.0.113.10 | grep -q 'mtu 1400' || fail "client: no mtu 1400"
	ip -n "$sv" route get 198.18.1.2 | grep -q 'mtu 1400' || fail "server: no mtu 1400"
}

case_pmtud6() {
	bulk TCP6:[2001:db8:5::10]:80 || return 1
	ip -n "$cl" -6 route get 2001:db8:5::10
	ip -n "$cl" -6 route get 2001:db8:5::10 | grep -q 'mtu 1400' || fail "client: no mtu 1400"
}

case_ping_ttl() {
	local out
	# TTL 2: rA forwards it with 1, m1 answers "time exceeded".
	out=$(ip netns exec "$cl" ping -n -c 1 -t 2 -W 5 203.0.113.10 || true)
	echo "$out"
	echo "$out" | grep -q 'From 192.0.2.254.*Time to live exceeded' ||
		fail "no time exceeded from m1"
	out=$(ip netns exec "$cl" ping -6 -n -c 1 -t 2 -W 5 2001:db8:5::10 || true)
	echo "$out"
	echo "$out" | grep -q 'From 2001:db8:ff::fe.*Time exceeded' ||
		fail "no ICMPv6 time exceeded from m1"
}

case_tracepath() {
	local out
	out=$(ip netns exec "$cl" timeout 90 tracepath -n -m 8 -p 44400 203.0.113.10 || true)
	echo "$out"
	# rA answers for itself (before it rewrites the source), m1 and m2
	# about the WAN packet, rB for itself; the server's port unreachable
	# comes back through SVR (from rB's waypoint): "reached".
	echo "$out" | grep -Eq '^ *1: +198\.18\.1\.1 ' || fail "hop 1 (rA) missing" || return 1
	echo "$out" | grep -Eq '^ *2: +192\.0\.2\.254 ' || fail "hop 2 (m1) missing" || return 1
	echo "$out" | grep -Eq '^ *3: +198\.19\.0\.2 ' || fail "hop 3 (m2) missing" || return 1
	echo "$out" | grep -Eq '^ *4: +198\.51\.100\.2 ' || fail "hop 4 (rB) missing" || return 1
	echo "$out" | grep -q 'reached' || fail "the server was not reached"
}

case_udp_unreachable() {
	local got
	# A closed UDP port on the server: the client's socket hears about it.
	got=$(ip netns exec "$cl" python3 - <<'PY'
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect(("203.0.113.10", 44499))
res = "timeout"
for i in range(3):
    s.send(b"anyone?")
    try:
        s.recv(100)
    except ConnectionRefusedError:
        res = "refused"
        break
    except socket.timeout:
        continue
print(res)
PY
)
	assert_eq "$got" refused "port unreachable from the server reaches the client"
}

ktap_header 6
run_case "configure both routers" case_config
run_case "PMTUD through a 1400-byte WAN link (IPv4, both ways)" case_pmtud4
run_case "PMTUD through a 1400-byte WAN link (IPv6)" case_pmtud6
run_case "ping with a low TTL gets time exceeded from the WAN" case_ping_ttl
run_case "tracepath through SVR" case_tracepath
run_case "port unreachable from the server through SVR" case_udp_unreachable
cleanup_all_ns
svr_unload
ktap_finish
