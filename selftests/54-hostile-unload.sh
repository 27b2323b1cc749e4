#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# rmmod svr and ip netns del while TCP and pings flow through an HMAC +
# AES policy.
# (selftests/hostile.sh has the topology, the helpers and the cases.)
source "$(dirname "$0")/hostile.sh"
topo_two_routers
ktap_header 3
run_case "two routers with an HMAC + AES policy" tcase case_setup
run_case "rmmod svr while TCP and pings flow through the policy, then load again" tcase case_rmmod
run_case "ip netns del of a router while TCP and pings flow through the policy" tcase case_netns_del
cleanup_all_ns
svr_unload
ktap_finish
