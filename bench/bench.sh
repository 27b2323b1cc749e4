#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark of Documentation/benchmarks.md, run inside the VM by
# `make bench`: the same workloads over the same topology
#
#   client ---lan--- rA ---wan--- rB ---srv--- server
#   198.18.1.2       192.0.2.1    192.0.2.2    203.0.113.10
#
# for each way of getting across the wan: plain forwarding (no module),
# conntrack + nftables masquerade on rA, WireGuard rA<->rB, an IPsec ESP
# tunnel (AES-GCM) rA<->rB, and svr (metadata encrypted, HMAC off, with
# and without direct-xmit / HMAC sha256-128 / payload encryption). Modes
# are run round robin, SVR_BENCH_REPS times (every second time in reverse
# order), so that a slow minute of a shared host spreads over all of them.
# Every figure is one JSON line in SVR_BENCH_OUT; bench/report.py makes the
# tables and the plot. Nothing here asserts a time: a workload that cannot
# run at all (no connectivity) is recorded as an error and makes the script
# exit non-zero, which is all `make bench QUICK=1` checks.
#
# Environment (make bench passes SVR_* through vm-run): SVR_BENCH_QUICK=1,
# SVR_BENCH_OUT (results file), SVR_BENCH_REPS, SVR_BENCH_MODES (a subset
# of the modes), SVR_BENCH_SESSION_MODES (of nat, svr-local and svr; empty: none),
# SVR_BENCH_MIX=0 (skip the wire-bytes mix), SVR_BENCH_MIX_N and
# SVR_BENCH_MIX_BULK (its size), SVR_BENCH_WL (of the workloads tcp, udp
# and rr, those to run: default all), SVR_KO (the module to load),
# SVR_BENCH_BASE_KO (another build of svr.ko: mode svr-base is mode svr
# with it, for a before/after in one run), SVR_BENCH_COLDPLUG=0 (leave the
# CPU-feature crypto modules unloaded).
source "$(dirname "$0")/../selftests/lib.sh"

QUICK=${SVR_BENCH_QUICK:-0}
OUT=${SVR_BENCH_OUT:-$REPO/bench/results/bench.jsonl}
LOAD=$REPO/bench/svrload
if [ "$QUICK" = 1 ]; then
	REPS=${SVR_BENCH_REPS:-1} T_TCP=2 T_UDP=2 T_RR=2
	MIX_N=20 MIX_BULK=2000000 IDLE_N=2000 IDLE_SMALL=100
else
	REPS=${SVR_BENCH_REPS:-3} T_TCP=8 T_UDP=5 T_RR=8
	# The issue's mix (1,000 sessions, 100 MB) at 1/5 scale, the same
	# proportions: at TCG speed the full one takes over 10 minutes on the
	# WireGuard row alone.
	MIX_N=${SVR_BENCH_MIX_N:-200} MIX_BULK=${SVR_BENCH_MIX_BULK:-20000000}
	IDLE_N=100000 IDLE_SMALL=1000
fi
MODES=${SVR_BENCH_MODES-"plain nat wg ipsec svr svr-direct svr-hmac svr-enc"}
WL=${SVR_BENCH_WL:-tcp udp rr}
SV=203.0.113.10
CK=00112233445566778899aabbccddeeff
HK=4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b4b
ESPKEY=0x0123456789abcdef0123456789abcdef01234567
errors=0

trap 'cleanup_all_ns' EXIT
mkdir -p "$(dirname "$OUT")"
[ "${SVR_BENCH_LIB:-0}" = 1 ] || : >"$OUT"

log() { echo "# $(date +%T) $*"; }

# What udev's coldplug does when a real router boots: load the modules for
# this CPU's features (aesni_intel, sha256_ssse3, ghash_clmulni_intel, ...:
# the crypto drivers IPsec, WireGuard and svr get on that hardware). The
# VM's init runs no udev: without this every mode ran on the generic C
# drivers (aes-generic, sha256-generic, ghash-generic). SVR_BENCH_COLDPLUG=0:
# not done (what that does to the crypto rows under TCG:
# Documentation/benchmarks.md).
[ "${SVR_BENCH_COLDPLUG:-1}" = 0 ] ||
	modprobe -qab "$(cat /sys/devices/system/cpu/modalias)" 2>/dev/null

