// SPDX-License-Identifier: GPL-2.0
/*
 * The session table.
 *
 * DOC: Locking
 * Lookups run under RCU from the packet path. Sessions are created in
 * softirq by the first packet and inserted under their buckets' locks
 * (svr_flow_insert()); s->lock serialises a session's state and its
 * removal (the first caller of svr_session_delete() unhashes it, others
 * see ->dead). The table holds one reference, dropped on delete; the
 * memory goes after an RCU grace period once the last reference is gone.
 * Expiry runs in a delayed work per netns, never on the packet path.
 */
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/tcp.h>
#include <net/dst.h>

#include "svr.h"
#include "session.h"
#include "config.h"
#include "svr_trace.h"

/*
 * By shape, [has_vec][v6]: sessions to a local next hop or between routers
 * (with vec), IPv4 or IPv6 (the width of their address slots).
 */
static struct kmem_cache *svr_session_cache[2][2] __read_mostly;

const char *const svr_sess_state_names[SVR_SS_MAX] = {
	[SVR_SS_NEW]		= "new",
	[SVR_SS_REPLIED]	= "replied",
	[SVR_SS_ESTABLISHED]	= "established",
	[SVR_SS_CLOSING]	= "closing",
	[SVR_SS_CLOSED]		= "closed",
};

#define SVR_DEL_NAME(e, s)	s,
const char *const svr_del_reason_names[SVR_DEL_MAX] = {
	SVR_DEL_REASONS(SVR_DEL_NAME)
};
#undef SVR_DEL_NAME

enum {
	SVR_GC_INTERVAL		= HZ,
	SVR_GC_MAX_WAIT		= 60 * HZ,
	SVR_TCP_SYN_TIMEOUT	= 10,	/* seconds until established */
	SVR_TCP_RST_TIMEOUT	= 1,
};

/*
 * The buckets: a fixed array, sized when the router starts (module
 * parameter hashsize), each a singly linked RCU chain ending in a nulls
 * marker that names its bucket. Writers take the bucket's lock (one of
 * SVR_SESS_LOCKS).
 */
#define SVR_SESS_LOCKS	256

struct svr_sess_table {
	u32			mask;		/* buckets - 1 */
	u32			seed;
	struct svr_flow __rcu	**buckets;
	spinlock_t		locks[SVR_SESS_LOCKS];
};

#define SVR_HASHSIZE_MAX	(1U << 24)

/*
 * The table's buckets per router, read when a router starts (its first
 * interface). Always a power of two: a value set is rounded up, and 0
 * means from the RAM, as conntrack's hashsize (svr_hashsize_auto()).
 */
static unsigned int svr_hashsize __read_mostly;

/* The default hashsize: conntrack's rule (nf_conntrack_init_start()). */
static unsigned int svr_hashsize_auto(void)
{
	unsigned long pages = totalram_pages();
	unsigned long n;

	if (BITS_PER_LONG >= 64 && pages > (4UL << (30 - PAGE_SHIFT)))
		return 262144;
	if (pages > (1UL << (30 - PAGE_SHIFT)))
		return 65536;
	n = (pages << PAGE_SHIFT) / 16384 / sizeof(void *);
	return roundup_pow_of_two(max(n, 1024UL));
}

static int svr_hashsize_set(const char *val, const struct kernel_param *kp)
{
	unsigned int n;
	int ret;

	ret = kstrtouint(val, 0, &n);
	if (ret)
		return ret;
	if (n > SVR_HASHSIZE_MAX)
		return -ERANGE;
	WRITE_ONCE(svr_hashsize, n ? roundup_pow_of_two(n) : svr_hashsize_auto());
	return 0;
}

static const struct kernel_param_ops svr_hashsize_ops = {
	.set	= svr_hashsize_set,
	.get	= param_get_uint,
};

module_param_cb(hashsize, &svr_hashsize_ops, &svr_hashsize, 0644);
MODULE_PARM_DESC(hashsize,
		 "session table buckets per router, rounded up to a power of 2 (0: from the RAM, the default)");

static u32 svr_session_timeout(const struct svr_session *s);

/* When @s expires if no packet comes: its idle deadline, in jiffies. */
static unsigned long svr_session_deadline(const struct svr_session *s)
{
	return jiffies - svr_session_idle(s) +
	       (unsigned long)READ_ONCE(s->timeout) * HZ;
}

/*
 * A session's deadline is @deadline: make sure the GC walks by then.
 * Lock-free (softirq and process context): lowers st->gc_next only.
 */
