# SPDX-License-Identifier: GPL-2.0
#
# Shared helpers for svr's selftests (sourced by every NN-*.sh test).
# Each test prints KTAP: "TAP version 13", a plan, one "ok N desc" or
# "not ok N desc" per case, "# " diagnostics, and exits non-zero when a case
# failed. Cases run in a subshell with `set -e`: fail fast inside a case,
# carry on with the next one.

ksft_skip=4
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SVR_KO=${SVR_KO:-$REPO/kernel/svr.ko}
export PATH=$REPO/userspace:$PATH

_ktap_n=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0
_ns_list=()

ktap_header() {
	_ktap_plan=$1
	echo "TAP version 13"
	echo "1..$1"
}

# run_case "description" function [args...]
run_case() {
	local desc=$1; shift
	local out rc start=$SECONDS
	_ktap_n=$((_ktap_n + 1))
	out=$( (set -e; "$@") 2>&1 )
	rc=$?
	[ -n "$out" ] && printf '%s\n' "$out" | sed 's/^/# /'
	echo "# case $_ktap_n took $((SECONDS - start))s"
	if [ $rc = 0 ]; then
		_ktap_pass=$((_ktap_pass + 1))
		echo "ok $_ktap_n $desc"
	elif [ $rc = $ksft_skip ]; then
		_ktap_skip=$((_ktap_skip + 1))
		echo "ok $_ktap_n $desc # SKIP"
	else
		_ktap_fail=$((_ktap_fail + 1))
		echo "not ok $_ktap_n $desc"
	fi
}

ktap_finish() {
	local error=0
	if [ "$_ktap_n" != "${_ktap_plan:-}" ]; then
		echo "# the plan said ${_ktap_plan:-nothing}, $_ktap_n cases ran"
		error=1
	fi
	echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail xfail:0 xpass:0 skip:$_ktap_skip error:$error"
	[ $_ktap_fail = 0 ] && [ $error = 0 ]
	exit $?
}

# Assertions: print expected vs actual on failure.
fail() { echo "FAIL: $*" >&2; return 1; }

assert_eq() { # actual expected what
	[ "$1" = "$2" ] || fail "$3: expected '$2', got '$1'"
}

assert_ge() { # actual min what
	[ "$1" -ge "$2" ] 2>/dev/null || fail "$3: expected >= $2, got '$1'"
}

# Run a command that must fail; prints its stderr.
assert_fails() {
	if "$@"; then
		fail "expected failure: $*"
	fi
	return 0
}

# busywait TIMEOUT_MS cmd...: retry cmd until it succeeds.
busywait() {
	local timeout=$1; shift
	local start now
	start=$(date +%s%3N)
	while true; do
		"$@" && return 0
		now=$(date +%s%3N)
		[ $((now - start)) -ge "$timeout" ] && return 1
		sleep 0.1
	done
}

svr_loaded() { [ -d /sys/module/svr ]; }

