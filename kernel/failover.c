// SPDX-License-Identifier: GPL-2.0
/*
 * Failover of live SVR sessions (§6.8-6.9).
 *
 * Ingress: a session remembers the configuration generation it last
 * checked its path against. When the configuration changed, the next
 * forward packet checks that the path is still up; if it is not, the
 * session moves to the best path that is: new waypoints, new wayports,
 * its reverse flow rehashed under the new outer tuple, and forward
 * metadata switched on again so the far router re-keys its half.
 *
 * Egress: forward metadata for a session (same UUID) that already has a
 * half here under another outer tuple replaces that half.
 */
#include <linux/random.h>

#include "svr.h"
#include "config.h"
#include "datapath.h"
#include "session.h"
#include "svr_trace.h"

enum { SVR_MOVE_TRIES = 64 };

static bool path_is(const struct svr_path *path, const struct svr_rewrite *rw)
{
	unsigned int alen = path->family == AF_INET ? 4 : 16;

	return !memcmp(&path->local, &rw->saddr, alen) &&
	       !memcmp(&path->remote, &rw->daddr, alen);
}

static bool path_still_up(struct svr_peer *peer, const struct svr_rewrite *rw)
{
	const struct svr_path *path;

	list_for_each_entry_rcu(path, &peer->paths, list)
		if (path_is(path, rw))
			return svr_path_usable(path);
	return false;
}

/*
 * Replies still in flight on the old outer tuple must not reach the
 * router's own stack (which would answer a TCP segment with a reset the
 * peer forwards to the server): a stale entry keyed on the old tuple
 * drops them until it expires.
 */
static void svr_tombstone(struct svr_net *sn, const struct svr_tuple *old)
{
	struct svr_session *t = svr_session_alloc(sn, false, old->family);

	if (!t)
		return;
	t->stale = true;
	svr_flow_set_key(&t->flow[SVR_DIR_FWD], old);
	t->timeout = 10;
	if (svr_session_insert_stale(t))
		svr_session_free_unhashed(t);
}

/* Rehash the reverse flow of @s under a new outer tuple. s->lock held. */
static int svr_move(struct svr_net *sn, struct svr_session *s,
		    const struct svr_path *path)
{
	struct net_device *out = svr_vec_path_dev(sn->net, path);
	const struct svr_router *rc = svr_router_get_rcu(sn);
	u32 lo = path->port_lo ? path->port_lo : rc->wayport_lo;
	u32 hi = path->port_lo ? path->port_hi : rc->wayport_hi;
	struct svr_rewrite old;
	struct svr_tuple old_key;
	int i, ret = -EADDRINUSE;

	if (!out)
		return -ENETUNREACH;
	svr_flow_key(&s->flow[SVR_DIR_REV], &old_key);
	svr_session_rw(s, &old);
	svr_session_unhash_flow(s, SVR_DIR_REV);
	svr_sa_set(s, SVR_SA_RW_SRC, &path->local);
	svr_sa_set(s, SVR_SA_RW_DST, &path->remote);
	for (i = 0; i < SVR_MOVE_TRIES && ret == -EADDRINUSE; i++) {
		u32 a = lo + get_random_u32_below(hi - lo + 1);
		u32 b = lo + get_random_u32_below(hi - lo + 1);

		if (!path->port_lo) {
			a = (a & ~1U) < lo ? (a | 1U) + 1 : a & ~1U;
			b = (b | 1U) > hi ? (b | 1U) - 2 : b | 1U;
		}
		s->rw.sport = htons(a);
		s->rw.dport = htons(b);
		svr_dp_reverse(s, out);
		ret = svr_session_hash_flow(s, SVR_DIR_REV);
	}
	if (ret) {
		/* Back where it was: the old tuple is still ours. */
		svr_session_set_rw(s, &old);
		svr_dp_reverse(s, out);
		svr_session_hash_flow(s, SVR_DIR_REV);
		return ret;
	}
	svr_tombstone(sn, &old_key);
	/* The routes it kept went to the old waypoint. */
	svr_session_dst_reset(s);
	svr_vec_ps_set(s->vec, SVR_PS_OUT, path->stats);
	WRITE_ONCE(s->vec->flags, s->vec->flags | SVR_VEC_FWD_MD);
	return 0;
}

/**
 * svr_vec_path_check - move an ingress session off a path that went down
 * @sn: the netns's svr state
 * @s: an ingress session with a peer next hop
 *
 * Context: rcu_read_lock(), packet path. Cheap unless the configuration
 * changed since the session last looked.
 */
void svr_vec_path_check(struct svr_net *sn, struct svr_session *s)
{
	u32 gen = READ_ONCE(sn->cfg->gen);
	const struct svr_path *path;
	struct svr_rewrite rw;
	u8 family;

	if (likely(READ_ONCE(s->vec->cfg_gen) == gen) || !s->nh.peer)
		return;
	spin_lock(&s->lock);
	if (s->vec->cfg_gen == gen || s->dead)
		goto out;
	s->vec->cfg_gen = gen;
	if (path_still_up(s->nh.peer, svr_session_rw(s, &rw)))
		goto out;
	family = s->flow[SVR_DIR_FWD].key.family;
	path = svr_vec_path_pick(s->nh.peer, family);
	if (path && !svr_move(sn, s, path))
		svr_stat_inc(sn, SVR_STAT_SESS_MOVED);
out:
	spin_unlock(&s->lock);
}

/**
 * svr_vec_replace_moved - make room for a session's new half at the egress
 * @sn: the netns's svr state
 * @s: the new egress half, not hashed yet, its reverse key computed
 *
 * A half of the same session (same UUID) under the old outer tuple holds
 * the reverse key: it goes.
 */
void svr_vec_replace_moved(struct svr_net *sn, struct svr_session *s)
{
	struct svr_session *old;
	struct svr_tuple rk;
	struct svr_flow *f;

	svr_flow_key(&s->flow[SVR_DIR_REV], &rk);
	f = svr_flow_lookup(sn, &rk);
	if (!f || f->dir != SVR_DIR_REV)
		return;
	old = svr_flow_session(f);
	if (memcmp(old->uuid, s->uuid, sizeof(s->uuid)) || !svr_session_get(old))
		return;
	svr_session_delete(old, SVR_DEL_MOVED);
	svr_session_put(old);
	svr_stat_inc(sn, SVR_STAT_SESS_MOVED);
}