static void svr_session_gc_kick(struct svr_sessions *st,
				unsigned long deadline)
{
	unsigned long old = READ_ONCE(st->gc_next), prev;

	while (time_before(deadline, old)) {
		prev = cmpxchg(&st->gc_next, old, deadline);
		if (prev == old)
			break;
		old = prev;
	}
}

static u32 svr_session_limit(struct svr_net *sn)
{
	u32 limit;

	rcu_read_lock();
	limit = svr_router_get_rcu(sn)->session_limit;
	rcu_read_unlock();
	return limit;
}

/*
 * A chain ends in a nulls marker, its bucket's number: a lookup that ends
 * on another's followed a flow rehashed under it (failover), and looks
 * again.
 */
#define SVR_NULLS(b)	((struct svr_flow __force __rcu *)(((unsigned long)(b) << 1) | 1UL))

static bool svr_is_nulls(const struct svr_flow *f)
{
	return (unsigned long)f & 1UL;
}

/* The table is set before the hooks and freed after them: no RCU needed. */
static struct svr_sess_table *svr_sess_table(const struct svr_net *sn)
{
	return rcu_dereference_raw(sn->sess.table);
}

static u32 svr_flow_bucket(const struct svr_sess_table *t,
			   const struct svr_tuple *key)
{
	BUILD_BUG_ON(sizeof(*key) % sizeof(u32));
	return jhash2((const u32 *)key, sizeof(*key) / sizeof(u32), t->seed) &
	       t->mask;
}

static spinlock_t *svr_bucket_lock(struct svr_sess_table *t, u32 b)
{
	return &t->locks[b % SVR_SESS_LOCKS];
}

/* Is @key @f's? The rest first: most flows in a chain differ in ports. */
static bool svr_flow_match(const struct svr_flow *f, const struct svr_tuple *key)
{
	const struct svr_session *s;
	unsigned int len;
	const u8 *a;

	if (memcmp(&f->key, &key->rest, sizeof(f->key)))
		return false;
	s = container_of(f, const struct svr_session, flow[f->dir]);
	len = svr_sa_len(s);
	a = svr_sa_ptr(s, 2 * f->dir);
	return !memcmp(a, &key->saddr, len) && !memcmp(a + len, &key->daddr, len);
}

struct svr_flow *svr_flow_lookup(struct svr_net *sn, const struct svr_tuple *key)
{
	const struct svr_sess_table *t = svr_sess_table(sn);
	struct svr_flow *f;
	u32 b;

	if (unlikely(!t))
		return NULL;
	b = svr_flow_bucket(t, key);
restart:
	for (f = rcu_dereference(t->buckets[b]); !svr_is_nulls(f);
	     f = rcu_dereference(f->next))
		if (svr_flow_match(f, key))
			return f;
	if (unlikely(f != (struct svr_flow __force *)SVR_NULLS(b)))
		goto restart;
	return NULL;
}

#define svr_bucket_deref(p, lock) rcu_dereference_protected(p, lockdep_is_held(lock))

/* -EEXIST if a flow with @f's key is there. */
static int svr_flow_insert(struct svr_net *sn, struct svr_flow *f)
{
	struct svr_sess_table *t = svr_sess_table(sn);
	struct svr_tuple key;
	struct svr_flow *p;
	spinlock_t *lock;
	u32 b;

	if (unlikely(!t))
		return -ENOMEM;
	svr_flow_key(f, &key);
	b = svr_flow_bucket(t, &key);
	lock = svr_bucket_lock(t, b);
	spin_lock_bh(lock);
	for (p = svr_bucket_deref(t->buckets[b], lock); !svr_is_nulls(p);
	     p = svr_bucket_deref(p->next, lock)) {
		if (svr_flow_match(p, &key)) {
			spin_unlock_bh(lock);
			return -EEXIST;
		}
	}
	RCU_INIT_POINTER(f->next, svr_bucket_deref(t->buckets[b], lock));
	rcu_assign_pointer(t->buckets[b], f);
	spin_unlock_bh(lock);
	return 0;
}

/*
 * Unlink @f if it is hashed (under the key it was hashed with). Readers on
 * it go on down its chain; a walker may see it once more.
 */
static void svr_flow_remove(struct svr_net *sn, struct svr_flow *f)
{
	struct svr_sess_table *t = svr_sess_table(sn);
	struct svr_flow __rcu **pp;
	struct svr_tuple key;
	struct svr_flow *p;
	spinlock_t *lock;
	u32 b;

	if (unlikely(!t))
		return;
	svr_flow_key(f, &key);
	b = svr_flow_bucket(t, &key);
	lock = svr_bucket_lock(t, b);
	spin_lock_bh(lock);
	for (pp = &t->buckets[b]; !svr_is_nulls(p = svr_bucket_deref(*pp, lock));
	     pp = &p->next) {
		if (p == f) {
			rcu_assign_pointer(*pp, svr_bucket_deref(f->next, lock));
			break;
		}
	}
	spin_unlock_bh(lock);
}