# The guest CPU's crypto-related flags.
cpu_flags() {
	grep -m1 '^flags' /proc/cpuinfo | grep -o -w -E 'aes|pclmulqdq|avx2|sha_ni' | xargs
}

# crypto_driver NAME: the driver the crypto API picks for NAME (priority).
crypto_driver() {
	awk -v n="$1" '$1 == "name" { name = $3 } $1 == "driver" { drv = $3 }
		$1 == "priority" && name == n && $3 > best { best = $3; pick = drv }
		END { print pick }' /proc/crypto
}

# record MODE METRIC REP VALUE UNIT
record() {
	printf '{"mode":"%s","metric":"%s","rep":%s,"value":%s,"unit":"%s"}\n' \
		"$1" "$2" "$3" "${4:-null}" "$5" >>"$OUT"
	log "$1 $2 rep $3: $4 $5"
}

error() { # MODE WHAT
	errors=$((errors + 1))
	printf '{"mode":"%s","error":"%s"}\n' "$1" "$2" >>"$OUT"
	log "ERROR $1: $2"
}

# The commit measured, "-dirty" if the tree differs from it outside
# bench/results (where this run's own output file already is).
svr_rev() {
	local r

	cd "$REPO" 2>/dev/null || return
	r=$(git rev-parse --short HEAD 2>/dev/null) || return
	git diff --quiet HEAD -- . ':(exclude)bench/results' 2>/dev/null ||
		r=$r-dirty
	echo "$r"
}

meta() {
	local cpu
	cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
	printf '{"meta":{"kernel":"%s","guest_cpu":"%s","vcpus":%s,"mem_mb":%s,"quick":%s,"reps":%s,"date":"%s","svr":"%s","crypto":"%s"}}\n' \
		"$(uname -r)" "$cpu" "$(nproc)" \
		"$(awk '/^MemTotal/ { print int($2 / 1024) }' /proc/meminfo)" \
		"$QUICK" "$REPS" "$(date -u +%FT%TZ)" \
		"$(svr_rev)" \
		"aes: $(crypto_driver aes), sha256: $(crypto_driver sha256); CPU flags: $(cpu_flags)" >>"$OUT"
}

A() { svrctl -n "$rA" "$@"; }
B() { svrctl -n "$rB" "$@"; }

# Interface counters, from inside the netns.
ctr() { # NS DEV FIELD (rx_bytes, tx_packets, ...)
	ip netns exec "$1" cat "/sys/class/net/$2/statistics/$3" 2>/dev/null ||
		ip -n "$1" -j -s link show "$2" | jq ".[0].stats64.${3%%_*}.${3#*_}"
}
wan_bytes() { echo $(( $(ctr "$rA" wan rx_bytes) + $(ctr "$rA" wan tx_bytes) )); }

# TSO/GSO/GRO on every veth: on for throughput, off to count wire bytes
# (a GSO packet crosses a veth as one skb: its headers would be counted once).
offloads() { # on|off
	local ns dev
	for ns in "$cl" "$rA" "$rB" "$sv"; do
		for dev in $(ip -n "$ns" -o link show type veth | awk -F'[ :@]+' '{ print $2 }'); do
			ip netns exec "$ns" ethtool -K "$dev" tso "$1" gso "$1" gro "$1" 2>/dev/null
		done
	done
	return 0
}

