#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The configuration model over generic netlink, without svrctl: every
# object and part, every validation error (errno and extack text),
# referential integrity, notifications, resumable dumps, CONFIG_SAVE,
# privileges and per-netns isolation. The client is selftests/svrnl.py,
# the cases are in selftests/nltest.py; each runs in a fresh netns.
source "$(dirname "$0")/lib.sh"
export PYTHONDONTWRITEBYTECODE=1
trap cleanup_all_ns EXIT

NL="python3 $REPO/selftests/svrnl.py"
NLTEST="python3 $REPO/selftests/nltest.py"
NOBODY="setpriv --reuid=65534 --regid=65534 --clear-groups"

svr_unload
svr_load selftest=1 || exit 1

in_fresh_ns() { # case
	local ns start=$SECONDS
	setup_ns ns
	ip netns exec "$ns" $NLTEST "$1"
	echo "$1: $((SECONDS - start)) s"
}

selftest_at_load() {
	dmesg | grep -q "fib self-tests: pass" || fail "no self-test line"
}

unprivileged() {
	local ns
	setup_ns ns
	ip netns exec "$ns" $NLTEST unpriv_setup
	ip netns exec "$ns" $NOBODY $NLTEST unpriv_check
	ip netns exec "$ns" $NL --dump config_save | grep -q '"cipher_key"' ||
		fail "no key bytes in a privileged save"
}

userns_admin() {
	# CAP_NET_ADMIN over a netns owned by a user namespace suffices.
	# (The VM runs its tests in a chroot, where CLONE_NEWUSER is refused.)
	unshare -U -r true 2>/dev/null || return $ksft_skip
	unshare -U -r -n bash -c "
		$NL tenant_new '{\"name\":\"blue\"}' &&
		$NL --dump tenant_get | grep -q blue"
}

isolation() {
	local a b
	setup_ns a b
	ip netns exec "$a" $NL tenant_new '{"name":"blue"}'
	ip netns exec "$a" $NL service_new '{"name":"web","access":[{"tenant":"blue"}]}'
	assert_eq "$(ip netns exec "$b" $NL --dump tenant_get)" "" "b's tenants"
	assert_eq "$(ip netns exec "$b" $NL --dump service_get)" "" "b's services"
	ip netns exec "$b" $NL tenant_new '{"name":"blue"}'
	ip netns exec "$b" $NL --expect ENOENT:"unknown tenant" \
		tenant_get '{"name":"green"}'
}

netns_exit_frees() {
	local i ns
	for i in $(seq 4); do
		ns=free-$i-$$
		ip netns add "$ns"
		ip netns exec "$ns" python3 -c "
import sys; sys.path.insert(0, '$REPO/selftests')
from svrnl import Svr
nl = Svr()
nl.do('tenant_new', {'name': 't', 'prefix': [{'addr4': '10.0.0.0', 'plen': 8}]})
nl.do('security_new', {'name': 'sp', 'key': [{'id': 1, 'cipher_key': 'hex:' + '11' * 16, 'hmac_key': 'hex:' + '22' * 32}]})
nl.do('peer_new', {'name': 'p', 'security': 'sp', 'path': [{'local4': '192.0.2.1', 'remote4': '192.0.2.2'}]})
for j in range(20):
    nl.do('service_new', {'name': 's%d' % j, 'prefix': [{'addr4': '10.1.%d.0' % j, 'plen': 24}], 'transport': [{'proto': 6, 'port_lo': 80}], 'access': [{'tenant': 't'}]})
    nl.do('route_new', {'service': 's%d' % j, 'type': 0, 'peer': 'p'})
nl.do('iface_new', {'name': 'lo', 'tenant': 't'})
"
		ip netns del "$ns"
	done
}

module_unload_clean() {
	setup_ns ns
	ip netns exec "$ns" $NLTEST save_order
	ip netns exec "$ns" $NL tenant_new '{"name":"left-behind"}'
	rmmod svr
	svr_load
}

CASES=$($NLTEST --list)
ktap_header $(( $(echo "$CASES" | grep -vc "^unpriv_") + 6 ))
run_case "self-tests pass at load (selftest=1)" selftest_at_load
for c in $CASES; do
	case $c in unpriv_*) continue ;; esac
	run_case "netlink: $c" in_fresh_ns "$c"
done
run_case "unprivileged: get works, no key bytes, changes refused" unprivileged
run_case "CAP_NET_ADMIN in a user namespace's netns may change" userns_admin
run_case "per-netns isolation" isolation
run_case "config disappears with its netns" netns_exit_frees
run_case "rmmod with configuration left frees it" module_unload_clean
cleanup_all_ns
svr_unload
ktap_finish