u32 svr_session_buckets(const struct svr_net *sn)
{
	struct svr_sess_table *t = svr_sess_table(sn);

	return t ? t->mask + 1 : 0;
}

/*
 * The router starts (its first interface, cfg_lock held): its table, of
 * hashsize buckets. Sessions never move to a bigger one: a fixed array
 * costs nothing per session and a lookup never waits for a resize.
 */
int svr_session_table_init(struct svr_net *sn)
{
	unsigned int n = READ_ONCE(svr_hashsize);
	struct svr_sess_table *t;
	u32 i;

	if (rcu_access_pointer(sn->sess.table))
		return 0;
	t = kvzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		return -ENOMEM;
	t->buckets = kvmalloc_array(n, sizeof(*t->buckets), GFP_KERNEL_ACCOUNT);
	if (!t->buckets) {
		kvfree(t);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++)
		RCU_INIT_POINTER(t->buckets[i], SVR_NULLS(i));
	for (i = 0; i < SVR_SESS_LOCKS; i++)
		spin_lock_init(&t->locks[i]);
	t->mask = n - 1;
	t->seed = get_random_u32();
	rcu_assign_pointer(sn->sess.table, t);
	return 0;
}

struct svr_session *svr_session_alloc(struct svr_net *sn, bool vec, u8 family)
{
	bool v6 = family == AF_INET6;
	struct svr_session *s;
	int i;

	s = kmem_cache_zalloc(svr_session_cache[vec][v6],
			      GFP_ATOMIC | __GFP_ACCOUNT);
	if (!s)
		return NULL;
	s->sn = sn;
	s->has_vec = vec;
	s->v6 = v6;
	refcount_set(&s->ref, 1);
	spin_lock_init(&s->lock);
	for (i = 0; i < SVR_DIR_MAX; i++)
		s->flow[i].dir = i;
	svr_random_fill(s->uuid, sizeof(s->uuid));
	/* An RFC 4122 version 4 UUID. */
	s->uuid[6] = (s->uuid[6] & 0x0f) | 0x40;
	s->uuid[8] = (s->uuid[8] & 0x3f) | 0x80;
	s->created = svr_now_sec();
	s->last_seen = (u32)jiffies;
	if (vec)
		s->vec->ka_sent = s->last_seen;
	s->state = SVR_SS_NEW;
	s->role = SVR_SESSION_ROLE_LOCAL;
	return s;
}

static void svr_session_release(struct svr_session *s)
{
	int i;

	if (s->nh.peer)
		svr_peer_put(s->nh.peer);
	for (i = 0; s->has_vec && i < SVR_PS_MAX; i++) {
		if (!s->vec->ps[i])
			continue;
		atomic_dec(&s->vec->ps[i]->sessions);
		svr_path_stats_put(s->vec->ps[i]);
	}
	if (s->has_vec && s->vec->prev)
		svr_peer_put(s->vec->prev);
	if (s->service)
		svr_service_put(s->service);
	if (s->tenant)
		svr_tenant_put(s->tenant);
	for (i = 0; i < SVR_DIR_MAX; i++)
		dst_release(rcu_dereference_protected(s->dst[i], true));
	kmem_cache_free(svr_session_cache[s->has_vec][s->v6], s);
}

/* Forget the routes @s's flows kept (svr_flow_route()): the next packet looks. */
void svr_session_dst_reset(struct svr_session *s)
{
	int i;

	for (i = 0; i < SVR_DIR_MAX; i++)
		dst_release(unrcu_pointer(xchg(&s->dst[i], NULL)));
}

static void svr_session_free_rcu(struct rcu_head *rcu)
{
	svr_session_release(container_of(rcu, struct svr_session, rcu));
}

/* A session that never made it into the table. */
void svr_session_free_unhashed(struct svr_session *s)
{
	svr_session_release(s);
}

bool svr_session_get(struct svr_session *s)
{
	return refcount_inc_not_zero(&s->ref);
}

void svr_session_put(struct svr_session *s)
{
	if (refcount_dec_and_test(&s->ref))
		call_rcu(&s->rcu, svr_session_free_rcu);
}