topo() {
	cleanup_all_ns
	setup_ns cl rA rB sv
	veth_link "$cl" eth0 "$rA" lan 198.18.1.2/24 198.18.1.1/24
	veth_link "$rA" wan "$rB" wan 192.0.2.1/24 192.0.2.2/24
	veth_link "$rB" srv "$sv" eth0 203.0.113.1/24 203.0.113.10/24
	ip -n "$cl" route add default via 198.18.1.1
	ip -n "$sv" route add default via 203.0.113.1
	ip netns exec "$rA" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$rB" sysctl -qw net.ipv4.ip_forward=1
	ip netns exec "$cl" sysctl -qw net.ipv4.tcp_tw_reuse=1 \
		net.ipv4.ip_local_port_range="30000 65000"
	ip netns exec "$sv" sysctl -qw net.core.somaxconn=4096
	# The server: iperf3, a TCP echo, and a sink for UDP (dropped before
	# any socket lookup: the flood and the idle sessions get no answer; the
	# 1-byte hello before the flood, UDP length 9, is echoed).
	ip netns exec "$sv" iperf3 -s -D >/dev/null
	ip netns exec "$sv" "$LOAD" echo 7000 2 &
	ip netns exec "$sv" "$LOAD" uecho 9 &
	ip netns exec "$sv" "$LOAD" echo 7001 1 sink &
	ip netns exec "$sv" nft -f - <<-EOF
	table inet sink {
		chain pre {
			type filter hook prerouting priority -300; policy accept;
			udp dport 9 udp length > 9 drop
			udp dport 10000-60000 drop
		}
	}
	EOF
	wait_listen "$sv" 5201 && wait_listen "$sv" 7000 && wait_listen "$sv" 7001
}

# ---- the modes ------------------------------------------------------------
routes_plain() {
	ip -n "$rA" route add 203.0.113.0/24 via 192.0.2.2
	ip -n "$rB" route add 198.18.1.0/24 via 192.0.2.1
}

mode_plain() { svr_unload; topo && routes_plain; }

mode_nat() {
	svr_unload
	svr_modprobe nf_conntrack nf_nat nft_chain_nat nft_masq || return 1
	sysctl -qw net.netfilter.nf_conntrack_max=400000
	topo || return 1
	# rB knows no route back to the client: only the masquerade gets there.
	ip -n "$rA" route add 203.0.113.0/24 via 192.0.2.2
	ip netns exec "$rA" nft -f - <<-EOF
	table ip nat {
		chain post {
			type nat hook postrouting priority srcnat; policy accept;
			oifname "wan" masquerade
		}
	}
	EOF
	ip netns exec "$rA" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=3600 \
		net.netfilter.nf_conntrack_udp_timeout_stream=3600
}

mode_wg() {
	local ka kb
	svr_unload
	svr_modprobe wireguard || return 1
	topo || return 1
	ka=$(wg genkey) kb=$(wg genkey)
	wgup() { # NS KEY PEERPUB ENDPOINT ADDR ALLOWED
		ip -n "$1" link add wg0 type wireguard
		echo "$2" >/tmp/bench-wg.key
		ip netns exec "$1" wg set wg0 private-key /tmp/bench-wg.key listen-port 51820 \
			peer "$3" endpoint "$4:51820" allowed-ips "$6"
		rm -f /tmp/bench-wg.key
		ip -n "$1" addr add "$5" dev wg0
		ip -n "$1" link set wg0 up
		ip -n "$1" route add "$6" dev wg0
	}
	wgup "$rA" "$ka" "$(echo "$kb" | wg pubkey)" 192.0.2.2 198.19.0.1/30 203.0.113.0/24
	wgup "$rB" "$kb" "$(echo "$ka" | wg pubkey)" 192.0.2.1 198.19.0.2/30 198.18.1.0/24
}

mode_ipsec() {
	svr_unload
	svr_modprobe xfrm_user esp4 || return 1
	topo && routes_plain || return 1
	xf() { # NS LOCAL REMOTE LOCALNET REMOTENET SPI_OUT SPI_IN
		local x="ip -n $1 xfrm" aead="aead rfc4106(gcm(aes)) $ESPKEY 128"
		$x state add src "$2" dst "$3" proto esp spi "$6" mode tunnel $aead
		$x state add src "$3" dst "$2" proto esp spi "$7" mode tunnel $aead
		$x policy add src "$4" dst "$5" dir out tmpl src "$2" dst "$3" proto esp mode tunnel
		$x policy add src "$5" dst "$4" dir fwd tmpl src "$3" dst "$2" proto esp mode tunnel
		$x policy add src "$5" dst "$4" dir in tmpl src "$3" dst "$2" proto esp mode tunnel
	}
	xf "$rA" 192.0.2.1 192.0.2.2 198.18.1.0/24 203.0.113.0/24 0x101 0x102 &&
	xf "$rB" 192.0.2.2 192.0.2.1 203.0.113.0/24 198.18.1.0/24 0x102 0x101
}