# svr_modprobe MODULE...: make sure the kernel features a test needs are
# there. Succeeds for a module that is loaded, loads with modprobe, or is
# built in (the debug kernel has everything built in and no modules:
# SVR_MODULES_BUILTIN names its modules.builtin). Use it instead of modprobe.
svr_modprobe() {
	local m n builtin
	builtin=${SVR_MODULES_BUILTIN:-/lib/modules/$(uname -r)/modules.builtin}
	for m in "$@"; do
		n=${m//-/_}
		[ -d "/sys/module/$n" ] && continue
		modprobe -q "$m" 2>/dev/null && continue
		[ -r "$builtin" ] && tr - _ <"$builtin" | grep -q "/$n\.ko\$" && continue
		echo "svr_modprobe: $m: not loaded, not loadable, not built in" >&2
		return 1
	done
}

svr_load() {
	svr_loaded && return 0
	# insmod does not resolve dependencies (nf_defrag_*, nf_reject_*).
	svr_modprobe $(modinfo -F depends "$SVR_KO" | tr , ' ') || return 1
	insmod "$SVR_KO" "$@"
}

svr_unload() {
	svr_loaded && rmmod svr
	return 0
}

# setup_ns VAR...: create one netns per VAR with a random suffix, set VAR to
# its name, bring lo up. Everything is deleted by cleanup_all_ns.
setup_ns() {
	local v name
	for v in "$@"; do
		name="$v-$(mktemp -u XXXXXX)"
		ip netns add "$name" || return 1
		ip -n "$name" link set lo up
		_ns_list+=("$name")
		eval "$v=$name"
	done
}

cleanup_all_ns() {
	local ns
	for ns in "${_ns_list[@]}"; do
		ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null
		ip netns del "$ns" 2>/dev/null
	done
	_ns_list=()
}

# Counter value from /proc/net/svr/stats in a netns.
# veth_link NS1 DEV1 NS2 DEV2 ADDR1 ADDR2 [ADDR6A ADDR6B]: a veth pair
# between two namespaces, addressed (IPv6 without DAD) and up.
veth_link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	ip -n "$1" addr add "$5" dev "$2"
	ip -n "$3" addr add "$6" dev "$4"
	if [ -n "$7" ]; then
		ip -n "$1" addr add "$7" dev "$2" nodad
		ip -n "$3" addr add "$8" dev "$4" nodad
	fi
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# udp_ask NS SOCAT-ADDRESS [SECONDS]: stdin as a datagram from NS; prints
# the answer. Our side stays open until the answer is in (at most SECONDS,
# default 10): socat's 0.5 s wait after our EOF is too short for a first
# packet on a debug kernel under load.
udp_ask() {
	local f rc wait=${3:-10}
	f=$(mktemp)
	{ cat
	  for _ in $(seq $((wait * 5))); do
		[ -s "$f" ] && break
		sleep 0.2
	  done; } |
		ip netns exec "$1" timeout $((wait + 5)) socat -T "$wait" - "$2" >"$f"
	rc=$?
	cat "$f"
	rm -f "$f"
	return $rc
}

svr_counter() { # netns name
	ip netns exec "$1" awk -v n="$2" '$1 == n { print $2 }' /proc/net/svr/stats
}

# path_get NETNS LOCAL MEMBER [PEER]: MEMBER (bfd_state, tx_packets, ...)
# of the path whose local waypoint is LOCAL in NETNS's `svrctl -j peer
# show [PEER]`. jq, not python: a python start costs seconds on the debug
# kernel, and this runs in busywait loops.
path_get() {
	svrctl -n "$1" -j peer show ${4:+"$4"} |
		jq -r --arg l "$2" --arg m "$3" '.[].paths[] | select(.local == $l) | .[$m]'
}

# Run a command in a netns, echoing it as a diagnostic.
nsx() {
	local ns=$1; shift
	echo "[$ns] $*" >&2
	ip netns exec "$ns" "$@"
}

# pcap_start NS DEV FILE: tcpdump of UDP and TCP on DEV into FILE, and wait
# until it listens (a fixed sleep misses first packets on a loaded host).
# Sets cap_pid; stop it with pcap_stop.
pcap_start() {
	ip netns exec "$1" tcpdump -i "$2" -U -w "$3" -s 0 udp or tcp \
		>/dev/null 2>"$3.err" &
	cap_pid=$!
	busywait 30000 grep -q "listening on" "$3.err" ||
		echo "# tcpdump on $2 in $1 did not start in 30 s"
}

pcap_stop() { # [PID...], default $cap_pid
	sleep 0.5
	kill -INT "${@:-$cap_pid}" 2>/dev/null
	wait "${@:-$cap_pid}" 2>/dev/null
	return 0
}

# wait_listen NS PORT [tcp|udp]: until something listens on PORT in NS.
wait_listen() {
	local opt=-ltn
	[ "${3:-tcp}" = udp ] && opt=-lun
	busywait 10000 sh -c "ip netns exec '$1' ss -H $opt 'sport = :$2' | grep -q ."
}
