#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A flood of distinct first packets against session-limit 100,000.
# (selftests/hostile.sh has the topology, the helpers and the cases.)
source "$(dirname "$0")/hostile.sh"
topo_two_routers
ktap_header 2
run_case "two routers with an HMAC + AES policy" tcase case_setup
run_case "flood of $FLOOD_COUNT first packets against session-limit $FLOOD_LIMIT" tcase case_flood
cleanup_all_ns
svr_unload
ktap_finish