/**
 * svr_session_reopen - a new TCP connection on a closed session's tuple
 * @old: the session whose flow the new connection's first packet matched
 *
 * A client that reuses its port (TIME_WAIT on the server, tcp_tw_reuse)
 * opens a connection while the old one's session waits out its last
 * second closed: the old session goes, so that the new connection gets
 * a session of its own (its packets would otherwise ride the old one
 * until that expired under them), as conntrack does. Called under RCU.
 *
 * Return: true if @old was closed and is gone.
 */
bool svr_session_reopen(struct svr_session *old)
{
	if (old->flow[SVR_DIR_FWD].key.proto != IPPROTO_TCP || old->stale ||
	    READ_ONCE(old->state) != SVR_SS_CLOSED)
		return false;
	svr_session_delete(old, SVR_DEL_TCP_CLOSED);
	svr_stat_inc(old->sn, SVR_STAT_SESS_REOPENED);
	return true;
}

/* Hash @dir's flow; a closed TCP session in the way goes (reopen). */
static int svr_session_hash_new(struct svr_session *s, enum svr_dir dir)
{
	struct svr_flow *f = &s->flow[dir];
	struct svr_flow *old;
	struct svr_tuple key;
	int ret;

	ret = svr_flow_insert(s->sn, f);
	if (ret != -EEXIST || f->key.proto != IPPROTO_TCP)
		return ret;
	svr_flow_key(f, &key);
	old = svr_flow_lookup(s->sn, &key);
	if (!old || !svr_session_reopen(svr_flow_session(old)))
		return ret;
	return svr_flow_insert(s->sn, f);
}

int svr_session_insert(struct svr_session *s)
{
	struct svr_sessions *st = &s->sn->sess;
	int ret;

	s->timeout = svr_session_timeout(s);
	if (atomic_inc_return(&st->count) > svr_session_limit(s->sn)) {
		ret = -ENOSPC;
		goto err_count;
	}
	ret = svr_session_hash_new(s, SVR_DIR_FWD);
	if (ret)
		goto err_count;
	ret = svr_session_hash_new(s, SVR_DIR_REV);
	if (ret == -EEXIST)
		ret = -EADDRINUSE;	/* the reply tuple is taken */
	if (ret)
		goto err_fwd;
	svr_session_gc_kick(st, svr_session_deadline(s));
	return 0;

err_fwd:
	svr_flow_remove(s->sn, &s->flow[SVR_DIR_FWD]);
err_count:
	atomic_dec(&st->count);
	return ret;
}

void svr_session_unhash_flow(struct svr_session *s, enum svr_dir dir)
{
	svr_flow_remove(s->sn, &s->flow[dir]);
}

/* -EADDRINUSE when the key is taken. */
int svr_session_hash_flow(struct svr_session *s, enum svr_dir dir)
{
	int ret;

	ret = svr_flow_insert(s->sn, &s->flow[dir]);
	return ret == -EEXIST ? -EADDRINUSE : ret;
}

/*
 * A stale entry: only its forward flow is hashed (so expiry finds it);
 * it counts against nothing but is counted in the table.
 */
int svr_session_insert_stale(struct svr_session *s)
{
	int ret = svr_session_hash_flow(s, SVR_DIR_FWD);

	if (!ret) {
		atomic_inc(&s->sn->sess.count);
		svr_session_gc_kick(&s->sn->sess, svr_session_deadline(s));
	}
	return ret;
}

/*
 * Does the end of a session tell its peers (control code 6, §4.6)? Not for
 * a moved session's stale tuple or a namespace going away, nor for a TCP
 * session that closed with a FIN each way (@fin_closed): its peers saw
 * both FINs go past (a FIN is retransmitted until it is acknowledged),
 * and close their halves themselves. An RST is sent once: it may not
 * have reached them.
 */
static bool svr_session_notify(const struct svr_session *s,
			       enum svr_del_reason why, bool fin_closed)
{
	return s->role != SVR_SESSION_ROLE_LOCAL && !s->stale &&
	       why != SVR_DEL_MOVED && why != SVR_DEL_NETNS_EXIT &&
	       !(why == SVR_DEL_TCP_CLOSED && fin_closed);
}

