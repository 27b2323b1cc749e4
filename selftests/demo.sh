#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: load svr in the VM and show it working in two namespaces.
source "$(dirname "$0")/lib.sh"
trap cleanup_all_ns EXIT
set -e

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "load svr.ko"
svr_load
svrctl version

step "two namespaces, one veth pair, traffic through the hooks"
setup_ns a b
ip link add va netns "$a" type veth peer name vb netns "$b"
ip -n "$a" addr add 198.51.100.1/24 dev va && ip -n "$a" link set va up
ip -n "$b" addr add 198.51.100.2/24 dev vb && ip -n "$b" link set vb up
ip netns exec "$a" ping -c 3 -i 0.2 198.51.100.2

step "counters in $b (svrctl -n $b stats)"
svrctl -n "$b" stats

step "unload"
cleanup_all_ns
svr_unload
echo "done"
