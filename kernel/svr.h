/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The per-network-namespace state of svr. Every table lives here: several
 * routers run in one kernel, one per netns, which is how the selftests
 * build their topologies.
 */
#ifndef _SVR_H
#define _SVR_H

#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/random.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include "stats.h"
#include "session.h"

/* Multicast groups, in the order of the family's mcgrps array. */
enum svr_mcgrp_idx {
	SVR_MCGRP_IDX_CONFIG,
	SVR_MCGRP_IDX_SESSIONS,
};

struct svr_config;
struct svr_bfd_table;

struct svr_net {
	struct net			*net;
	/* Serialises every configuration change in this netns. */
	struct mutex			cfg_lock;
	/* The configuration model (config.h); NULL before init, after exit. */
	struct svr_config		*cfg;
	struct svr_pcpu_stats __percpu	*stats;
	struct proc_dir_entry		*proc_dir;
	bool				hooks_on;	/* cfg_lock */
	struct svr_sessions		sess;
	/* Token bucket for the ICMP errors svr sends (svr_icmp_allow). */
	spinlock_t			icmp_lock;
	u64				icmp_tokens;
	unsigned long			icmp_last;
	/* BFD on peer paths (bfd.c). */
	struct {
		struct delayed_work		work;
		struct svr_bfd_table __rcu	*table;
		unsigned long			due;	/* jiffies */
		bool				deferred;
		bool				ready;	/* work initialised */
		bool				stop;
	} bfd;
};

extern unsigned int svr_net_id;

static inline struct svr_net *svr_pernet(const struct net *net)
{
	return net_generic(net, svr_net_id);
}

/* Count @n events @s: every packet makes a few calls, so inline. */
/**
 * svr_router_get_rcu - the router settings
 * @sn: the netns's svr state
 *
 * Inline: the fast lane asks it for every packet (svr_pass()).
 *
 * Context: rcu_read_lock(). Never NULL while the netns is alive.
 */
static inline struct svr_router *svr_router_get_rcu(struct svr_net *sn)
{
	return rcu_dereference(sn->cfg->router);
}

static inline void svr_stat_add(struct svr_net *sn, enum svr_stat s, u64 n)
{
	struct svr_pcpu_stats *st = get_cpu_ptr(sn->stats);

	u64_stats_update_begin(&st->syncp);
	u64_stats_add(&st->cnt[s], n);
	u64_stats_update_end(&st->syncp);
	put_cpu_ptr(sn->stats);
}

static inline void svr_stat_inc(struct svr_net *sn, enum svr_stat s)
{
	svr_stat_add(sn, s, 1);
}

/*
 * @len random bytes (session UUIDs, IVs): get_random_u64()'s per-CPU
 * batch, the same CRNG as get_random_bytes() without a ChaCha20 block
 * and a lock per call (a few per new session, one per packet with
 * payload encryption).
 */
static inline void svr_random_fill(void *buf, unsigned int len)
{
	u8 *p = buf;
	u64 r;

	for (; len >= sizeof(r); len -= sizeof(r), p += sizeof(r)) {
		r = get_random_u64();
		memcpy(p, &r, sizeof(r));
	}
	if (len) {
		r = get_random_u64();
		memcpy(p, &r, len);
	}
}

int svr_hooks_enable(struct svr_net *sn);
void svr_hooks_net_exit(struct svr_net *sn);

int svr_proc_net_init(struct svr_net *sn);
void svr_proc_net_exit(struct svr_net *sn);

void svr_bfd_net_init(struct svr_net *sn);
void svr_bfd_net_exit(struct svr_net *sn);
void svr_bfd_kick(struct svr_net *sn);

extern struct genl_family svr_genl_family;

int svr_genl_init(void);
void svr_genl_uninit(void);

#endif /* _SVR_H */