void svr_session_delete(struct svr_session *s, enum svr_del_reason why)
{
	struct svr_sessions *st = &s->sn->sess;
	bool fin_closed;
	int i;

	spin_lock_bh(&s->lock);
	if (s->dead) {
		spin_unlock_bh(&s->lock);
		return;
	}
	s->dead = true;
	/* A TCP session that ran out its post-RST/FIN timer closed. */
	if (why == SVR_DEL_EXPIRED && s->state == SVR_SS_CLOSED)
		why = SVR_DEL_TCP_CLOSED;
	fin_closed = s->tcp_fin == (BIT(SVR_DIR_FWD) | BIT(SVR_DIR_REV));
	spin_unlock_bh(&s->lock);

	for (i = 0; i < SVR_DIR_MAX; i++)
		svr_flow_remove(s->sn, &s->flow[i]);
	atomic_dec(&st->count);
	if (!s->stale) {
		svr_stat_inc(s->sn, SVR_STAT_SESS_DELETED);
		trace_svr_session_delete(s, why);
		svr_session_event(s, false, why);
	}
	if (svr_session_notify(s, why, fin_closed))
		svr_vec_ctl_delete(s);
	svr_session_put(s);
}

unsigned int svr_session_count(const struct svr_net *sn)
{
	return atomic_read(&sn->sess.count);
}

/*
 * At its limit, the table refuses a first packet before any work is done
 * for it (a flood of first packets then costs a lookup, not an allocation
 * and a route). svr_session_insert() still enforces the limit exactly.
 */
bool svr_session_table_full(struct svr_net *sn)
{
	return atomic_read(&sn->sess.count) >= svr_session_limit(sn);
}

static u32 svr_session_timeout(const struct svr_session *s)
{
	u8 proto = s->flow[SVR_DIR_FWD].key.proto;
	const struct svr_router *rc;
	u32 t;

	if (s->state == SVR_SS_CLOSED)
		return SVR_TCP_RST_TIMEOUT;
	rcu_read_lock();
	rc = svr_router_get_rcu(s->sn);
	if (s->state == SVR_SS_CLOSING)
		t = rc->timeout_tcp_close;
	else if (proto == IPPROTO_TCP && s->state != SVR_SS_ESTABLISHED)
		t = SVR_TCP_SYN_TIMEOUT;
	else if (s->service && READ_ONCE(s->service->timeout))
		t = READ_ONCE(s->service->timeout);
	else if (proto == IPPROTO_TCP)
		t = rc->timeout_tcp_est;
	else if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		t = rc->timeout_icmp;
	else
		t = rc->timeout_udp;
	rcu_read_unlock();
	return t;
}

/* TCP: called with s->lock held. */
static void svr_session_tcp(struct svr_session *s, enum svr_dir dir,
			    const struct tcphdr *th)
{
	if (th->rst) {
		s->state = SVR_SS_CLOSED;
		return;
	}
	if (th->fin) {
		s->tcp_fin |= BIT(dir);
		if (s->tcp_fin == (BIT(SVR_DIR_FWD) | BIT(SVR_DIR_REV)))
			s->state = SVR_SS_CLOSED;
		else
			s->state = SVR_SS_CLOSING;
		return;
	}
	if (s->state >= SVR_SS_CLOSING)
		return;
	/* Established: a forward segment without SYN after a reply. */
	if (dir == SVR_DIR_FWD && s->state == SVR_SS_REPLIED && !th->syn &&
	    th->ack)
		s->state = SVR_SS_ESTABLISHED;
}

void svr_session_seen(struct svr_session *s, enum svr_dir dir,
		      unsigned int len, const struct tcphdr *th)
{
	struct svr_flow *f = &s->flow[dir];
	u32 now = (u32)jiffies;
	u8 old = READ_ONCE(s->state);

	atomic64_inc(&f->packets);
	atomic64_add(len, &f->bytes);
	if (READ_ONCE(s->last_seen) != now)
		WRITE_ONCE(s->last_seen, now);
	if (th && s->has_vec) {
		WRITE_ONCE(s->vec->tcp_seq[dir], th->seq);
		WRITE_ONCE(s->vec->tcp_ack[dir], th->ack_seq);
		WRITE_ONCE(s->vec->tcp_win[dir], th->window);
	}

	/* Only state changes take the lock. */
	if (!th) {
		if (dir != SVR_DIR_REV || old != SVR_SS_NEW)
			return;
	} else if (!th->syn && !th->fin && !th->rst &&
		   old == SVR_SS_ESTABLISHED) {
		return;
	}

	spin_lock(&s->lock);
	if (dir == SVR_DIR_REV && s->state == SVR_SS_NEW)
		s->state = th ? SVR_SS_REPLIED : SVR_SS_ESTABLISHED;
	if (th)
		svr_session_tcp(s, dir, th);
	WRITE_ONCE(s->timeout, svr_session_timeout(s));
	spin_unlock(&s->lock);
	/* A shorter timeout (a TCP FIN or RST): the GC comes earlier. */
	svr_session_gc_kick(&s->sn->sess, svr_session_deadline(s));
}

