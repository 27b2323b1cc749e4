#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Where a packet's or a session's time goes: run inside the VM (as make
# bench boots it), e.g.
#   selftests/vm-run --no-slub-debug --cpu max --smp 1 --mem 3072 \
#       bench/profile.sh svr plain
# For each mode named, bench.sh's topology and a workload under
# `perf record -a -g` (the host's perf, over the 9p root): the UDP one
# (60-byte frames), or with SVR_PROFILE_WL=rr the session setup one, with
# SVR_PROFILE_WL=tcp one iperf3 stream (bench.sh's load_args). The
# flat and call-graph reports go to bench/results/profile[-WL]-MODE.txt;
# with SVR_PROFILE_KEEP=DIR the symbolized stacks too, which
# bench/stacks.py splits by callee and compares between modes.
SVR_BENCH_LIB=1 SVR_BENCH_OUT=/tmp/profile.jsonl
export SVR_BENCH_LIB SVR_BENCH_OUT
source "$(dirname "$0")/bench.sh"
T_UDP=${SVR_PROFILE_SECS:-8}
WL=${SVR_PROFILE_WL:-udp} sfx=
[ "$WL" = udp ] || sfx=-$WL
command -v perf >/dev/null || { echo "profile: perf missing (linux-perf)" >&2; exit 1; }
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
for m in "${@:-svr plain}"; do
	"mode_$m" >/tmp/bench-mode.log 2>&1 && check_path "$m" ||
		{ cat /tmp/bench-mode.log; echo "profile: $m setup failed" >&2; exit 1; }
	quiesce
	rx0=$(ctr "$sv" eth0 rx_packets)
	load_args "$WL" "$T_UDP" || exit 1
	perf record -o /tmp/perf-$m.data -a -g -F 2000 -- \
		ip netns exec "$cl" "${LOAD_ARGS[@]}" >/tmp/load.out 2>/dev/null
	log "$m $WL: $(grep receiver /tmp/load.out || cat /tmp/load.out);" \
		"received $(( $(ctr "$sv" eth0 rx_packets) - rx0 ))" | tee -a /tmp/profile.jsonl
	out=$REPO/bench/results/profile$sfx-$m.txt
	{
		grep . /tmp/profile.jsonl | grep "\"$m\""
		perf report -i /tmp/perf-$m.data --no-children --sort sym --stdio -g none 2>/dev/null | head -90
		perf report -i /tmp/perf-$m.data --children --sort sym --stdio -g none 2>/dev/null | head -90
		perf report -i /tmp/perf-$m.data --no-children --sort sym --stdio -g caller,0.5,callee --percent-limit 2 2>/dev/null | head -600
	} >"$out"
	log "$m: $out"
	# SVR_PROFILE_KEEP=DIR (under the repository, writable in the VM):
	# keep perf.data for perf report on the host, and its stacks
	# symbolized here (the guest's kallsyms and module addresses), one
	# "ip symbol" line a frame, leaf first, a blank line between samples.
	if [ -n "${SVR_PROFILE_KEEP:-}" ]; then
		cp /tmp/perf-$m.data "$SVR_PROFILE_KEEP/perf$sfx-$m.data"
		perf script -i /tmp/perf-$m.data -F ip,sym 2>/dev/null \
			>"$SVR_PROFILE_KEEP/perf$sfx-$m.stacks"
	fi
	svr_drops
done
cleanup_all_ns
svr_unload
