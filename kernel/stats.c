// SPDX-License-Identifier: GPL-2.0
/*
 * Per-netns, per-cpu counters: increment on the packet path without locks,
 * fold over CPUs when read (proc, netlink).
 */
#include "svr.h"

#define SVR_STAT_NAME(e, s)	s,
/* The wire format calls a good parse "ok": here it is "md_parsed". */
#define SVR_STAT_MDE_NAME(e, s)	\
	(SVR_MD_ERR_##e == SVR_MD_ERR_OK ? "md_parsed" : s),
const char *const svr_stat_names[SVR_STAT_MAX] = {
	SVR_EVENTS(SVR_STAT_NAME)
	SVR_DROP_REASONS(SVR_STAT_NAME)
	SVR_MD_ERRORS(SVR_STAT_MDE_NAME)
};
#undef SVR_STAT_NAME
#undef SVR_STAT_MDE_NAME

u64 svr_stat_read(const struct svr_net *sn, enum svr_stat s)
{
	unsigned int start;
	u64 sum = 0, v;
	int cpu;

	for_each_possible_cpu(cpu) {
		const struct svr_pcpu_stats *st = per_cpu_ptr(sn->stats, cpu);

		do {
			start = u64_stats_fetch_begin(&st->syncp);
			v = u64_stats_read(&st->cnt[s]);
		} while (u64_stats_fetch_retry(&st->syncp, start));
		sum += v;
	}
	return sum;
}

struct svr_pcpu_stats __percpu *svr_stats_alloc(void)
{
	struct svr_pcpu_stats __percpu *stats;
	int cpu;

	stats = alloc_percpu_gfp(struct svr_pcpu_stats, GFP_KERNEL_ACCOUNT);
	if (!stats)
		return NULL;
	for_each_possible_cpu(cpu)
		u64_stats_init(&per_cpu_ptr(stats, cpu)->syncp);
	return stats;
}