void svr_session_walk_pause(struct svr_sess_iter *iter)
{
	struct svr_session *s;

	if (!iter->pos)
		return;
	s = svr_flow_session(iter->pos);
	iter->pos = NULL;
	if (svr_session_get(s))
		iter->held = s;
}

void svr_session_walk_end(struct svr_sess_iter *iter)
{
	if (iter->held)
		svr_session_put(iter->held);
	iter->held = NULL;
	iter->pos = NULL;
}

/*
 * Where a paused walk goes on: after the session it held while that is
 * still hashed, else at its bucket's head: a walker that deleted it
 * (flush, GC) finds the entries it has not seen there, the ones it
 * deleted being gone. Under s->lock a live session's forward flow is in
 * the table (delete marks it dead first, a failover rehashes under it),
 * so its next is an entry of this RCU section.
 */
static struct svr_flow *svr_walk_resume(struct svr_sess_iter *iter,
					const struct svr_sess_table *t)
{
	struct svr_session *s = iter->held;
	struct svr_flow *f = NULL;

	iter->held = NULL;
	if (s) {
		spin_lock_bh(&s->lock);
		if (!s->dead)
			f = rcu_dereference(s->flow[SVR_DIR_FWD].next);
		spin_unlock_bh(&s->lock);
		svr_session_put(s);
	}
	return f ?: rcu_dereference(t->buckets[iter->bucket]);
}

/* The next flow of @iter's bucket, or of the buckets after it. */
static struct svr_flow *svr_walk_flow(struct svr_sess_iter *iter,
				      const struct svr_sess_table *t)
{
	struct svr_flow *f;

	if (iter->bucket > t->mask)
		return NULL;
	if (iter->pos)
		f = rcu_dereference(iter->pos->next);
	else
		f = svr_walk_resume(iter, t);
	while (svr_is_nulls(f)) {
		if (++iter->bucket > t->mask) {
			iter->pos = NULL;
			return NULL;
		}
		f = rcu_dereference(t->buckets[iter->bucket]);
	}
	iter->pos = f;
	return f;
}

struct svr_session *svr_session_walk_next(struct svr_sess_iter *iter)
{
	const struct svr_sess_table *t = svr_sess_table(iter->sn);
	struct svr_flow *f;

	if (!t)
		return NULL;
	while ((f = svr_walk_flow(iter, t)))
		if (f->dir == SVR_DIR_FWD)
			return svr_flow_session(f);
	return NULL;
}

/*
 * Call @fn on every session of @sn, process context: the RCU read lock is
 * dropped every 256 sessions to reschedule. Returns the sum of @fn's
 * returns.
 */
static unsigned int svr_sessions_walk(struct svr_net *sn,
				      unsigned int (*fn)(struct svr_session *s,
							 void *arg),
				      void *arg)
{
	struct svr_sess_iter iter;
	struct svr_session *s;
	unsigned int n = 0, batch = 0;

	svr_session_walk_init(&iter, sn);
	rcu_read_lock();
	while ((s = svr_session_walk_next(&iter))) {
		n += fn(s, arg);
		if (++batch >= 256) {
			batch = 0;
			svr_session_walk_pause(&iter);
			rcu_read_unlock();
			cond_resched();
			rcu_read_lock();
		}
	}
	rcu_read_unlock();
	return n;
}

struct svr_flush_arg {
	enum svr_del_reason why;
	bool (*match)(struct svr_session *s, void *arg);
	void *arg;
};

static unsigned int svr_session_flush_one(struct svr_session *s, void *arg)
{
	struct svr_flush_arg *fa = arg;

	if (READ_ONCE(s->dead) || (fa->match && !fa->match(s, fa->arg)))
		return 0;
	svr_session_delete(s, fa->why);
	return 1;
}

static unsigned int svr_session_retime_one(struct svr_session *s, void *arg)
{
	spin_lock_bh(&s->lock);
	WRITE_ONCE(s->timeout, svr_session_timeout(s));
	spin_unlock_bh(&s->lock);
	svr_session_gc_kick(&s->sn->sess, svr_session_deadline(s));
	return 0;
}

/*
 * The router's timeouts changed: every session takes its timeout from the
 * new ones (those with their service's timeout keep it). Process context:
 * lowering udp-timeout under a flood of first packets sheds them at once.
 */
void svr_sessions_retime(struct svr_net *sn)
{
	if (atomic_read(&sn->sess.count))
		svr_sessions_walk(sn, svr_session_retime_one, NULL);
}