svr_common() { # security policy arguments
	# The module the mode asks for (svr-base: another build).
	svr_unload
	svr_load || return 1
	topo || return 1
	local r
	for r in A B; do
		$r router set name "r$r" session-limit 400000 udp-timeout 3600 tcp-timeout 3600
		$r tenant add blue
		$r interface add wan
		$r service add all prefix 203.0.113.0/24 allow blue
		$r security add sp "$@"
	done
	A interface add lan tenant blue
	A peer add rB path 192.0.2.1 192.0.2.2
	A route add all via peer rB
	B interface add srv
	B peer add rA path 192.0.2.2 192.0.2.1
	B route add all via fib
}

svr_keys() { # key add arguments
	A security key add sp 1 "$@" && B security key add sp 1 "$@" &&
		A peer set rB security sp && B peer set rA security sp
}

# svr on rA only, to a local next hop (the FIB): sessions without an SVR
# half, for their memory (sessions only; rB forwards plainly).
mode_svr-local() {
	svr_load || return 1
	topo || return 1
	routes_plain
	A router set name rA session-limit 400000 udp-timeout 3600 tcp-timeout 3600 &&
	A tenant add blue &&
	A interface add lan tenant blue &&
	A interface add wan &&
	A service add all prefix 203.0.113.0/24 allow blue &&
	A route add all via fib
}

mode_svr() {
	svr_common cipher aes-cbc-128 hmac none &&
		svr_keys cipher-key "hex:$CK"
}

# The same with the router option direct-xmit on both routers: sessions
# that have seen a reply are sent from PREROUTING (datapath.md).
mode_svr-direct() {
	mode_svr && A router set direct-xmit && B router set direct-xmit
}

mode_svr-base() {
	[ -r "${SVR_BENCH_BASE_KO:-}" ] || { echo "no SVR_BENCH_BASE_KO" >&2; return 1; }
	SVR_KO=$SVR_BENCH_BASE_KO mode_svr
}

mode_svr-hmac() {
	svr_common cipher aes-cbc-128 hmac sha256-128 &&
		svr_keys cipher-key "hex:$CK" hmac-key "hex:$HK"
}

# Payload encryption: a per-service policy. Until the datapath encrypts
# payloads (Documentation/security.md), the mode is not run.
payload_encryption_works() {
	grep -q 'payload_encrypted\|pl_encrypted' /proc/net/svr/stats 2>/dev/null
}

mode_svr-enc() {
	mode_svr-hmac || return 1
	if ! payload_encryption_works; then
		echo "not yet: the datapath does not encrypt payloads" >&2
		return 3
	fi
	A security add pe cipher aes-cbc-128 hmac sha256-128 &&
	B security add pe cipher aes-cbc-128 hmac sha256-128 &&
	A security key add pe 2 cipher-key "hex:$CK" hmac-key "hex:$HK" &&
	B security key add pe 2 cipher-key "hex:$CK" hmac-key "hex:$HK" &&
	A service set all security pe && B service set all security pe
}

# ---- the workloads --------------------------------------------------------
iperf() { # STREAMS SECONDS: received bits per second
	local omit=1
	[ "$2" -le 2 ] && omit=0
	ip netns exec "$cl" timeout $(( $2 * 4 + 30 )) iperf3 -c "$SV" -P "$1" \
		-t "$2" -O "$omit" -J | jq '.end.sum_received.bits_per_second'
}

wl_tcp() { # MODE REP
	local v
	v=$(iperf 1 "$T_TCP") && record "$1" tcp1 "$2" "$v" bit/s
	v=$(iperf 4 "$T_TCP") && record "$1" tcp4 "$2" "$v" bit/s
}

