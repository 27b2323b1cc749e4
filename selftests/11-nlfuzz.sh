#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Netlink fuzz: at least 10,000 random or mutated messages against every
# command of the svr family (selftests/nlfuzz.py) as root in a netns, and
# some more without privileges; the module keeps working, unloads cleanly,
# and the runner finds nothing in the kernel log.
source "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1
trap cleanup_all_ns EXIT

FUZZ="python3 $REPO/selftests/nlfuzz.py"
N=${SVR_FUZZ_MESSAGES:-10000}

svr_unload
svr_load

fuzz_root() {
	local ns
	setup_ns ns
	ip -n "$ns" link add dum0 type dummy
	ip netns exec "$ns" $FUZZ "$N" 1
}

fuzz_unprivileged() {
	local ns
	setup_ns ns
	ip netns exec "$ns" $FUZZ 0 2
	ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 \
		--clear-groups $FUZZ 2000 2 ro
}

fuzz_init_netns() {
	$FUZZ 2000 3
}

still_works() {
	local ns
	setup_ns ns
	ip netns exec "$ns" python3 "$REPO/selftests/nltest.py" save_order
	cleanup_all_ns
	rmmod svr
	svr_load
}

ktap_header 4
run_case "fuzz $N messages as root in a netns" fuzz_root
run_case "fuzz 2000 messages without privileges" fuzz_unprivileged
run_case "fuzz 2000 messages in the initial netns" fuzz_init_netns
run_case "module still works and unloads cleanly" still_works
svr_unload
ktap_finish