/*
 * Delete every session for which @match says yes (all if @match is NULL).
 * Process context. Returns how many went. A walk sees every session that
 * was in the table when it started and stayed (svr_walk_resume()); walk
 * again until a walk deletes nothing (at most 8 times: new sessions may
 * keep coming, and a failover may move one behind the walker). The GC
 * leaves what it missed to its next round.
 */
unsigned int svr_session_flush(struct svr_net *sn, enum svr_del_reason why,
			       bool (*match)(struct svr_session *s, void *arg),
			       void *arg)
{
	struct svr_flush_arg fa = { .why = why, .match = match, .arg = arg };
	unsigned int n = 0, pass, walks = 0;

	do {
		pass = svr_sessions_walk(sn, svr_session_flush_one, &fa);
		n += pass;
	} while (pass && why != SVR_DEL_EXPIRED && ++walks < 8);
	return n;
}

struct svr_gc_arg {
	unsigned long now;
	unsigned long next;	/* the earliest deadline of those left */
};

static bool svr_session_match_expired(struct svr_session *s, void *arg)
{
	struct svr_gc_arg *ga = arg;
	unsigned long deadline = svr_session_deadline(s);

	if (time_after(ga->now, deadline))
		return true;
	if (time_before(deadline, ga->next))
		ga->next = deadline;
	return false;
}

/*
 * Keepalives (§6.17): a UDP session this router sends to a peer (ingress,
 * or transit towards the next hop) that has been idle @ka jiffies gets a
 * control message every @ka jiffies, which refreshes NAT pinholes on the
 * way and the peer's idle timer. The session's own idle timer runs on.
 */
static bool svr_session_match_keepalive(struct svr_session *s, void *arg)
{
	unsigned long ka = *(unsigned long *)arg, now = jiffies;

	if (s->stale || (s->role != SVR_SESSION_ROLE_INGRESS &&
			 s->role != SVR_SESSION_ROLE_TRANSIT) ||
	    s->vec->inner_proto != IPPROTO_UDP ||
	    svr_session_idle(s) < ka ||
	    time_before32((u32)now, READ_ONCE(s->vec->ka_sent) + (u32)ka))
		return false;
	WRITE_ONCE(s->vec->ka_sent, (u32)now);
	svr_vec_ctl_keepalive(s);
	return false;
}

static unsigned long svr_session_ka_interval(struct svr_net *sn)
{
	unsigned long ka;

	rcu_read_lock();
	ka = svr_router_get_rcu(sn)->keepalive * HZ;
	rcu_read_unlock();
	return ka;
}

/*
 * Once a second while keepalives are on: not deferrable, unlike expiry,
 * since a NAT's mapping does not wait for the CPU to wake up. The walk
 * (svr_session_flush() whose match never says yes) deletes nothing.
 */
static void svr_session_ka_work(struct work_struct *work)
{
	struct svr_sessions *st = container_of(to_delayed_work(work),
					       struct svr_sessions, ka);
	struct svr_net *sn = container_of(st, struct svr_net, sess);
	unsigned long ka = svr_session_ka_interval(sn);

	if (!ka)
		return;
	if (atomic_read(&st->count))
		svr_session_flush(sn, SVR_DEL_EXPIRED,
				  svr_session_match_keepalive, &ka);
	queue_delayed_work(system_wq, &st->ka, SVR_GC_INTERVAL);
}

/*
 * Expiry. The work runs every second but walks the table only when a
 * session may have expired: at the earliest deadline the last walk saw,
 * or earlier if a session since got an earlier one (a new session, a
 * shorter timeout: svr_session_gc_kick()), and at least every
 * SVR_GC_MAX_WAIT. A table of sessions that are busy or have long
 * timeouts is not walked every second (the cost grew with the table and
 * slowed the packets of every session), and an idle session still goes
 * within a second of its deadline.
 */
static void svr_session_gc(struct work_struct *work)
{
	struct svr_sessions *st = container_of(to_delayed_work(work),
					       struct svr_sessions, gc);
	struct svr_net *sn = container_of(st, struct svr_net, sess);
	struct svr_gc_arg ga = { .now = jiffies };

	if (!time_before(ga.now, READ_ONCE(st->gc_next))) {
		ga.next = ga.now + SVR_GC_MAX_WAIT;
		/* Kicks during the walk lower it again. */
		WRITE_ONCE(st->gc_next, ga.next);
		/*
		 * A walk that deleted sessions may have missed some
		 * (svr_session_flush()): walk again next time.
		 */
		if (atomic_read(&st->count) &&
		    svr_session_flush(sn, SVR_DEL_EXPIRED,
				      svr_session_match_expired, &ga))
			ga.next = ga.now;
		svr_session_gc_kick(st, ga.next);
	}
	queue_delayed_work(system_power_efficient_wq, &st->gc,
			   SVR_GC_INTERVAL);
}