# The client's command of workload WL for SECS seconds, in LOAD_ARGS (an
# array; bench/profile.sh runs the same ones under perf): udp (18-byte
# payloads, 60-byte frames), rr (short sessions, 4 at a time), tcp (one
# iperf3 stream).
load_args() { # WL SECS
	case $1 in
	udp) LOAD_ARGS=("$LOAD" udp "$SV" 9 "$2" 18) ;;
	rr) LOAD_ARGS=("$LOAD" rr "$SV" 7000 "$2" 4 100) ;;
	tcp) LOAD_ARGS=(iperf3 -c "$SV" -t "$2") ;;
	*) echo "bench: no workload $1" >&2; return 1 ;;
	esac
}

wl_udp() { # MODE REP: 18-byte payloads, 60-byte frames
	local rx0 tx0 tb0 out secs rx tx tb
	load_args udp "$T_UDP"
	rx0=$(ctr "$sv" eth0 rx_packets)
	tx0=$(ctr "$rA" wan tx_packets) tb0=$(ctr "$rA" wan tx_bytes)
	out=$(ip netns exec "$cl" "${LOAD_ARGS[@]}") || return 1
	sleep 0.5
	secs=$(echo "$out" | awk '{ print $4 }')
	rx=$(( $(ctr "$sv" eth0 rx_packets) - rx0 ))
	tx=$(( $(ctr "$rA" wan tx_packets) - tx0 ))
	tb=$(( $(ctr "$rA" wan tx_bytes) - tb0 ))
	record "$1" udp_pps "$2" "$(awk -v n=$rx -v s="$secs" 'BEGIN { printf "%.1f", n / s }')" pkt/s
	record "$1" udp_sent_pps "$2" "$(echo "$out" | awk '{ printf "%.1f", $2 / $4 }')" pkt/s
	# Bytes of one 60-byte frame on the wan (what the mode adds to a packet).
	[ "$tx" -gt 0 ] &&
		record "$1" wan_frame "$2" "$(awk -v b=$tb -v n=$tx 'BEGIN { printf "%.2f", b / n }')" bytes
	return 0
}

wl_rr() { # MODE REP: session setup rate
	local out
	load_args rr "$T_RR"
	out=$(ip netns exec "$cl" "${LOAD_ARGS[@]}") || return 1
	record "$1" setup_rate "$2" "$(echo "$out" | awk '{ print $6 }')" sessions/s
	[ "$(echo "$out" | awk '{ print $8 }')" = 0 ] ||
		log "$1: $(echo "$out" | awk '{ print $8 }') failed sessions"
}

wl_mix() { # MODE REP: wan bytes / application bytes for the fixed mix
	local b0 b1 out app bulk wire
	offloads off
	b0=$(wan_bytes)
	out=$(ip netns exec "$cl" "$LOAD" mix "$SV" 7000 "$MIX_N" 10 200) || { offloads on; return 1; }
	app=$(echo "$out" | awk '{ print $4 }')
	b1=$(wan_bytes)
	bulk=$(ip netns exec "$cl" timeout 900 "$LOAD" bulk "$SV" 7001 "$MIX_BULK" |
		awk '{ print $2 }')
	wire=$(( $(wan_bytes) - b0 ))
	log "$1 mix: short sessions $(( b1 - b0 )) wire bytes, bulk $(( $(wan_bytes) - b1 ))"
	offloads on
	app=$((app + bulk))
	record "$1" mix_wire "$2" "$wire" bytes
	record "$1" mix_app "$2" "$app" bytes
	record "$1" mix_ratio "$2" "$(awk -v w=$wire -v a=$app 'BEGIN { printf "%.4f", w / a }')" ratio
}

svr_drops() { # the drop counters that moved and the fast lane's, for the log
	[ -r /proc/net/svr/stats ] || return 0
	local r
	for r in "$rA" "$rB"; do
		ip netns exec "$r" awk -v r="${r%%-*}" '$2 != 0 && $1 ~ /drop|fail|error|pkt_fast_lane|pkt_direct_xmit/ { printf "%s %s=%s ", r, $1, $2 } END { print "" }' /proc/net/svr/stats
	done | sed 's/^/# svr counters: /'
}

