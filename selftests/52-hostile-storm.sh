#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A storm of 100,000 mutated metadata packets at a waypoint while TCP
# flows, every one accounted for; a first fragment that never completes.
# (selftests/hostile.sh has the topology, the helpers and the cases.)
source "$(dirname "$0")/hostile.sh"
topo_two_routers
ktap_header 3
run_case "two routers with an HMAC + AES policy" tcase case_setup
run_case "storm of $STORM_COUNT mutated packets at rB's waypoint: every one counted, TCP intact" tcase case_storm
run_case "a first fragment that never completes: reassembly times out, no session" tcase case_fragment
cleanup_all_ns
svr_unload
ktap_finish