/* The router's keepalive changed: start their work if it is on. */
void svr_session_ka_start(struct svr_net *sn)
{
	if (svr_session_ka_interval(sn))
		queue_delayed_work(system_wq, &sn->sess.ka, SVR_GC_INTERVAL);
}

int svr_session_net_init(struct svr_net *sn)
{
	struct svr_sessions *st = &sn->sess;

	atomic_set(&st->count, 0);
	st->gc_next = jiffies + SVR_GC_MAX_WAIT;
	/* The table comes with the hooks (svr_session_table_init()). */
	RCU_INIT_POINTER(st->table, NULL);
	INIT_DEFERRABLE_WORK(&st->gc, svr_session_gc);
	INIT_DELAYED_WORK(&st->ka, svr_session_ka_work);
	queue_delayed_work(system_power_efficient_wq, &st->gc,
			   SVR_GC_INTERVAL);
	return 0;
}

/* After pre_exit: no packet creates sessions any more. */
void svr_session_net_exit(struct svr_net *sn)
{
	struct svr_sessions *st = &sn->sess;
	struct svr_sess_table *t;

	cancel_delayed_work_sync(&st->gc);
	cancel_delayed_work_sync(&st->ka);
	svr_session_flush(sn, SVR_DEL_NETNS_EXIT, NULL, NULL);
	WARN_ON_ONCE(atomic_read(&st->count));
	t = rcu_replace_pointer(st->table, NULL, true);
	if (t) {
		kvfree(t->buckets);
		kvfree(t);
	}
}

/* The object, its SVR half if any, then its address slots. */
static size_t svr_session_size(bool vec, bool v6)
{
	size_t alen = v6 ? sizeof(struct in6_addr) : sizeof(__be32);

	if (!vec)
		return sizeof(struct svr_session) + SVR_SA_LOCAL_MAX * alen;
	return struct_size_t(struct svr_session, vec, 1) + SVR_SA_MAX * alen;
}

void svr_session_uninit(void)
{
	int v, v6;

	for (v = 0; v < 2; v++)
		for (v6 = 0; v6 < 2; v6++)
			kmem_cache_destroy(svr_session_cache[v][v6]);
}

int __init svr_session_init(void)
{
	static const char *const names[2][2] = {
		{ "svr_session", "svr_session6" },
		{ "svr_session_vec", "svr_session6_vec" },
	};
	int v, v6;

	BUILD_BUG_ON(sizeof(struct svr_flow) != 40);
	if (!svr_hashsize)
		svr_hashsize = svr_hashsize_auto();
	for (v = 0; v < 2; v++) {
		for (v6 = 0; v6 < 2; v6++) {
			svr_session_cache[v][v6] =
				kmem_cache_create(names[v][v6],
						  svr_session_size(v, v6),
						  __alignof__(struct svr_session),
						  SLAB_ACCOUNT, NULL);
			if (!svr_session_cache[v][v6])
				goto fail;
		}
	}
	return 0;
fail:
	svr_session_uninit();
	return -ENOMEM;
}

/*
 * Would this session still be admitted? Its service and tenant must be
 * the configured objects of their names, the tenant still allowed, and
 * its ingress interface still managed.
 */
static bool svr_session_revoked(struct svr_session *s, void *arg)
{
	struct svr_net *sn = s->sn;
	struct svr_service *svc = s->service;
	struct svr_tenant *t = s->tenant;
	bool revoked;

	if (s->stale || (s->role != SVR_SESSION_ROLE_LOCAL &&
			 s->role != SVR_SESSION_ROLE_INGRESS))
		return false;
	rcu_read_lock();
	revoked = !svc ||
		  svr_service_find(sn, svc->name, strlen(svc->name)) != svc ||
		  (t && svr_tenant_find(sn, t->name, strlen(t->name)) != t) ||
		  svr_service_access(svc, t) != SVR_ACCESS_ALLOW ||
		  !svr_iface_lookup(sn, s->flow[SVR_DIR_FWD].key.ifindex);
	rcu_read_unlock();
	return revoked;
}

void svr_sessions_config_changed(struct svr_net *sn)
{
	if (atomic_read(&sn->sess.count))
		svr_session_flush(sn, SVR_DEL_REVOKED, svr_session_revoked,
				  NULL);
}