# Wait (at most 60 s) until the guest's CPU is idle: the previous mode's
# namespaces are torn down in the background (cleanup_net, module unload),
# work that would otherwise be charged to this mode's first workload.
quiesce() {
	local i t0 i0 t1 i1
	cpu() { awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8, $5+$6 }' /proc/stat; }
	read -r t0 i0 <<<"$(cpu)"
	for i in $(seq 60); do
		sleep 1
		read -r t1 i1 <<<"$(cpu)"
		[ $(( (i1 - i0) * 100 )) -ge $(( (t1 - t0) * 90 )) ] && return 0
		t0=$t1 i0=$i1
	done
	log "CPU still busy after 60 s"
}

check_path() { # MODE: one echo session must cross
	ip netns exec "$cl" timeout 30 "$LOAD" mix "$SV" 7000 1 1 10 >/dev/null
}

run_mode() { # MODE REP
	local rc
	log "mode $1 rep $2"
	"mode_$1" >/tmp/bench-mode.log 2>&1
	rc=$?
	if [ $rc = 3 ]; then
		[ "$2" = 1 ] && printf '{"mode":"%s","skip":"%s"}\n' "$1" \
			"$(tail -n1 /tmp/bench-mode.log)" >>"$OUT"
		log "$1: $(tail -n1 /tmp/bench-mode.log)"
		return 0
	fi
	if [ $rc != 0 ] || ! check_path "$1"; then
		sed 's/^/#   /' /tmp/bench-mode.log
		[ -r /proc/net/svr/stats ] && for r in "$rA" "$rB"; do
			ip netns exec "$r" awk -v r="$r" '$2 != 0 { print "#   " r ": " $0 }' /proc/net/svr/stats
		done
		error "$1" "setup or connectivity failed (rep $2)"
		return 1
	fi
	quiesce
	case " $WL " in *" tcp "*) wl_tcp "$1" "$2" || error "$1" "tcp" ;; esac
	case " $WL " in *" udp "*) wl_udp "$1" "$2" || error "$1" "udp" ;; esac
	case " $WL " in *" rr "*) wl_rr "$1" "$2" || error "$1" "setup rate" ;; esac
	# Byte counts do not vary between runs: the mix runs once.
	[ "$2" = 1 ] && [ "${SVR_BENCH_MIX:-1}" = 1 ] &&
		{ wl_mix "$1" "$2" || error "$1" "mix"; }
	svr_drops
	return 0
}

# ---- sessions: memory per session and lookup scaling ----------------------
slab_kb() { awk '$1 == "Slab:" { print $2 }' /proc/meminfo; }
# vmalloc'd memory: large hash tables (svr's session table until session 8,
# an rhashtable that grew with its sessions) are there, not in Slab:.
vmalloc_kb() { awk '$1 == "VmallocUsed:" { print $2 }' /proc/meminfo; }
objsize() { awk -v c="$1" '$1 == c { print $4 }' /proc/slabinfo; }
used_kb() { awk '$1 == "MemTotal:" { t = $2 } $1 == "MemFree:" { f = $2 } END { print t - f }' /proc/meminfo; }
# Caches dropped, and any hash table's resize done (an rhashtable grows in
# a worker and frees the old bucket array after an RCU grace period), so
# VmallocUsed: is read once it holds still (two equal readings, 1 s apart;
# at most 30 s).
settle() {
	local i v w
	sync
	echo 3 >/proc/sys/vm/drop_caches
	sleep 2
	v=$(vmalloc_kb)
	for i in $(seq 30); do
		sleep 1
		w=$(vmalloc_kb)
		[ "$w" = "$v" ] && return 0
		v=$w
	done
}

