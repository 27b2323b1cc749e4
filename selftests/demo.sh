#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: two svr routers carry a client's sessions to a server with
# Secure Vector Routing, inside the VM. Shows the traffic, both routers'
# sessions and counters, and the metadata of the first packets as captured
# on the WAN.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/topo.sh"
trap cleanup_all_ns EXIT
set -e

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "client -- rA -- wan -- rB -- server, each a network namespace"
topo_two_routers
topo_two_routers_config
A peer show
B service show web

step "capture the WAN at rB"
ip netns exec "$rB" tcpdump -i wan -U -s 0 -w /tmp/demo-wan.pcap udp or tcp >/dev/null 2>&1 &
cap=$!
sleep 1

step "TCP: the server answers with the address it sees, then echoes"
echo "hello over SVR" | ip netns exec "$cl" socat -t 30 -T 60 - TCP4:203.0.113.10:80
step "UDP"
echo "a datagram" | ip netns exec "$cl" socat -T 5 - UDP4:203.0.113.10:53
step "ping (ICMP echo travels as UDP between the routers)"
ip netns exec "$cl" ping -c 3 -i 0.3 203.0.113.10
step "IPv6"
ip netns exec "$cl" socat -t 10 -T 10 - TCP6:[2001:db8:5::10]:80 </dev/null

sleep 1
kill $cap; wait $cap 2>/dev/null || true

step "sessions on rA (ingress)"
A session show
step "sessions on rB (egress): the same UUIDs"
B session show
step "counters on rB (svrctl -n rB stats, non-zero only)"
B stats | awk '$2 != 0'
step "the WAN as rB saw it (svrctl decode): metadata on the first packets only"
svrctl decode /tmp/demo-wan.pcap

cleanup_all_ns
svr_unload
echo
echo "demo done"