nsessions() { # MODE: sessions (or conntrack entries) on both routers
	local n=0 r
	for r in "$rA" "$rB"; do
		if [ "$1" = nat ]; then
			n=$((n + $(ip netns exec "$r" cat /proc/sys/net/netfilter/nf_conntrack_count 2>/dev/null || echo 0)))
		else
			n=$((n + $(ip netns exec "$r" sh -c 'wc -l </proc/net/svr/sessions')))
		fi
	done
	echo $n
}

idle() { # COUNT SRCPORT0
	ip netns exec "$cl" "$LOAD" idle "$SV" 10000 "$1" "$2" >/dev/null
}

sessions_mode() { # MODE
	local m=$1 s0 u0 v0 n0 n1 s1 u1 v1 i v
	log "sessions: $m"
	"mode_$m" >/tmp/bench-mode.log 2>&1 && check_path "$m" ||
		{ sed 's/^/#   /' /tmp/bench-mode.log; error "$m" "sessions: setup failed"; return 1; }
	idle "$IDLE_SMALL" 20000 || { error "$m" "idle sessions"; return 1; }
	quiesce
	for i in $(seq "$REPS"); do
		v=$(iperf 1 "$T_TCP") && record "$m" tcp1_small_table "$i" "$v" bit/s
	done
	settle
	n0=$(nsessions "$m") s0=$(slab_kb) u0=$(used_kb) v0=$(vmalloc_kb)
	idle $((IDLE_N - IDLE_SMALL)) 20002 || { error "$m" "idle sessions"; return 1; }
	sleep 2
	settle
	n1=$(nsessions "$m") s1=$(slab_kb) u1=$(used_kb) v1=$(vmalloc_kb)
	record "$m" sessions_small "1" "$n0" sessions
	record "$m" sessions_large "1" "$n1" sessions
	record "$m" slab_per_session 1 \
		"$(awk -v a=$s0 -v b=$s1 -v x=$n0 -v y=$n1 'BEGIN { printf "%.1f", (b - a) * 1024 / (y - x) }')" bytes
	record "$m" vmalloc_per_session 1 \
		"$(awk -v a=$v0 -v b=$v1 -v x=$n0 -v y=$n1 'BEGIN { printf "%.1f", (b - a) * 1024 / (y - x) }')" bytes
	record "$m" mem_per_session 1 \
		"$(awk -v a=$u0 -v b=$u1 -v x=$n0 -v y=$n1 'BEGIN { printf "%.1f", (b - a) * 1024 / (y - x) }')" bytes
	case $m in
	svr-local) record "$m" session_objsize 1 "$(objsize svr_session)" bytes ;;
	svr*) record "$m" session_objsize 1 "$(objsize svr_session_vec)" bytes ;;
	esac
	for i in $(seq "$REPS"); do
		v=$(iperf 1 "$T_TCP") && record "$m" tcp1_large_table "$i" "$v" bit/s
	done
}

# ---- main -------------------------------------------------------------------
# SVR_BENCH_LIB=1: the functions only (bench/profile.sh).
[ "${SVR_BENCH_LIB:-0}" = 1 ] && return 0
[ -x "$LOAD" ] || { echo "bench: $LOAD missing (make -C bench)" >&2; exit 1; }
for t in iperf3 wg jq nft ethtool; do
	command -v $t >/dev/null || { echo "bench: $t missing (scripts/setup)" >&2; exit 1; }
done
meta
start=$(date +%s)
# Odd repetitions run the modes in the listed order, even ones in reverse:
# a mode run right after another svr mode measures a few per cent less
# (benchmarks.md, "direct-xmit"), so no mode always follows the same one.
rev=$(echo $MODES | tr ' ' '\n' | tac | tr '\n' ' ')
for rep in $(seq "$REPS"); do
	order=$MODES
	[ $((rep % 2)) = 0 ] && order=$rev
	for m in $order; do
		run_mode "$m" "$rep"
	done
done
for m in ${SVR_BENCH_SESSION_MODES-nat svr-local svr}; do
	sessions_mode "$m"
done
cleanup_all_ns
svr_unload
log "done in $(( $(date +%s) - start ))s, $errors errors; results in $OUT"
[ "$errors" = 0 ]
